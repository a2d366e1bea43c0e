"""The museums' background work: reading and importing an uploaded file (the import pages enqueue these)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from bangfu.core.background import clear_progress, progress_key, progress_reporter
from bangfu.core.exports import export_run, job_params
from bangfu.notifications.services import notify_export_ready

from . import imports
from .models import Museum
from .selectors import filter_museums


def import_progress_key(batch_id: int) -> str:
    return progress_key("import", batch_id)


def _reporter(batch_id: int):
    key = import_progress_key(batch_id)
    return lambda phase, total: progress_reporter(key, phase=phase, total=total)


@task()
def read_import(batch_id: int) -> str:
    """Plan an uploaded file against the registry: the batch becomes pending (its preview) or failed."""
    try:
        return imports.import_read(batch_id=batch_id, progress=_reporter(batch_id)).status
    finally:
        clear_progress(import_progress_key(batch_id))


@task()
def run_import(batch_id: int, user_id: int | None, confirmed: list[int], skip_bad: bool, fingerprint: str,
               attempt: str | None = None) -> str:
    """Import a confirmed batch, all rows or none: the batch becomes imported, or pending again with the reason."""
    by = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user_id and by is None:  # the account was removed or deactivated meanwhile: nobody may import for it
        imports.ImportBatch.objects.filter(pk=batch_id, status=imports.ImportStatus.IMPORTING).update(
            status=imports.ImportStatus.PENDING, error="确认导入的账号已停用，未导入任何数据。")
        return imports.ImportStatus.PENDING
    try:
        return imports.import_run(batch_id=batch_id, by=by, confirmed=confirmed, skip_bad=skip_bad,
                                  fingerprint=fingerprint or None, progress=_reporter(batch_id),
                                  attempt=attempt).status
    finally:
        clear_progress(import_progress_key(batch_id))


@task()
def export_museums(job_id: int) -> int:
    """Write a large directory export (the filters of the page it was started from, the requester's rights) and
    tell the requester it is ready."""
    def build(job, count):
        museums = filter_museums(Museum.objects.all(), job_params(job))
        stream, name = imports.export_file(museums, user=job.requested_by, count=count)
        return stream, name

    job = export_run(job_id=job_id, build=build)
    notify_export_ready(job)
    return job.pk
