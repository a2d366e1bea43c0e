"""Lecture tour reminders, sent by the daily `send_reminders`: a stop 7 days (or fewer) ahead → the stop museum's
admins and the stop's teachers who have an account, once per stop (the key names the stop)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.core.dates import cn_date
from bangfu.core.registry import Reminder, ReminderProvider
from bangfu.experts.models import Expert

from .models import LectureStop, StopStatus, TourStatus

AHEAD_DAYS = 7


def collect(today: datetime.date, days: int) -> list[Reminder]:
    stops = list(LectureStop.objects.filter(
        status=StopStatus.PLANNED, tour__status__in=[TourStatus.PLANNED, TourStatus.UNDERWAY],
        date__gte=today, date__lte=today + datetime.timedelta(days=AHEAD_DAYS))
        .select_related("tour", "museum")
        .prefetch_related(Prefetch("teachers", queryset=Expert.objects.select_related("user")))
        .order_by("date", "pk"))
    admins: dict[int, list[User]] = {}
    for user in User.objects.filter(museum_id__in={s.museum_id for s in stops}, role="museum_admin",
                                    is_active=True).order_by("pk"):
        admins.setdefault(user.museum_id, []).append(user)
    reminders = []
    for stop in stops:
        url = reverse("tours:stop", args=[stop.pk])
        title = f"专家巡讲「{stop.tour.title}」{cn_date(stop.date)}在{stop.museum.name}开讲"
        body = f"讲题：{stop.topic}。"
        for user in admins.get(stop.museum_id, []):
            reminders.append(Reminder(user=user, key=f"tours-stop-soon-{stop.pk}", url=url, title=title,
                                      body=body + "请做好场地与听众组织；结束后登记实到人数。"))
        for expert in stop.teachers.all():
            if expert.user is not None and expert.user.is_active:
                reminders.append(Reminder(user=expert.user, key=f"tours-stop-soon-{stop.pk}", url=url,
                                          title=title, body=body + "请按时前往授课。"))
    return reminders


def summary(reminders: list[Reminder], days: int) -> str:
    return f"七天内开讲的巡讲站点提醒 {len(reminders)} 条"


REMINDERS = ReminderProvider(name="专家巡讲", collect=collect, summary=summary)
