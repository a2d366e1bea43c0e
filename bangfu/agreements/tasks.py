"""The agreements' background work: the daily task reminders, a periodic job of the scheduler."""

import datetime

from django.conf import settings
from django_tasks import task

from bangfu.core.periodic import periodic

from .reminders import send_task_reminders


@periodic(name="task-reminders", daily_at=datetime.time.fromisoformat(settings.REMINDER_TIME))
@task()
def send_reminders() -> dict:
    """Today's task reminders (the same as `python manage.py send_reminders`; sent once whoever runs first)."""
    run = send_task_reminders(days=settings.REMINDER_DAYS)
    return {"due": run.due_tasks, "overdue": run.overdue_tasks, "sent": len(run.sent), "before": run.already_sent}
