"""Task reminders: a notice N days before an agreement task is due and one when it is overdue.

The agreements module's reminder provider (`REMINDERS`, declared in module.py): the daily run of every module's
reminders (`python manage.py send_reminders`, bangfu/notifications/reminders.py) sends them. Every notice has a key
made of the task and its due date, so a second run the same day (or the next) sends nothing again; moving the due
date makes a new reminder."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bangfu.accounts.models import Role, User
from bangfu.core.dates import cn_date
from bangfu.core.registry import Reminder, ReminderProvider
from bangfu.pairings.models import OPEN_STATUSES
from bangfu.parties import museums_of

from .models import AgreementTask, Side


def _task_url(task: AgreementTask) -> str:
    try:
        return reverse("agreements:task", args=[task.pk])
    except NoReverseMatch:  # the agreements pages name their task page differently: the pairing page then
        return reverse("agreements:pairing", args=[task.agreement.pairing_id])


def _admins_by_museum(tasks: list[AgreementTask]) -> dict[int, list[User]]:
    museums = {m for t in tasks for m in museums_of(t.agreement.pairing)}
    admins = defaultdict(list)
    for user in User.objects.filter(role=Role.MUSEUM_ADMIN, is_active=True, museum_id__in=museums).order_by("pk"):
        admins[user.museum_id].append(user)
    return admins


def _owner_museums(task: AgreementTask) -> list[int]:
    return museums_of(task.agreement.pairing, Side.museums(task.owner_side))


def _responsible(task: AgreementTask) -> list[User]:
    """The responsible person, while they are active and still work at one of the pairing's museums (someone who
    moved on is not sent the pairing's business; the museum admins are reminded instead)."""
    person = task.responsible if task.responsible_id else None
    pairing = task.agreement.pairing
    if person is None or not person.is_active or person.museum_id not in museums_of(pairing):
        return []
    return [person]


def _unique(users: list[User]) -> list[User]:
    seen, result = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _describe(task: AgreementTask) -> str:
    pairing = task.agreement.pairing
    return (f"{pairing.helper.display_name} → {pairing.helped.display_name}，协议《{task.agreement.title}》。"
            f"{task.get_area_display()} · 负责方：{task.get_owner_side_display()} · 负责人：{task.responsible_label} · "
            f"进度 {task.progress}%。")


def planned_reminders(*, days: int, today: datetime.date | None = None) -> tuple[list[Reminder], int, int]:
    """Every reminder due today: (reminders, tasks due soon, overdue tasks). Open tasks of confirmed agreements of
    running pairings only: drafts, done and cancelled tasks, and tasks of completed or ended pairings, are never
    reminded of.

    Due within `days`: the responsible person, or if there is none, the museum admins of the owner side.
    Overdue: the responsible person and the museum admins of both museums."""
    today = today or timezone.localdate()
    base = (AgreementTask.objects.agreed().filter(agreement__pairing__status__in=OPEN_STATUSES).with_pairing()
            .select_related("agreement").order_by("due_date", "pk"))
    due = list(base.due_within(days, today=today))
    overdue = list(base.overdue(today=today))
    admins = _admins_by_museum(due + overdue)
    reminders = []
    for task in due:
        people = _responsible(task) or [u for m in _owner_museums(task) for u in admins.get(m, [])]
        left = (task.due_date - today).days
        when = "今天到期" if left == 0 else f"将于 {left} 天后（{cn_date(task.due_date)}）到期"
        for user in _unique(people):
            reminders.append(Reminder(
                user=user, key=f"task-due-{task.pk}-{task.due_date}", url=_task_url(task),
                title=f"任务{when}：{task.title}", body=_describe(task),
            ))
    for task in overdue:
        pairing = task.agreement.pairing
        people = _responsible(task) + admins.get(pairing.helper_id, []) + admins.get(pairing.helped_id, [])
        for user in _unique(people):
            reminders.append(Reminder(
                user=user, key=f"task-overdue-{task.pk}-{task.due_date}", url=_task_url(task),
                title=f"任务已逾期：{task.title}（截止日期 {cn_date(task.due_date)}）",
                body=_describe(task) + "请尽快完成，或与对方商定后调整截止日期。",
            ))
    return reminders, len(due), len(overdue)


def collect(today: datetime.date, days: int) -> list[Reminder]:
    return planned_reminders(days=days, today=today)[0]


def summary(reminders: list[Reminder], days: int) -> str:
    """How many tasks the reminders are about (a reminder's key names its task and due date)."""
    due = {r.key for r in reminders if r.key.startswith("task-due-")}
    overdue = {r.key for r in reminders if r.key.startswith("task-overdue-")}
    return f"{days} 天内到期的任务 {len(due)} 项，逾期任务 {len(overdue)} 项"


REMINDERS = ReminderProvider(name="协议任务", collect=collect, summary=summary)
