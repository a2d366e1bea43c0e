"""Conservation reminders, sent by the daily `python manage.py send_reminders` with every module's: a request that
has waited a week or more for the lab to accept it (the lab's staff, once a week while it waits), and destructive
sampling waiting for the requesting museum's admin (its admins, once a week). The keys name the request and the
week of waiting: a second run the same week sends nothing again."""

from __future__ import annotations

import datetime

from django.urls import reverse

from bangfu.accounts.selectors import museums_staff
from bangfu.core.registry import Reminder, ReminderProvider

from .models import RequestStatus, ServiceRequest

WAIT_DAYS = 7


def collect(today: datetime.date, days: int) -> list[Reminder]:
    """The reminders due `today` (`days`, the deadline horizon, does not apply: these are waits, not deadlines)."""
    rows = list(ServiceRequest.objects.filter(status__in=[RequestStatus.REQUESTED, RequestStatus.AWAITING_APPROVAL])
                .select_related("service", "lab", "museum").order_by("pk"))
    waiting = []
    for request in rows:
        waited = (today - request.updated_at.date()).days
        if waited >= WAIT_DAYS:
            waiting.append((request, waited))
    staff = museums_staff(m for r, _ in waiting for m in (r.lab_id, r.museum_id))
    reminders = []
    for request, waited in waiting:
        url = reverse("conservation:request", args=[request.pk])
        week = waited // WAIT_DAYS
        if request.status == RequestStatus.REQUESTED:
            for user in staff.get(request.lab_id, []):
                reminders.append(Reminder(
                    user=user, key=f"conservation-waiting-lab-{request.pk}-w{week}", url=url,
                    title=f"{request.museum.name}申请「{request.service.name}」已等待 {waited} 天",
                    body="请受理或婉拒（婉拒请说明原因）。"))
        else:
            for user in staff.get(request.museum_id, []):
                if user.role == "museum_admin":
                    reminders.append(Reminder(
                        user=user, key=f"conservation-waiting-approval-{request.pk}-w{week}", url=url,
                        title=f"「{request.service.name}」的有损取样已等待批准 {waited} 天",
                        body="实验室须在馆管理员批准后才能受理；如不同意取样，请撤回申请并说明原因。"))
    return reminders


def summary(reminders: list[Reminder], days: int) -> str:
    lab = {r.key for r in reminders if r.key.startswith("conservation-waiting-lab-")}
    approval = {r.key for r in reminders if r.key.startswith("conservation-waiting-approval-")}
    return f"等待实验室受理的申请提醒 {len(lab)} 条，等待批准有损取样的提醒 {len(approval)} 条"


REMINDERS = ReminderProvider(name="文物保护", collect=collect, summary=summary)
