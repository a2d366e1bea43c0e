"""The daily reminders of every module, a periodic job of the scheduler (bangfu/core/periodic.py)."""

import datetime

from django.conf import settings
from django_tasks import task

from bangfu.core.periodic import periodic

from .reminders import send_reminders as send_every_modules_reminders


@periodic(name="task-reminders", daily_at=datetime.time.fromisoformat(settings.REMINDER_TIME))
@task()
def send_reminders() -> dict:
    """Today's reminders of every module (the same as `python manage.py send_reminders`; each sent once, whoever
    runs first)."""
    run = send_every_modules_reminders()
    return {"sent": len(run.sent), "before": run.already_sent}
