"""The learning record's background work: writing a large hours overview export."""

from django_tasks import task

from bangfu.core.exports import export_run, job_params
from bangfu.notifications.services import notify_export_ready

from .exports import hours_workbook, overview


@task()
def export_hours(job_id: int) -> int:
    """Write the hours overview of the page the export was started from (the requester's scope and filters) and
    tell the requester it is ready."""
    def build(job, count):
        return hours_workbook(overview(job.requested_by, job_params(job)), count=count)

    job = export_run(job_id=job_id, build=build)
    notify_export_ready(job)
    return job.pk
