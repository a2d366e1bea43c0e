"""Placement reminders, sent by the daily `python manage.py send_reminders` with every module's: the placed person
when a month's report is late (REPORT_GRACE_DAYS after the month ended, for a running placement), and the mentor
when a report has waited COMMENT_WAIT_DAYS or more for a comment (once a week while it waits). The keys name the
placement and the month (or the report and the week of waiting): a second run sends nothing again."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.urls import reverse

from bangfu.core.registry import Reminder, ReminderProvider

from .models import MonthlyReport, Placement, PlacementStatus, month_end

REPORT_GRACE_DAYS = 7
COMMENT_WAIT_DAYS = 3


def late_months(placement: Placement, today: datetime.date, reported: set[datetime.date]) -> list[datetime.date]:
    """The months of a placement whose report is late on `today` (more than REPORT_GRACE_DAYS after the month)."""
    return [m for m in placement.report_months(today)
            if m not in reported and month_end(m) + datetime.timedelta(days=REPORT_GRACE_DAYS) < today]


def collect(today: datetime.date, days: int) -> list[Reminder]:
    """The reminders due `today` (`days`, the deadline horizon, does not apply)."""
    placements = (Placement.objects.filter(status=PlacementStatus.IN_PROGRESS)
                  .select_related("person", "mentor", "host")
                  .prefetch_related(Prefetch("reports", queryset=MonthlyReport.objects.order_by("month")))
                  .order_by("pk"))
    reminders = []
    for placement in placements:
        url = reverse("placements:detail", args=[placement.pk])
        reports = list(placement.reports.all())
        for month in late_months(placement, today, {r.month for r in reports}):
            reminders.append(Reminder(
                user=placement.person, key=f"placements-report-late-{placement.pk}-{month:%Y%m}", url=url,
                title=f"{month:%Y年%m月}的跟班学习月度报告还没有提交",
                body=f"请尽快在「我的跟班学习」中提交（{placement.host.name}）。"))
        if placement.mentor is None:
            continue
        for report in reports:
            waited = (today - report.written_at.date()).days
            if not report.comment and waited >= COMMENT_WAIT_DAYS:
                reminders.append(Reminder(
                    user=placement.mentor, key=f"placements-report-comment-{report.pk}-w{waited // 7}", url=url,
                    title=f"{placement.person_name}{report.month:%Y年%m月}的月度报告等待您点评（{waited} 天）",
                    body="请在跟班学习页面填写点评意见。"))
    return reminders


def summary(reminders: list[Reminder], days: int) -> str:
    late = sum(1 for r in reminders if r.key.startswith("placements-report-late-"))
    comment = sum(1 for r in reminders if r.key.startswith("placements-report-comment-"))
    return f"逾期未交的月度报告提醒 {late} 条，等待指导老师点评的提醒 {comment} 条"


REMINDERS = ReminderProvider(name="跟班学习", collect=collect, summary=summary)
