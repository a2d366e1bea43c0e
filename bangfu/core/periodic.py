"""Periodic jobs: one registry, run by one scheduler (`python manage.py scheduler`, or `--once` from cron).

A module declares a job on one of its tasks, in its `tasks.py` (found by the scheduler at start):

    @periodic(name="task-reminders", daily_at=datetime.time(8, 0))
    @task()
    def send_reminders(): ...

The scheduler enqueues the task when its slot comes (every `every`, counted from midnight UTC 1970, or each day at
`daily_at` local time) and the task backend's workers run it. The last slot of each job is a row (PeriodicRun),
moved forward by one conditional UPDATE in the transaction that enqueues: two schedulers, a restart or a cron run
beside a running scheduler enqueue each slot once. A slot missed while nothing ran is run once when the scheduler
comes back, never once per missed slot."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django_tasks Task
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None
    kwargs: dict = field(default_factory=dict)

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The latest time at or before `now` the job was due."""
        if self.every is not None:
            step = self.every.total_seconds()
            return datetime.datetime.fromtimestamp(now.timestamp() // step * step, tz=datetime.UTC)
        local = timezone.localtime(now)
        today = timezone.make_aware(datetime.datetime.combine(local.date(), self.daily_at))
        return today if today <= now else today - datetime.timedelta(days=1)


JOBS: dict[str, PeriodicJob] = {}


def periodic(*, name: str, every: datetime.timedelta | None = None, daily_at: datetime.time | None = None,
             **kwargs):
    """Register the decorated task as a periodic job: every `every`, or daily at `daily_at` (local time). Keyword
    arguments beyond these are passed to the task."""
    if (every is None) == (daily_at is None):
        raise ValueError("periodic() needs exactly one of every= and daily_at=")
    if every is not None and every < datetime.timedelta(minutes=1):
        raise ValueError("periodic jobs run at most once a minute")

    def register(task):
        JOBS[name] = PeriodicJob(name=name, task=task, every=every, daily_at=daily_at, kwargs=kwargs)
        return task

    return register


def discover() -> dict[str, PeriodicJob]:
    """Import every app's `tasks` module, where periodic jobs are declared."""
    autodiscover_modules("tasks")
    return JOBS


def run_due(*, now: datetime.datetime | None = None, jobs: dict[str, PeriodicJob] | None = None) -> list[str]:
    """Enqueue every job whose slot has come and was not claimed yet; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in (JOBS if jobs is None else jobs).values():
        if _claim_and_enqueue(job, now):
            enqueued.append(job.name)
    return enqueued


def _claim_and_enqueue(job: PeriodicJob, now: datetime.datetime) -> bool:
    slot = job.slot(now)
    last = PeriodicRun.objects.filter(name=job.name).values_list("slot", flat=True).first()
    if last is not None and last >= slot:
        return False  # read without a transaction: on SQLite a write transaction waits for a long import's
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another scheduler created it at the same moment
        pass
    with transaction.atomic():
        claimed = PeriodicRun.objects.filter(Q(slot__isnull=True) | Q(slot__lt=slot), name=job.name).update(
            slot=slot, enqueued_at=now)
        if claimed:
            # Inside the transaction: with the database queue the task row and the claim commit together; with
            # RQ an unreachable Redis raises here and the claim is rolled back, to be tried on the next round.
            job.task.enqueue(**job.kwargs)
    return bool(claimed)


def next_slot(job: PeriodicJob, now: datetime.datetime) -> datetime.datetime:
    """When the job is next due after `now` (for the scheduler's listing)."""
    if job.every is not None:
        return job.slot(now) + job.every
    return job.slot(now) + datetime.timedelta(days=1)
