"""远程咨询 reminders, sent by the daily `send_reminders` with every module's: a meeting tomorrow (or within the
reminder horizon, at most one day) for each participant, once per meeting and start time (a rescheduled meeting is
reminded again)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from bangfu.core.registry import Reminder, ReminderProvider

from .models import Meeting, MeetingStatus


def collect(today: datetime.date, days: int) -> list[Reminder]:
    start = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    end = start + datetime.timedelta(days=1)
    meetings = (Meeting.objects.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end)
                .select_related("question").prefetch_related("participants").order_by("starts_at", "pk"))
    reminders = []
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        for user in meeting.participants.all():
            reminders.append(Reminder(
                user=user, key=f"consulting-meeting-soon-{meeting.pk}-{local:%Y%m%d%H%M}",
                url=reverse("consulting:meeting", args=[meeting.pk]),
                title=f"明天 {local:%H:%M} 在线咨询：{meeting.question.title}",
                body=f"会议链接：{meeting.link}{'，会议号 ' + meeting.meeting_code if meeting.meeting_code else ''}"))
    return reminders


def summary(reminders: list[Reminder], days: int) -> str:
    return f"明天的在线咨询会议提醒 {len(reminders)} 条"


REMINDERS = ReminderProvider(name="远程咨询", collect=collect, summary=summary)
