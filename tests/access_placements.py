"""The placement pages in the access matrix (see tests/test_access_matrix.py): a running placement of the helped
museum's staff member at the helper museum (mentored by the helper's staff member) with a monthly report, and a
guidance visit the helped museum asked the helper for. The outsider (staff of an unrelated museum) opens the lists,
their own page and the rule, gets 403 for the request forms (museum admins only) and 404 for the placement and the
visit and every step on them."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bangfu.core.dates import add_months
from bangfu.placements.services import (
    placement_agree,
    placement_request,
    placement_start,
    report_submit,
    visit_file_add,
    visit_propose,
)

from .access_conservation import png


def _url(name, attr):
    return lambda w: reverse(f"placements:{name}", args=[getattr(w, attr).pk])


def _list(name):
    return lambda w: reverse(f"placements:{name}")


PLACEMENT_STEPS = ("agree", "decline", "withdraw", "start", "cancel", "complete")
VISIT_STEPS = ("visit_agree", "visit_decline", "visit_cancel", "visit_complete", "visit_file_add")

MATRIX = {
    "placements:home": (_list("home"), 200, 302),
    "placements:create": (_list("create"), 403, 302),
    "placements:mine": (_list("mine"), 200, 302),
    "placements:rule": (_list("rule"), 200, 302),
    "placements:detail": (_url("detail", "placement"), 404, 302),
    **{f"placements:{n}": (_url(n, "placement"), 404, 302) for n in PLACEMENT_STEPS},
    "placements:report_add": (_url("report_add", "placement"), 404, 302),
    "placements:report_comment": (lambda w: reverse("placements:report_comment",
                                                    args=[w.placement.pk, w.placement_report.pk]), 404, 302),
    "placements:visits": (_list("visits"), 200, 302),
    "placements:visit_create": (_list("visit_create"), 403, 302),
    "placements:visit": (_url("visit", "visit"), 404, 302),
    **{f"placements:{n}": (_url(n, "visit"), 404, 302) for n in VISIT_STEPS},
}
POST_ONLY = {f"placements:{n}" for n in (*PLACEMENT_STEPS, *VISIT_STEPS, "report_comment")}


def scene(world):
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=40)).replace(day=1)
    world.placement = placement_request(
        by=world.helped_admin, host=world.helper_museum, person=world.helped_staff, kind="study",
        start=start, end=add_months(start, 4) - datetime.timedelta(days=1), goals="学习陈列设计与藏品管理",
        department="陈列部")
    placement_agree(placement=world.placement, by=world.helper_admin, mentor=world.helper_staff)
    placement_start(placement=world.placement, by=world.helper_admin)
    world.placement_report = report_submit(placement=world.placement, by=world.helped_staff, month=start,
                                           work_done="参与展厅改陈", learned="展线设计")
    world.visit = visit_propose(by=world.helped_admin, partner=world.helper_museum, title="库房预防性保护指导",
                                start=today + datetime.timedelta(days=10), end=today + datetime.timedelta(days=12),
                                agenda="第一天库房评估，第二天培训")
    visit_file_add(visit=world.visit, by=world.helped_admin, file=png("库房.png"))
