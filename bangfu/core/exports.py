"""Exports too large to send at once, written by a task (decision in the README: up to EXPORT_INLINE_MAX_ROWS rows
a file is sent at once, as before; above that the page starts an ExportJob and shows its progress, the worker
writes the file to the default storage, the requester is notified and downloads it from the job's page).

A module's export view calls `export_start` with its task; the task calls `export_run` with a function that
writes the file. Only the requester sees the job and downloads its file (core/views.py), and the rows are
chosen again in the task with the requester's own rights, from the filters the page had."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import IO, TypeVar

from django.core.files import File
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from .background import QUEUE_DOWN, TASK_STALE_AFTER, clear_progress, enqueue, progress_key, progress_reporter
from .models import ExportJob, ExportStatus

T = TypeVar("T")
logger = logging.getLogger(__name__)

# build(job, count) -> (file object, download name); `count(rows, total)` wraps the rows to report progress
Builder = Callable[[ExportJob, Callable[[Iterable[T], int], Iterator[T]]], tuple[IO[bytes], str]]


def export_start(*, by, kind: str, title: str, params: QueryDict, rows: int, task) -> ExportJob:
    """Record an export the worker will write and enqueue `task(job_id)` (the view runs outside a transaction)."""
    job = ExportJob.objects.create(kind=kind, title=title[:200], params={k: params.getlist(k) for k in params},
                                   requested_by=by, rows=rows)
    try:
        enqueue(task, job.pk)
    except Exception:  # the queue is down: the job's page says so instead of waiting for ever
        logger.exception("could not enqueue %s for export %s", task.module_path, job.pk)
        _fail(job, f"{QUEUE_DOWN}，未生成文件。请稍后重新导出。")
    return job


STALE_MESSAGE = "后台任务长时间没有完成（可能已中断），未生成文件。请重新导出。"
EXPIRED_MESSAGE = "导出的文件只保留 7 天，已经删除。请重新导出。"


def _fail(job: ExportJob, message: str) -> None:
    job.status, job.error, job.finished_at = ExportStatus.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def exports_give_up_stale(queryset=None) -> int:
    """Mark as failed the exports (of `queryset`, all by default) still running TASK_STALE_AFTER after they were
    requested: their task was lost (the worker died). Returns how many."""
    queryset = ExportJob.objects.all() if queryset is None else queryset
    return queryset.filter(status=ExportStatus.RUNNING, requested_at__lt=timezone.now() - TASK_STALE_AFTER).update(
        status=ExportStatus.FAILED, error=STALE_MESSAGE, finished_at=timezone.now())


def job_params(job: ExportJob) -> QueryDict:
    """The filters of the page the export was started from, as the selectors read them."""
    query = QueryDict(mutable=True)
    for key, values in job.params.items():
        query.setlist(key, [str(v) for v in values])
    return query


def job_url(job: ExportJob) -> str:
    return reverse("export_job", args=[job.pk])


def export_progress_key(job_id: int) -> str:
    return progress_key("export", job_id)


def export_run(*, job_id: int, build: Builder) -> ExportJob:
    """Write a job's file with `build` and keep it in storage; a failure is recorded on the job and raised (the
    task backend logs it)."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ExportStatus.RUNNING:
        return job
    key = export_progress_key(job.pk)
    written = [job.rows]

    def count(rows: Iterable[T], total: int) -> Iterator[T]:
        tick = progress_reporter(key, phase="导出", total=total)
        written[0] = 0
        for done, row in enumerate(rows, start=1):
            yield row
            written[0] = done
            tick(done)

    try:
        stream, name = build(job, count)
        suffix = PurePosixPath(name).suffix.lower()
        job.file.save(f"{timezone.now():%Y%m%d}-{uuid.uuid4().hex}{suffix}", File(stream), save=False)
    except Exception:
        _fail(job, "生成文件时出错，请稍后重试。")
        raise
    finally:
        clear_progress(key)
    job.status, job.file_name, job.rows, job.finished_at = ExportStatus.DONE, name[:200], written[0], timezone.now()
    job.save(update_fields=["status", "file", "file_name", "rows", "finished_at"])
    return job
