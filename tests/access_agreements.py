"""The agreement pages in the access matrix (tests/test_access_matrix.py): every one needs a signed-in user who may
see the pairing; an outsider (staff of an unrelated museum) gets 404, an anonymous visitor the login page."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bangfu.agreements.services import agreement_create, agreement_update, evidence_add
from bangfu.pairings.services import pairing_create


def _pk(w):
    return [w.pairing.pk]


MATRIX = {
    "agreements:overview": (lambda w: reverse("agreements:overview"), 403, 302),
    "agreements:pairing": (lambda w: reverse("agreements:pairing", args=_pk(w)), 404, 302),
    "agreements:create": (lambda w: reverse("agreements:create", args=_pk(w)), 404, 302),
    "agreements:edit": (lambda w: reverse("agreements:edit", args=_pk(w)), 404, 302),
    "agreements:submit": (lambda w: reverse("agreements:submit", args=_pk(w)), 404, 302),
    "agreements:confirm": (lambda w: reverse("agreements:confirm", args=_pk(w)), 404, 302),
    "agreements:discard": (lambda w: reverse("agreements:discard", args=_pk(w)), 404, 302),
    "agreements:print": (lambda w: reverse("agreements:print", args=_pk(w)), 404, 302),
    "agreements:docx": (lambda w: reverse("agreements:docx", args=_pk(w)), 404, 302),
    "agreements:task_create": (lambda w: reverse("agreements:task_create", args=_pk(w)), 404, 302),
    "agreements:report": (lambda w: reverse("agreements:report", args=_pk(w)), 404, 302),
    "agreements:task": (lambda w: reverse("agreements:task", args=[w.task.pk]), 404, 302),
    "agreements:task_edit": (lambda w: reverse("agreements:task_edit", args=[w.task.pk]), 404, 302),
    "agreements:task_remove": (lambda w: reverse("agreements:task_remove", args=[w.task.pk]), 404, 302),
    "agreements:task_progress": (lambda w: reverse("agreements:task_progress", args=[w.task.pk]), 404, 302),
    "agreements:task_complete": (lambda w: reverse("agreements:task_complete", args=[w.task.pk]), 404, 302),
    "agreements:evidence_add": (lambda w: reverse("agreements:evidence_add", args=[w.task.pk]), 404, 302),
    # core's one attachment view, here with a task's evidence photo: the task's access check (its pairing's)
    "attachment": (lambda w: reverse("attachment", args=[w.evidence.pk]), 404, 302),
    "agreements:evidence_remove": (lambda w: reverse("agreements:evidence_remove", args=[w.evidence.pk]), 404, 302),
}
POST_ONLY = {"agreements:create", "agreements:submit", "agreements:confirm", "agreements:discard",
             "agreements:task_remove",
             "agreements:task_progress", "agreements:task_complete", "agreements:evidence_add",
             "agreements:evidence_remove"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), "red").save(buffer, "PNG")
    return buffer.getvalue()


def scene(world):
    """The world's pairing (made here unless another module made it), a draft agreement with one task, and a
    photo and a news link as the task's evidence."""
    today = timezone.localdate()
    if getattr(world, "pairing", None) is None:
        world.pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                                       start_date=today, end_date=today + datetime.timedelta(days=730))
    world.agreement = agreement_create(pairing=world.pairing, by=world.helper_admin)
    due = today + datetime.timedelta(days=30)
    agreement_update(agreement=world.agreement, by=world.helper_admin, goals={"exhibition": "联合策划一个展览"},
                     tasks=[{"title": "巡展进县馆", "area": "exhibition", "due_date": due}])
    world.task = world.agreement.tasks.get()
    world.evidence = evidence_add(task=world.task, by=world.helper_staff,
                                  file=SimpleUploadedFile("现场.png", _png(), content_type="image/png"), caption="现场")
    world.evidence_news = evidence_add(task=world.task, by=world.helper_staff, link="https://news.example.org/1",
                                       caption="新闻报道")
