"""The ledger's background work: writing a large export."""

from django_tasks import task

from bangfu.core.exports import export_run, job_params, job_url
from bangfu.core.models import ExportStatus
from bangfu.notifications.services import notify

from . import selectors
from .models import LedgerEntry


@task()
def export_ledger(job_id: int) -> int:
    """Write a large ledger export (the filters of the page it was started from, the rows the requester may see)
    and tell the requester it is ready."""
    from .views import export_file  # the same file as an export sent at once

    def build(job, count):
        entries, filters = selectors.filter_entries(LedgerEntry.objects.visible_to(job.requested_by),
                                                    job_params(job))
        stream, name = export_file(entries, user=job.requested_by, filters=filters, count=count)
        return stream, name

    job = export_run(job_id=job_id, build=build)
    if job.status != ExportStatus.DONE:  # given up meanwhile (the page says so), or failed: nothing to announce
        return job.pk
    notify(user=job.requested_by, key=f"export-{job.pk}", title=f"导出完成：{job.title}", url=job_url(job),
           body=f"共 {job.rows:,} 行，文件只有您本人可以下载。")
    return job.pk
