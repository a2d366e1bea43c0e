"""The ledger pages in the access matrix (see test_access_matrix.py)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.ledger.services import ledger_record

MATRIX = {
    "ledger:list": (lambda w: reverse("ledger:list"), 200, 302),  # an outsider sees only their own museum's rows
    "ledger:export": (lambda w: reverse("ledger:export"), 200, 302),
    "ledger:create": (lambda w: reverse("ledger:create"), 200, 302),  # for their own museum
    "ledger:detail": (lambda w: reverse("ledger:detail", args=[w.ledger_entry.pk]), 404, 302),
    "ledger:confirm": (lambda w: reverse("ledger:confirm", args=[w.ledger_entry.pk]), 404, 302),
    "ledger:void": (lambda w: reverse("ledger:void", args=[w.ledger_entry.pk]), 404, 302),
    "ledger:correct": (lambda w: reverse("ledger:correct", args=[w.ledger_entry.pk]), 404, 302),
    "ledger:withdraw": (lambda w: reverse("ledger:withdraw", args=[w.ledger_entry.pk]), 404, 302),
    "ledger:limits": (lambda w: reverse("ledger:limits"), 403, 302),  # the association's only
}
POST_ONLY = {"ledger:confirm"}


def scene(world):
    """A pending manual entry with an evidence file between the helper and the helped museum."""
    world.ledger_entry = ledger_record(
        by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum, area="people",
        kind="培训", date=datetime.date(2026, 3, 1), description="文物修复培训班", people_trained=20,
        evidence=SimpleUploadedFile("sign-in.pdf", b"%PDF-1.4 sign-in sheet"),
    )
