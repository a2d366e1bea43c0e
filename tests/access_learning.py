"""The people area's pages in the access matrix (see tests/test_access_matrix.py): the hub, my record, a person's
record (the world's helped staff member, with hours of a class and its certificate, built through the learning
services), the hours overview, the yearly target, the certificate's PDF and revocation, and the public
verification pages. The outsider (staff of an unrelated museum) sees the hub and their own record, gets 403 for
the overview and the target, 404 for the helped staff member's record and certificate; anyone verifies a code."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bangfu.learning.services import certificate_issue, hours_record, target_set


def _list(name):
    return lambda w: reverse(f"learning:{name}")


MATRIX = {
    "learning:home": (_list("home"), 200, 302),
    "learning:me": (_list("me"), 200, 302),
    "learning:person": (lambda w: reverse("learning:person", args=[w.helped_staff.pk]), 404, 302),
    "learning:hours": (_list("hours"), 403, 302),
    "learning:targets": (_list("targets"), 403, 302),
    "learning:certificate_pdf": (lambda w: reverse("learning:certificate_pdf", args=[w.certificate.pk]), 404, 302),
    "learning:certificate_revoke": (lambda w: reverse("learning:certificate_revoke", args=[w.certificate.pk]),
                                    404, 302),
    "verify": (lambda w: reverse("verify", args=[w.certificate.code]), 200, 200),
    "verify_form": (lambda w: reverse("verify_form"), 200, 200),
}
POST_ONLY = {"learning:certificate_revoke"}

CLASS_TITLE = "县级博物馆藏品管理专项业务培训班"


def scene(world):
    today = timezone.localdate()
    target_set(by=world.admin, year=today.year, hours=90)
    start = today - datetime.timedelta(days=10)
    world.hours_entry = hours_record(person=world.helped_staff, source_type="test.class", source_id=1,
                                     source_label="培训班", title=CLASS_TITLE, hours=24, date=today)
    world.certificate = certificate_issue(by=world.admin, person=world.helped_staff, kind="class",
                                          source_type="test.class", source_id=1, title=CLASS_TITLE,
                                          issued_on=today, hours=24, start=start, end=today)
