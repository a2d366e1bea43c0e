"""Work off the request path: e-mail through the task queue (database and RQ, for real), the worker command, the
one scheduler of periodic jobs."""

import datetime
import os
import signal

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from bangfu.core import periodic
from bangfu.core.models import PeriodicRun
from bangfu.notifications.models import Notification
from bangfu.notifications.services import notify

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASK_BACKEND = "database"


@pytest.fixture
def keep_signal_handlers():
    """The workers install their own SIGINT/SIGTERM handlers; the test run gets its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture(autouse=True)
def _connections_kept_in_the_test_transaction(monkeypatch):
    """The worker and the scheduler run in this process, inside the test's transaction: their
    close_old_connections() (a long-running process's hygiene) would close it on PostgreSQL."""
    from bangfu.core.management.commands import scheduler, worker

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("django_rq.management.commands.rqworker.reset_db_connections", lambda: None)
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)


def run_worker():
    call_command("worker", "--burst", verbosity=0)


@pytest.fixture
def alice(world):
    world.helped_staff.email = "alice@example.org"
    world.helped_staff.save(update_fields=["email"])
    return world.helped_staff


# --- e-mail through the database queue --------------------------------------------------------------------------


def test_a_notification_email_is_queued_on_commit_and_sent_by_the_worker(
        alice, database_queue, keep_signal_handlers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=alice, key="k", title="任务将于 3 天后到期", url="/ledger/", email=True)
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "bangfu.core.mail.send_email" and queued.status == "READY"
    run_worker()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]] and "3 天后到期" in mail.outbox[0].subject
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_password_reset_page_answers_without_sending_and_the_worker_sends(
        client, world, database_queue, keep_signal_handlers):
    world.helper_staff.email = "staff@example.org"
    world.helper_staff.save(update_fields=["email"])
    response = client.post(reverse("password_reset"), {"email": "staff@example.org"})
    assert response.status_code == 302 and mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    assert mail.outbox[0].to == ["staff@example.org"] and "/password/reset/" in mail.outbox[0].body


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failing_mail_server_is_tried_again_later_and_the_notification_stays(
        alice, database_queue, keep_signal_handlers, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.test_tasks.BrokenMailServer"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=alice, key="k", title="逾期", email=True)
    run_worker()
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "SUCCESSFUL" and first.return_value is False  # handled: logged, not a crash
    assert retry.status == "READY" and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now()  # later, not in a tight loop
    notification = Notification.objects.get(key="k")
    assert notification.emailed_at is None  # still in the platform, not marked as e-mailed


def test_the_last_attempt_gives_up_with_a_log_line(settings, caplog):
    from bangfu.core.mail import ATTEMPTS, send_email

    settings.EMAIL_BACKEND = "tests.test_tasks.BrokenMailServer"
    result = send_email.enqueue(to=["a@example.org"], subject="s", body="b", attempt=ATTEMPTS)  # immediate
    assert result.return_value is False and "could not e-mail" in caplog.text


def test_a_queue_that_cannot_be_reached_loses_no_notification(alice, settings, caplog,
                                                               django_capture_on_commit_callbacks):
    settings.TASKS = RQ_QUEUE
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=alice, key="k", title="逾期", email=True)
    assert Notification.objects.filter(key="k").exists() and "could not enqueue" in caplog.text


# --- e-mail through RQ on the machine's Redis -------------------------------------------------------------------


@pytest.fixture
def rq_queue(settings):
    import redis

    connection = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_TEST_URL} is not reachable (CI must run it)")
        pytest.skip(f"Redis at {REDIS_TEST_URL} is not reachable")
    connection.flushdb()
    settings.TASKS = RQ_QUEUE
    settings.TASK_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 60}}
    yield connection
    connection.flushdb()


def test_an_email_goes_through_rq_and_an_rq_worker_sends_it(
        alice, rq_queue, keep_signal_handlers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=alice, key="k", title="请确认台账记录", email=True)
    assert mail.outbox == []
    import django_rq

    assert django_rq.get_queue("default").count == 1
    # SimpleWorker runs the job in this process (the default worker forks), so the test sees the e-mail sent.
    call_command("rqworker", "default", job_class="django_tasks_rq.Job", worker_class="rq.worker.SimpleWorker",
                 burst=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert django_rq.get_queue("default").count == 0


# --- the scheduler ----------------------------------------------------------------------------------------------

TICKS = []


@task()
def tick(label: str = "") -> None:
    TICKS.append(label)


@pytest.fixture
def jobs():
    TICKS.clear()
    return {"tick": periodic.PeriodicJob(name="tick", task=tick, daily_at=datetime.time(8, 0), kwargs={"label": "x"})}


def at(hour, minute=0, day=6):
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))


def test_a_due_job_runs_once_and_not_again_until_its_next_slot(jobs):
    assert periodic.run_due(now=at(8, 1), jobs=jobs) == ["tick"]
    assert periodic.run_due(now=at(8, 1), jobs=jobs) == []  # a second scheduler, or a restart
    assert periodic.run_due(now=at(23, 59), jobs=jobs) == []
    assert periodic.run_due(now=at(8, 0, day=7), jobs=jobs) == ["tick"]
    assert TICKS == ["x", "x"]
    assert PeriodicRun.objects.get(name="tick").slot == at(8, 0, day=7)


def test_a_job_not_yet_due_today_waits_and_missed_days_run_once(jobs):
    PeriodicRun.objects.create(name="tick", slot=at(8, 0, day=1))
    assert periodic.run_due(now=at(7, 59), jobs=jobs) == ["tick"]  # the 5th's slot, missed while down: once
    assert periodic.run_due(now=at(7, 59, day=6), jobs=jobs) == []
    assert TICKS == ["x"]


def test_every_counts_from_a_fixed_origin(jobs):
    job = periodic.PeriodicJob(name="often", task=tick, every=datetime.timedelta(minutes=15))
    assert job.slot(at(9, 14)) == at(9, 0) and job.slot(at(9, 15)) == at(9, 15)
    assert periodic.run_due(now=at(9, 14), jobs={"often": job}) == ["often"]
    assert periodic.run_due(now=at(9, 14, ), jobs={"often": job}) == []
    assert periodic.run_due(now=at(9, 16), jobs={"often": job}) == ["often"]


def test_periodic_needs_one_schedule():
    with pytest.raises(ValueError):
        periodic.periodic(name="x")
    with pytest.raises(ValueError):
        periodic.periodic(name="x", every=datetime.timedelta(seconds=5))


def test_the_daily_reminders_are_registered_and_the_scheduler_enqueues_them_once(database_queue, capsys,
                                                                                  keep_signal_handlers):
    call_command("scheduler", "--once")
    assert {"task-reminders", "clean-up", "exchange-expire"} <= set(periodic.JOBS)
    enqueued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {"bangfu.core.tasks.clean_up", "bangfu.notifications.tasks.send_reminders",
            "bangfu.exchange.tasks.expire_posts"} <= set(enqueued)
    assert enqueued == sorted(job.task.module_path for job in periodic.JOBS.values())  # each job once
    call_command("scheduler", "--once")  # cron again, or a second machine
    assert DBTaskResult.objects.count() == len(periodic.JOBS)
    assert "已加入队列：task-reminders" in capsys.readouterr().out


def test_the_worker_runs_the_reminders_like_the_command(database_queue, keep_signal_handlers, world):
    from .factories import make_agreement

    make_agreement(world, tasks=[{"title": "培训", "due_date": timezone.localdate() + datetime.timedelta(days=2)}])
    call_command("scheduler", "--once")
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Notification.objects.filter(key__startswith="task-due-").exists()


def test_the_worker_refuses_the_immediate_backend(settings):
    from django.core.management import CommandError

    settings.TASK_BACKEND = "immediate"
    with pytest.raises(CommandError):
        call_command("worker", "--burst")


# --- the museum import in the background ------------------------------------------------------------------------


def test_an_import_is_read_and_written_by_the_worker_while_its_page_shows_the_progress(
        world, login, database_queue, keep_signal_handlers):
    from bangfu.core.background import report_progress
    from bangfu.museums.models import ImportBatch, ImportStatus, Museum
    from bangfu.museums.tasks import import_progress_key

    from .test_museum_import import GOOD_ROWS, as_csv, upload

    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.READING and batch.preview == {"total": 3}
    page = client.get(url).content.decode()
    progress_url = reverse("museums:import_progress", args=[batch.pk])
    assert "正在读取" in page and f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    assert "等待后台任务进程开始处理" in page

    report_progress(import_progress_key(batch.pk), done=2, total=3, phase="读取")
    fragment = client.get(progress_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "2 / 3 行（67%）" in fragment.content.decode()
    assert 'style="width: 67%"' in fragment.content.decode() and "<html" not in fragment.content.decode()

    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and batch.preview["total"] == 3 and "counts" in batch.preview
    finished = client.get(progress_url, headers={"HX-Request": "true"})
    assert finished.headers["HX-Refresh"] == "true"  # htmx reloads the page, which now shows the preview
    assert "将新增（家）" in client.get(url).content.decode()  # the preview

    assert client.post(url, {"fingerprint": batch.preview["fingerprint"]}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING and not Museum.objects.filter(name="八路军太行纪念馆").exists()
    assert "正在导入" in client.get(url).content.decode()
    assert client.post(url, {"fingerprint": batch.preview["fingerprint"]}).status_code == 302  # a second click
    run_worker()
    assert DBTaskResult.objects.filter(task_path="bangfu.museums.tasks.run_import").count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and batch.finished_by == world.admin
    assert Museum.objects.filter(name="八路军太行纪念馆").exists()
    assert "导入完成" in client.get(url).content.decode()


def test_a_refusal_found_by_the_background_import_is_shown_on_the_preview(world, login, monkeypatch):
    from django.core.exceptions import ValidationError

    from bangfu.museums import imports
    from bangfu.museums.models import ImportBatch, ImportStatus, Museum

    from .test_museum_import import GOOD_ROWS, as_csv, upload

    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url  # the immediate backend: read at once

    def refuse(**kwargs):
        raise ValidationError("名称已被占用")

    monkeypatch.setattr(imports, "museum_create", refuse)
    client.post(url, {"fingerprint": ImportBatch.objects.get().preview["fingerprint"]})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PENDING and "无法保存：名称已被占用" in batch.error
    page = client.get(url).content.decode()
    assert "无法保存：名称已被占用" in page and "确认导入" in page
    assert not Museum.objects.filter(name="八路军太行纪念馆").exists()


def test_a_file_the_worker_cannot_read_fails_with_its_reason(world, login, database_queue, keep_signal_handlers):
    from bangfu.museums.models import ImportBatch, ImportStatus

    from .test_museum_import import GOOD_ROWS, as_csv, upload

    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url
    batch = ImportBatch.objects.get()
    batch.file.storage.delete(batch.file.name)  # lost between the upload and the worker
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "重新上传" in batch.error
    page = client.get(url).content.decode()
    assert "无法导入" in page and "找不到上传的文件" in page


def test_outsiders_cannot_see_an_imports_progress(world, login):
    from django.core.files.base import ContentFile

    from bangfu.museums import imports

    from .test_museum_import import GOOD_ROWS, as_csv

    batch = imports.import_start(by=world.admin, file=ContentFile(as_csv(GOOD_ROWS), name="名录.csv"))
    url = reverse("museums:import_progress", args=[batch.pk])
    assert login(world.helper_admin).get(url).status_code == 404
    assert login(world.admin).get(url).status_code == 200


# --- large exports written by the worker ------------------------------------------------------------------------


def read_xlsx(response) -> list[tuple]:
    import io

    import openpyxl

    data = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


def test_a_large_directory_export_is_written_by_the_worker_and_offered_to_its_requester_only(
        world, login, settings, database_queue, keep_signal_handlers):
    from bangfu.core.models import ExportJob, ExportStatus

    settings.EXPORT_INLINE_MAX_ROWS = 2  # the world has three museums
    client = login(world.admin)
    response = client.get(reverse("museums:export"), {"q": "博物"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_job", args=[job.pk])
    assert job.status == ExportStatus.RUNNING and job.params == {"q": ["博物"]} and job.requested_by == world.admin
    page = client.get(response.url).content.decode()
    assert "等待后台任务进程开始处理" in page and 'hx-trigger="every 1s"' in page
    from bangfu.core.background import clear_progress, report_progress
    from bangfu.core.exports import export_progress_key

    report_progress(export_progress_key(job.pk), done=1, total=3, phase="导出")  # the fragment htmx polls
    fragment = client.get(reverse("export_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "1 / 3 行（33%）" in fragment and 'hx-trigger="every 1s"' in fragment
    clear_progress(export_progress_key(job.pk))

    run_worker()
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.file_name.startswith("博物馆名录-")
    notice = Notification.objects.get(user=world.admin, key=f"export-{job.pk}")
    assert notice.url == reverse("export_job", args=[job.pk]) and "导出完成" in notice.title
    fragment = client.get(reverse("export_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and reverse("export_download", args=[job.pk]) in fragment
    rows = read_xlsx(client.get(reverse("export_download", args=[job.pk])))
    assert rows[0][:2] == ("编号", "博物馆名称") and len(rows) - 1 == job.rows
    assert "联系人" in rows[0]  # the association's rights: contact columns

    for other in (world.province_supervisor, world.helper_admin):
        client = login(other)
        assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_a_small_export_is_still_sent_at_once(world, login):
    from bangfu.core.models import ExportJob

    response = login(world.helper_staff).get(reverse("museums:export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_a_large_ledger_export_keeps_the_requesters_rights_and_filters(world, login, settings):
    from bangfu.core.models import ExportJob, ExportStatus
    from bangfu.ledger.services import ledger_record

    from .factories import make_museum

    stranger = make_museum("平遥县博物馆", county="140728")
    for people, helped in enumerate((world.helped_museum, world.helped_museum, stranger), start=5):
        ledger_record(by=world.admin, helper=world.helper_museum, helped=helped, area="people", kind="培训",
                      date=timezone.localdate(), people_trained=people, description="业务培训")
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client = login(world.helped_admin)  # sees the two entries of their own museum
    response = client.get(reverse("ledger:export"), {"area": "people"})  # the immediate backend: written at once
    job = ExportJob.objects.get()
    assert response.url == reverse("export_job", args=[job.pk]) and job.status == ExportStatus.DONE
    assert job.rows == 2
    rows = read_xlsx(client.get(reverse("export_download", args=[job.pk])))
    assert len(rows) == 1 + 2 + 1 and rows[-1][0] == "合计"
    assert all(r[3] == "安泽县博物馆" for r in rows[1:-1])


def test_an_export_that_fails_says_so_on_its_page(world, login, settings, monkeypatch):
    from bangfu.core.models import ExportJob, ExportStatus
    from bangfu.museums import imports

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(imports, "export_workbook", broken)
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client = login(world.admin)
    url = client.get(reverse("museums:export")).url
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    assert "生成文件时出错" in client.get(url).content.decode()
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_the_scheduler_survives_a_round_that_fails(monkeypatch, caplog, keep_signal_handlers):
    from django.db import OperationalError

    calls = []

    def run_due(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        raise KeyboardInterrupt  # ends the loop for the test

    monkeypatch.setattr(periodic, "run_due", run_due)
    with pytest.raises(KeyboardInterrupt):
        call_command("scheduler", "--interval", "0")
    assert len(calls) == 2 and "not enqueued this round" in caplog.text


def test_make_run_starts_the_worker_and_the_scheduler_with_the_web_server():
    from pathlib import Path

    run = (Path(__file__).resolve().parent.parent / "scripts" / "run.sh").read_text()
    assert "manage.py worker &" in run and "manage.py scheduler &" in run and run.count("pids+=($!)") == 3
    assert "trap stop EXIT" in run and 'wait -n "${pids[@]}"' in run  # one ends or Ctrl-C: all are stopped


def test_the_nightly_clean_up_removes_old_exports_and_finished_task_rows(world, database_queue):
    from django.core.files.base import ContentFile

    from bangfu.core.models import ExportJob, ExportStatus
    from bangfu.core.tasks import clean_up

    old, new = (ExportJob.objects.create(kind="ledger", title="帮扶台账", requested_by=world.admin,
                                         status=ExportStatus.DONE) for _ in range(2))
    old.file.save("old.xlsx", ContentFile(b"x"))
    storage, name = old.file.storage, old.file.name
    ExportJob.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))
    tick.enqueue()
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(days=31))
    assert "clean-up" in periodic.discover()
    assert clean_up.call() == {"task_rows": 1, "exports": 1, "stale_exports": 0}
    assert set(ExportJob.objects.all()) == {old, new} and not storage.exists(name)  # old's page: the file expired
    old.refresh_from_db()
    assert not old.file
