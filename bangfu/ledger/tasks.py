"""The ledger's background work: writing a large export."""

from django_tasks import task

from bangfu.core.exports import export_run, job_params
from bangfu.notifications.services import notify_export_ready

from . import selectors
from .exports import export_file  # the same file as an export sent at once
from .models import LedgerEntry


@task()
def export_ledger(job_id: int) -> int:
    """Write a large ledger export (the filters of the page it was started from, the rows the requester may see)
    and tell the requester it is ready."""
    def build(job, count):
        entries, filters = selectors.filter_entries(LedgerEntry.objects.visible_to(job.requested_by),
                                                    job_params(job))
        stream, name = export_file(entries, user=job.requested_by, filters=filters, count=count)
        return stream, name

    job = export_run(job_id=job_id, build=build)
    notify_export_ready(job)
    return job.pk
