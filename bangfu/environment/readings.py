"""Saving readings — the one writer of the readings table, shared by the gateway API, file imports and manual
entry: plausibility checks per item (the bad ones refused with a reason, the good ones kept), idempotent on
(sensor, time), then the roll-ups and alert episodes of the span touched are brought up to date.

SKELETON: the simple version below is correct but not yet fast; the ingest work replaces its body (COPY / one
INSERT … ON CONFLICT per batch on PostgreSQL, partitions ensured) keeping the signature."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import Reading, ReadingSource, Sensor

# What no museum room can read: beyond these a value is a sensor fault or a typing mistake, refused with a reason.
BOUNDS = {"temperature": (-40.0, 70.0), "rh": (0.0, 100.0), "lux": (0.0, 200_000.0), "uv": (0.0, 10_000.0)}
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
FUTURE_SLACK = datetime.timedelta(hours=1)  # a gateway's clock a little ahead is tolerated
VALUES = ("temperature", "rh", "lux", "uv")


@dataclass(frozen=True)
class ReadingIn:
    """One reading to save: an aware time and the values measured (None: not measured)."""

    time: datetime.datetime
    temperature: float | None = None
    rh: float | None = None
    lux: float | None = None
    uv: float | None = None


@dataclass
class Refusal:
    index: int  # the item's position in the batch (or the file's line number, for imports)
    reason: str


@dataclass
class SaveResult:
    saved: int = 0
    duplicates: int = 0  # already stored for (sensor, time): kept as they were
    refused: list[Refusal] = field(default_factory=list)
    first: datetime.datetime | None = None
    last: datetime.datetime | None = None


def check(item: ReadingIn, *, now: datetime.datetime | None = None) -> str:
    """Why a reading cannot be saved ("" when it can): a naive or impossible time, no value at all, a value that
    is not a finite number or lies beyond `BOUNDS`. Messages in Chinese, naming the value."""
    now = now or timezone.now()
    if item.time is None or timezone.is_naive(item.time):
        return "时间缺失或未带时区"
    if item.time < EARLIEST:
        return "时间早于 2000 年"
    if item.time > now + FUTURE_SLACK:
        return "时间晚于现在"
    present = [name for name in VALUES if getattr(item, name) is not None]
    if not present:
        return "没有任何读数"
    for name in present:
        value = getattr(item, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return f"{name} 不是有效数字"
        low, high = BOUNDS[name]
        if not low <= value <= high:
            return f"{name} = {value} 超出可能范围（{low:g}～{high:g}）"
    return ""


def readings_save(*, sensor: Sensor, items: Iterable[ReadingIn], source: str = ReadingSource.API,
                  first_index: int = 0) -> SaveResult:
    """Save a sensor's readings: refuse the impossible ones (each with its index, counted from `first_index`),
    keep the rest, skip those already stored. Permission is the caller's (the API checks the token's site, the
    import page the user); this is the data path only."""
    result = SaveResult()
    now = timezone.now()
    good: dict[datetime.datetime, ReadingIn] = {}
    for index, item in enumerate(items, start=first_index):
        reason = check(item, now=now)
        if reason:
            result.refused.append(Refusal(index, reason))
        else:
            good[item.time] = item
    if not good:
        return result
    with transaction.atomic():
        existing = set(Reading.objects.filter(sensor=sensor, time__in=list(good)).values_list("time", flat=True))
        new = [Reading(sensor=sensor, source=source, time=t, temperature=i.temperature, rh=i.rh, lux=i.lux, uv=i.uv)
               for t, i in good.items() if t not in existing]
        Reading.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        result.saved, result.duplicates = len(new), len(good) - len(new)
        result.first, result.last = min(good), max(good)
        after_save(sensor=sensor, start=result.first, end=result.last)
    return result


def after_save(*, sensor: Sensor, start: datetime.datetime, end: datetime.datetime) -> None:
    """What follows new readings of a sensor between `start` and `end`: its last-reading time, the roll-ups of
    the hours and days touched, the alert episodes of the span."""
    from . import alerts, rollups

    Sensor.objects.filter(pk=sensor.pk).exclude(last_reading_at__gte=end).update(last_reading_at=end)
    rollups.refresh(sensor_id=sensor.pk, start=start, end=end)
    alerts.evaluate(sensor=sensor, start=start, end=end)
