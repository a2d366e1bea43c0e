"""Training reminders, sent by the daily `send_reminders`: a class's nomination deadline within the horizon (the
admins of museums that have nominated staff to it, so they can still change the list, and — for classes limited to
helped museums or chosen cities — every admin of an eligible museum is not asked: the class list shows them), and
a session tomorrow for its accepted participants. Keys name the class or session: sent once."""

from __future__ import annotations

import datetime

from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.core.registry import Reminder, ReminderProvider

from .models import ClassStatus, Nomination, NominationState, Session, TrainingClass


def collect(today: datetime.date, days: int) -> list[Reminder]:
    reminders = []
    closing = list(TrainingClass.objects.filter(status=ClassStatus.PUBLISHED, deadline__gte=today,
                                                deadline__lte=today + datetime.timedelta(days=days)))
    museums = Nomination.objects.filter(klass__in=closing).values_list("klass_id", "museum_id").distinct()
    by_class: dict[int, set[int]] = {}
    for klass_id, museum_id in museums:
        by_class.setdefault(klass_id, set()).add(museum_id)
    admins: dict[int, list] = {}
    for user in User.objects.filter(role="museum_admin", is_active=True,
                                    museum_id__in={m for ms in by_class.values() for m in ms}):
        admins.setdefault(user.museum_id, []).append(user)
    for klass in closing:
        for museum_id in sorted(by_class.get(klass.pk, ())):
            for user in admins.get(museum_id, []):
                reminders.append(Reminder(
                    user=user, key=f"training-deadline-{klass.pk}", url=reverse("training:class", args=[klass.pk]),
                    title=f"培训班「{klass.title}」将于{klass.deadline.month}月{klass.deadline.day}日截止报名",
                    body="如需调整本馆推荐的学员，请在截止前完成。"))
    tomorrow = today + datetime.timedelta(days=1)
    sessions = list(Session.objects.filter(start__date=tomorrow, klass__status__in=[
        ClassStatus.PUBLISHED, ClassStatus.CLOSED]).select_related("klass"))
    people = (Nomination.objects.filter(klass__in={s.klass_id for s in sessions}, state=NominationState.ACCEPTED)
              .select_related("person"))
    by_klass: dict[int, list] = {}
    for nomination in people:
        by_klass.setdefault(nomination.klass_id, []).append(nomination.person)
    for session in sessions:
        for person in by_klass.get(session.klass_id, []):
            reminders.append(Reminder(
                user=person, key=f"training-session-{session.pk}", url=reverse("training:mine"),
                title=f"明天有培训课程：{session.title}", body=f"培训班「{session.klass.title}」，{session.place}"))
    return reminders


def summary(reminders: list[Reminder], days: int) -> str:
    deadline = sum(r.key.startswith("training-deadline-") for r in reminders)
    return f"培训班报名截止提醒 {deadline} 条，次日课程提醒 {len(reminders) - deadline} 条"


REMINDERS = ReminderProvider(name="培训班", collect=collect, summary=summary)
