"""Imports and exports never stay 「running」 for ever: a queue that cannot be reached puts the job back at once,
a job whose task was lost (the worker died) is given up after TASK_STALE_AFTER, and an export whose file was
removed after 7 days still has a page saying so."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bangfu.core import exports
from bangfu.core.background import TASK_STALE_AFTER
from bangfu.core.models import ExportJob, ExportStatus
from bangfu.core.tasks import clean_up
from bangfu.museums import import_views
from bangfu.museums.models import ImportBatch, ImportStatus, Museum

from .test_museum_import import GOOD_ROWS, as_csv, upload

LONG_AGO = TASK_STALE_AFTER + datetime.timedelta(minutes=1)


@pytest.fixture
def queue_down(monkeypatch):
    def enqueue(task, *args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(import_views, "enqueue", enqueue)
    monkeypatch.setattr(exports, "enqueue", enqueue)


def test_an_upload_the_queue_cannot_take_fails_with_a_reason(world, login, queue_down):
    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and "任务队列不可用" in batch.error and not batch.file.storage.exists(
        batch.file.name)
    page = client.get(url).content.decode()
    assert "任务队列不可用" in page and "hx-trigger" not in page


def test_a_confirmation_the_queue_cannot_take_leaves_the_batch_pending(world, login, monkeypatch):
    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url  # the immediate backend: read at once
    batch = ImportBatch.objects.get()

    def enqueue(task, *args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(import_views, "enqueue", enqueue)
    assert client.post(url, {"fingerprint": batch.preview["fingerprint"]}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and "未导入任何数据" in batch.error
    page = client.get(url).content.decode()
    assert "任务队列不可用" in page and "确认导入" in page
    assert not Museum.objects.filter(name="八路军太行纪念馆").exists()


def _stuck(client, status):
    url = upload(client, as_csv(GOOD_ROWS)).url
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, started_at=timezone.now() - LONG_AGO)
    return url, batch


def test_a_batch_read_by_a_lost_task_fails_when_its_page_is_opened(world, login):
    client = login(world.admin)
    url, batch = _stuck(client, ImportStatus.READING)
    fragment = client.get(reverse("museums:import_progress", args=[batch.pk]), headers={"HX-Request": "true"})
    assert fragment.headers["HX-Refresh"] == "true"  # the polling page reloads
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "可能已中断" in batch.error
    assert "可能已中断" in client.get(url).content.decode()


def test_a_batch_imported_by_a_lost_task_can_be_confirmed_again_or_cancelled(world, login):
    client = login(world.admin)
    url, batch = _stuck(client, ImportStatus.IMPORTING)
    page = client.get(url).content.decode()
    assert "可能已中断" in page and "确认导入" in page and "hx-trigger" not in page
    client.post(url, {"cancel": "1"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED


def test_a_running_batch_within_the_timeout_is_left_alone(world, login):
    client = login(world.admin)
    url, batch = _stuck(client, ImportStatus.IMPORTING)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now())
    assert "正在导入" in client.get(url).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING


def test_an_export_the_queue_cannot_take_fails_on_its_page(world, login, settings, queue_down):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client = login(world.admin)
    url = client.get(reverse("museums:export")).url
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    page = client.get(url).content.decode()
    assert "任务队列不可用" in page and "hx-trigger" not in page


def test_an_export_whose_task_was_lost_fails_on_its_page_and_in_the_nightly_clean_up(world, login):
    jobs = [ExportJob.objects.create(kind="ledger", title="帮扶台账", requested_by=world.admin) for _ in range(3)]
    ExportJob.objects.filter(pk__in=[jobs[0].pk, jobs[1].pk]).update(requested_at=timezone.now() - LONG_AGO)
    page = login(world.admin).get(reverse("export_job", args=[jobs[0].pk])).content.decode()
    assert "可能已中断" in page and "hx-trigger" not in page
    assert clean_up.call()["stale_exports"] == 1
    statuses = [ExportJob.objects.get(pk=job.pk).status for job in jobs]
    assert statuses == [ExportStatus.FAILED, ExportStatus.FAILED, ExportStatus.RUNNING]


def test_an_expired_export_keeps_a_page_saying_so(world, login):
    job = ExportJob.objects.create(kind="ledger", title="帮扶台账", requested_by=world.admin,
                                   status=ExportStatus.DONE, file_name="帮扶台账.xlsx")
    job.file.save("old.xlsx", ContentFile(b"x"))
    storage, name = job.file.storage, job.file.name
    ExportJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))
    assert clean_up.call()["exports"] == 1
    assert not storage.exists(name) and ExportJob.objects.filter(pk=job.pk).exists()
    client = login(world.admin)
    page = client.get(reverse("export_job", args=[job.pk]))  # the 「导出完成」 notification's link
    assert page.status_code == 200 and "只保留 7 天，已经删除" in page.content.decode()
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - datetime.timedelta(days=366))
    clean_up.call()
    assert not ExportJob.objects.filter(pk=job.pk).exists()


def test_a_late_task_of_a_batch_given_up_and_confirmed_again_imports_nothing(world, login):
    """The lost task was only late: it finds another attempt (the administrator's new choices) and leaves it to
    that attempt's own task."""
    from bangfu.museums import imports

    client = login(world.admin)
    url, batch = _stuck(client, ImportStatus.IMPORTING)
    late = imports.attempt_of(ImportBatch.objects.get(pk=batch.pk))
    client.get(url)  # given up: pending again
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING
    assert imports.import_confirm(batch=batch, by=world.admin, skip_bad=True)  # confirmed again, not yet run
    imports.import_run(batch_id=batch.pk, by=world.admin, skip_bad=True, attempt=late)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING and not Museum.objects.filter(name="八路军太行纪念馆").exists()
    imports.import_run(batch_id=batch.pk, by=world.admin, skip_bad=True, attempt=imports.attempt_of(batch))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and Museum.objects.filter(name="八路军太行纪念馆").exists()


def test_a_reading_task_given_up_while_it_reads_leaves_the_batch_failed(world, login, monkeypatch):
    from bangfu.museums import imports

    client = login(world.admin)
    _, batch = _stuck(client, ImportStatus.READING)
    plan = imports.build_preview

    def given_up_meanwhile(**kwargs):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, error="可能已中断")
        return plan(**kwargs)

    monkeypatch.setattr(imports, "build_preview", given_up_meanwhile)
    imports.import_read(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.error == "可能已中断"


def test_an_export_given_up_before_its_task_ran_announces_nothing(world):
    from bangfu.ledger.tasks import export_ledger
    from bangfu.notifications.models import Notification

    job = ExportJob.objects.create(kind="ledger", title="帮扶台账", requested_by=world.admin,
                                   status=ExportStatus.FAILED, error="可能已中断")
    export_ledger.call(job.pk)
    assert not Notification.objects.filter(key=f"export-{job.pk}").exists()
