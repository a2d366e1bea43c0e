"""The platform's own periodic housekeeping: finished task rows, exports whose task was lost and old export
files."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .exports import exports_give_up_stale
from .models import ExportJob, ExportStatus
from .periodic import periodic

TASK_ROWS_KEPT = datetime.timedelta(days=30)
EXPORTS_KEPT = datetime.timedelta(days=7)  # the file; the row (its page says the file expired) for a year
EXPORT_ROWS_KEPT = datetime.timedelta(days=365)


@periodic(name="clean-up", daily_at=datetime.time(3, 0))
@task()
def clean_up() -> dict:
    """Delete the database queue's finished rows after 30 days; mark as failed the exports whose task was lost;
    delete export files after 7 days, keeping the row, so the 「导出完成」 notification's link opens a page saying
    the file expired (rows go after a year)."""
    now = timezone.now()
    tasks, _ = DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"],
                                           finished_at__lt=now - TASK_ROWS_KEPT).delete()
    stale = exports_give_up_stale()
    exports = 0
    for job in ExportJob.objects.filter(requested_at__lt=now - EXPORTS_KEPT, status=ExportStatus.DONE).exclude(
            file=""):
        job.file.delete(save=False)
        job.save(update_fields=["file"])
        exports += 1
    ExportJob.objects.filter(requested_at__lt=now - EXPORT_ROWS_KEPT).exclude(status=ExportStatus.RUNNING).delete()
    return {"task_rows": tasks, "exports": exports, "stale_exports": stale}
