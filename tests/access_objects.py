"""The object registry's pages in the access matrix (see test_access_matrix.py): the outsider is staff of an
unrelated museum, so their own museum's list, form and import are theirs (200); another museum's object that is
not offered, its photos and import batches are not (404)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from bangfu.core.attachments import attachment_add
from bangfu.core.models import AttachmentKind
from bangfu.objects.models import ImportStatus, ObjectImport
from bangfu.objects.services import object_create

MATRIX = {
    "objects:list": (lambda w: reverse("objects:list"), 200, 302),  # their own museum's
    "objects:offered": (lambda w: reverse("objects:offered"), 200, 302),
    "objects:create": (lambda w: reverse("objects:create"), 200, 302),  # for their own museum
    "objects:detail": (lambda w: reverse("objects:detail", args=[w.private_object.pk]), 404, 302),
    "objects:edit": (lambda w: reverse("objects:edit", args=[w.private_object.pk]), 404, 302),
    "objects:photo_add": (lambda w: reverse("objects:photo_add", args=[w.private_object.pk]), 404, 302),
    "objects:import": (lambda w: reverse("objects:import"), 200, 302),  # for their own museum
    "objects:import_template": (lambda w: reverse("objects:import_template"), 200, 302),
    "objects:import_batch": (lambda w: reverse("objects:import_batch", args=[w.object_import.pk]), 404, 302),
    "objects:import_progress": (lambda w: reverse("objects:import_progress", args=[w.object_import.pk]), 404, 302),
}
POST_ONLY = {"objects:photo_add"}


def scene(world):
    """An object of the helped museum that is not offered (with a photo link), an offered one, and an import."""
    world.private_object = object_create(museum=world.helped_museum, by=world.helped_staff, name="彩绘泥塑残块",
                                         registration_number="AZ-9001", material="其他无机质", condition="poor")
    world.offered_object = object_create(museum=world.helped_museum, by=world.helped_staff, name="铜戈",
                                         registration_number="AZ-9002", material="铜", offered=True, has_record=True)
    world.object_photo = attachment_add(owner=world.private_object, by=world.helped_staff,
                                        link="https://example.org/photo.jpg", kind=AttachmentKind.OTHER)
    world.object_import = ObjectImport.objects.create(
        museum=world.helped_museum, uploaded_by=world.helped_staff, file_name="藏品账.xlsx",
        status=ImportStatus.READING, file=ContentFile(b"x", name="scene.xlsx"))
