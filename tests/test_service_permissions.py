"""Services check permission themselves (`require(by, perm, obj)`), so that a view, the API, a command or a test
cannot bypass the rule: someone who may not do a thing gets PermissionDenied from the service itself and nothing
changes. `by=None` stands for the system (demo data, the import command) where the existing services allow it."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from bangfu.museums import imports
from bangfu.museums.models import ImportBatch, ImportStatus, MuseumArea, MuseumPhoto, Offering
from bangfu.museums.services import (
    museum_add_photo,
    museum_remove_photo,
    museum_set_areas,
    museum_set_position,
    museum_update,
)
from bangfu.pairings.models import Pairing, PairingExclusion
from bangfu.pairings.services import (
    exclusion_add,
    exclusion_remove,
    pairing_create,
    pairing_update,
    suggestions_accept,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CSV = ",".join(imports.DIRECTORY_HEADERS) + "\n1,山西省,新建博物馆,文化文物系统国有博物馆,未定级,是,1,0,0,0,0\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files(root) -> list:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("展厅.png", buffer.getvalue(), content_type="image/png")


# --- the museum registry --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "outsider_admin", "province_supervisor", "expert"])
def test_someone_outside_a_museum_cannot_change_it_through_the_services(world, persona, media):
    by, museum = getattr(world, persona), world.helped_museum
    with pytest.raises(PermissionDenied):
        museum_update(museum=museum, by=by, data={"address": "被改的地址"})
    with pytest.raises(PermissionDenied):
        museum_set_position(museum=museum, by=by, lat=36.1, lng=112.2)
    with pytest.raises(PermissionDenied):
        museum_set_areas(museum=museum, by=by, kind=Offering.NEED, items={"exhibition": {"text": "展陈改造"}})
    with pytest.raises(PermissionDenied):
        museum_add_photo(museum=museum, by=by, image=png(), caption="展厅")
    museum.refresh_from_db()
    assert museum.address != "被改的地址" and not museum.position_precise
    assert not MuseumArea.objects.filter(museum=museum).exists()
    assert not museum.photos.exists() and files(media) == []


def test_only_the_museums_admin_or_the_association_sets_its_position(world):
    with pytest.raises(PermissionDenied):
        museum_set_position(museum=world.helped_museum, by=world.helped_staff, lat=36.1, lng=112.2)
    museum_set_position(museum=world.helped_museum, by=world.helped_admin, lat=36.1, lng=112.2)
    museum_set_position(museum=world.helped_museum, by=world.admin, lat=36.2, lng=112.3)
    assert (world.helped_museum.lat, world.helped_museum.position_precise) == (36.2, True)


def test_someone_outside_a_museum_cannot_remove_its_photo(world, media):
    photo = museum_add_photo(museum=world.helped_museum, by=world.helped_staff, image=png(), caption="展厅")
    with pytest.raises(PermissionDenied):
        museum_remove_photo(photo=photo, by=world.outsider)
    assert MuseumPhoto.objects.filter(pk=photo.pk).exists() and len(files(media)) == 1
    museum_remove_photo(photo=photo, by=world.helped_staff)
    assert not MuseumPhoto.objects.filter(pk=photo.pk).exists()


def test_the_museums_own_people_and_the_system_still_change_it(world):
    museum_update(museum=world.helped_museum, by=world.helped_staff, data={"address": "安泽县府城镇"})
    museum_set_areas(museum=world.helped_museum, by=world.helped_staff, kind=Offering.NEED,
                     items={"exhibition": {"text": "展陈改造"}})
    museum_update(museum=world.helped_museum, by=None, data={"short_name": "安泽博"})  # demo data, the command
    world.helped_museum.refresh_from_db()
    assert (world.helped_museum.address, world.helped_museum.short_name) == ("安泽县府城镇", "安泽博")


# --- imports --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["helper_admin", "province_supervisor", "outsider"])
def test_only_the_association_imports_through_the_services(world, persona, media):
    by = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        imports.import_upload(by=by, file=ContentFile(CSV.encode(), name="名录.csv"))
    assert not ImportBatch.objects.exists() and files(media) == []
    batch, _ = imports.import_upload(by=world.admin, file=ContentFile(CSV.encode(), name="名录.csv"))
    with pytest.raises(PermissionDenied):
        imports.import_commit(batch=batch, by=by)
    with pytest.raises(PermissionDenied):
        imports.import_cancel(batch=batch, by=by)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING
    assert not world.helped_museum.__class__.objects.filter(name="新建博物馆").exists()


def test_the_import_command_still_runs_as_the_system(world):
    batch, _ = imports.import_upload(by=None, file=ContentFile(CSV.encode(), name="名录.csv"))
    assert imports.import_commit(batch=batch, by=None)["created"] == 1


# --- pairings -------------------------------------------------------------------------------------------------


@pytest.fixture
def pairing(world):
    return pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                          start_date=TODAY, end_date=TODAY + datetime.timedelta(days=365))


@pytest.mark.parametrize("persona", ["helper_admin", "helped_admin", "province_supervisor", "outsider"])
def test_only_the_association_manages_pairings_through_the_services(world, pairing, persona):
    by = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        pairing_update(pairing=pairing, by=by, data={"note": "改了"})
    with pytest.raises(PermissionDenied):
        pairing_create(by=by, helper=world.helper_museum, helped=world.other_museum, start_date=TODAY,
                       end_date=TODAY + datetime.timedelta(days=365))
    with pytest.raises(PermissionDenied):
        suggestions_accept(by=by, pairs=[(world.helper_museum.pk, world.other_museum.pk)], start_date=TODAY,
                           end_date=TODAY + datetime.timedelta(days=365))
    with pytest.raises(PermissionDenied):
        exclusion_add(by=by, museum_a=world.helper_museum, museum_b=world.other_museum, reason="路远")
    exclusion = exclusion_add(by=world.admin, museum_a=world.helper_museum, museum_b=world.other_museum)
    with pytest.raises(PermissionDenied):
        exclusion_remove(by=by, exclusion=exclusion)
    pairing.refresh_from_db()
    assert pairing.note != "改了"
    assert list(Pairing.objects.values_list("helped", flat=True)) == [world.helped_museum.pk]
    assert list(PairingExclusion.objects.all()) == [exclusion]
