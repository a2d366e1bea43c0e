"""Placements and visits for the placement tests, built through the services."""

import datetime

from django.utils import timezone

from bangfu.core.dates import add_months
from bangfu.placements.services import placement_agree, placement_request, placement_start, visit_propose


def term(months: int, *, start: datetime.date | None = None, extra_days: int = 0):
    """A start and the end that makes exactly `months` months (plus `extra_days`)."""
    start = start or timezone.localdate().replace(day=1)
    return start, add_months(start, months) - datetime.timedelta(days=1) + datetime.timedelta(days=extra_days)


def requested(world, *, months: int = 4, start: datetime.date | None = None, **values):
    start, end = term(months, start=start)
    return placement_request(by=world.helped_admin, host=world.helper_museum, person=world.helped_staff,
                             kind=values.pop("kind", "study"), start=start, end=end,
                             goals=values.pop("goals", "学习陈列设计"), department="陈列部", **values)


def running(world, *, months_ago: int = 3, months: int = 5):
    """A placement that started `months_ago` months ago (first of the month) and runs `months` months."""
    start = add_months(timezone.localdate().replace(day=1), -months_ago)
    placement = requested(world, months=months, start=start)
    placement_agree(placement=placement, by=world.helper_admin, mentor=world.helper_staff)
    placement_start(placement=placement, by=world.helper_admin)
    placement.refresh_from_db()
    return placement


def proposed_visit(world, *, by=None, partner=None, days_ahead: int = 10, days: int = 3):
    today = timezone.localdate()
    start = today + datetime.timedelta(days=days_ahead)
    return visit_propose(by=by or world.helped_admin, partner=partner or world.helper_museum,
                         title="库房预防性保护指导", start=start, end=start + datetime.timedelta(days=days - 1),
                         agenda="库房评估与培训", visitors="张三（保管部主任）")
