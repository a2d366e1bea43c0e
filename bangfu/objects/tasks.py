"""The object registry's background work: reading and importing a large 藏品账 file (the import pages enqueue
these; a small file is handled in the request by the same functions)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from bangfu.core.background import clear_progress, progress_key, progress_reporter

from . import imports
from .models import ImportStatus, ObjectImport


def import_progress_key(batch_id: int) -> str:
    return progress_key("objects-import", batch_id)


@task()
def read_import(batch_id: int) -> str:
    """Read an uploaded file into its preview: the batch becomes pending or failed."""
    return imports.import_read(batch_id=batch_id).status


@task()
def run_import(batch_id: int, user_id: int) -> str:
    """Import a confirmed batch: the batch becomes imported, or pending again with the reason."""
    by = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if by is None:  # the account was deactivated meanwhile: nobody may import for it
        ObjectImport.objects.filter(pk=batch_id, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.PENDING, error="确认导入的账号已停用，未导入任何数据。")
        return ImportStatus.PENDING
    batch = ObjectImport.objects.get(pk=batch_id)
    key = import_progress_key(batch_id)
    try:
        tick = progress_reporter(key, phase="导入", total=max(batch.preview.get("valid", 0), 1))
        return imports.import_run(batch_id=batch_id, by=by, progress=tick).status
    finally:
        clear_progress(key)
