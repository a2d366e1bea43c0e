"""Work off the request path: enqueueing tasks (the Django Tasks API, see settings.TASKS) and the progress a
long task reports for a page to show.

Progress lives in the `progress` cache, not in the job's row: an import writes all its rows in one transaction
(all or nothing), and nothing that transaction writes, progress included, is visible to the page before it ends.
The cache is Redis when REDIS_URL is set (several machines) and a folder of files otherwise (one machine)."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 6 * 3600  # a progress entry outlives any task
# A job still marked running this long after it started has lost its task (the worker died, the queue lost it):
# far longer than any task may run (RQ stops one after 30 minutes), so a slow task is never given up on.
TASK_STALE_AFTER = datetime.timedelta(hours=2)
QUEUE_DOWN = "后台任务暂时无法启动（任务队列不可用）"


def enqueue(task, *args, **kwargs):
    """Enqueue `task` now; returns its TaskResult. The caller's rows must be visible to the worker: call it
    outside a transaction (a view) or use `enqueue_on_commit`."""
    return task.enqueue(*args, **kwargs)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue `task` once the current transaction commits (at once outside one). A queue that cannot be reached
    is logged, never raised: what the transaction saved stays saved."""
    transaction.on_commit(partial(enqueue_logged, task, *args, **kwargs))


def enqueue_logged(task, *args, **kwargs) -> None:
    """Enqueue `task` now, logging (not raising) a queue that cannot be reached."""
    try:
        task.enqueue(*args, **kwargs)
    except Exception:  # the queue is down: the caller's data is committed already
        logger.exception("could not enqueue %s", task.module_path)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    phase: str = ""

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def progress_key(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def report_progress(key: str, *, done: int, total: int, phase: str = "") -> None:
    caches["progress"].set(key, (done, total, phase), PROGRESS_SECONDS)


def read_progress(key: str) -> Progress | None:
    value = caches["progress"].get(key)
    return Progress(*value) if value else None


def clear_progress(key: str) -> None:
    caches["progress"].delete(key)


def progress_reporter(key: str, *, phase: str, total: int, every: float = 0.5) -> Callable[[int], None]:
    """A function to call with the rows done so far; it writes at most every `every` seconds (and the last row)."""
    last = [0.0]

    def tick(done: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= every:
            last[0] = now
            report_progress(key, done=done, total=total, phase=phase)

    tick(0)
    return tick
