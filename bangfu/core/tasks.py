"""The platform's own periodic housekeeping: finished task rows and old export files."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .models import ExportJob
from .periodic import periodic

TASK_ROWS_KEPT = datetime.timedelta(days=30)
EXPORTS_KEPT = datetime.timedelta(days=7)


@periodic(name="clean-up", daily_at=datetime.time(3, 0))
@task()
def clean_up() -> dict:
    """Delete the database queue's finished rows after 30 days and exports (their files too) after 7 days."""
    now = timezone.now()
    tasks, _ = DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"],
                                           finished_at__lt=now - TASK_ROWS_KEPT).delete()
    exports = 0
    for job in ExportJob.objects.filter(requested_at__lt=now - EXPORTS_KEPT).exclude(status="running"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        exports += 1
    return {"task_rows": tasks, "exports": exports}
