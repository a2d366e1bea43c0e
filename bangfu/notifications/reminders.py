"""The daily reminders run: every installed module's reminder providers (`registry.reminder_providers()`), each
reminder sent once (in the platform and by e-mail).

Run daily by `python manage.py send_reminders` (cron or a systemd timer, see README) or by the scheduler. Every
notice has a key, unique per user in the database, so a second run the same day (or the next) sends nothing
again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from bangfu.core import registry
from bangfu.core.registry import Reminder

from .models import Notification
from .services import notify


@dataclass
class ReminderRun:
    """What a run did (or, dry, would do)."""

    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    summaries: list[str] = field(default_factory=list)  # each provider's own account of what it collected

    @property
    def emails(self) -> int:
        return sum(1 for r in self.sent if r.user.email)


def send_reminders(*, today: datetime.date | None = None, days: int | None = None,
                   dry_run: bool = False) -> ReminderRun:
    """Send today's reminders of every module, looking `days` ahead (REMINDER_DAYS by default); with `dry_run`
    only say what would be sent."""
    today = today or timezone.localdate()
    days = settings.REMINDER_DAYS if days is None else days
    run = ReminderRun()
    for provider in registry.reminder_providers():
        reminders = list(provider.collect(today, days))
        if provider.summary is not None:
            run.summaries.append(provider.summary(reminders, days))
        sent_before = set(Notification.objects.filter(key__in={r.key for r in reminders})
                          .values_list("user_id", "key"))
        for reminder in reminders:
            if (reminder.user.pk, reminder.key) in sent_before:
                run.already_sent += 1
            elif dry_run or notify(user=reminder.user, key=reminder.key, title=reminder.title, body=reminder.body,
                                   url=reminder.url, email=True):
                run.sent.append(reminder)
            else:
                run.already_sent += 1
    return run
