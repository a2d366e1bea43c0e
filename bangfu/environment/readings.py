"""Saving readings — the one writer of the readings table, shared by the gateway API, file imports and manual
entry: plausibility checks per item (the bad ones refused with a reason, the good ones kept), idempotent on
(sensor, time), then the roll-ups and alert episodes of the span touched are brought up to date."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import partitions
from .models import ReadingSource, Sensor

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
    is not a finite number or lies beyond `BOUNDS`. Messages in Chinese, naming the value. (Written for speed: a
    year of one sensor's readings is 35,040 calls.)"""
    moment = item.time
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        return "时间缺失或未带时区"
    if moment < EARLIEST:
        return "时间早于 2000 年"
    if moment > (now or timezone.now()) + FUTURE_SLACK:
        return "时间晚于现在"
    present = False
    for name, value in (("temperature", item.temperature), ("rh", item.rh), ("lux", item.lux), ("uv", item.uv)):
        if value is None:
            continue
        present = True
        if type(value) is not float and (isinstance(value, bool) or not isinstance(value, int)):
            return f"{name} 不是有效数字"
        if type(value) is float and not math.isfinite(value):
            return f"{name} 不是有效数字"
        low, high = BOUNDS[name]
        if not low <= value <= high:
            return f"{name} = {value:g} 超出可能范围（{low:g}～{high:g}）" if isinstance(value, float) else \
                f"{name} 超出可能范围（{low:g}～{high:g}）"
    return "" if present else "没有任何读数"


CHUNK = 5000  # rows per INSERT statement (PostgreSQL: one statement of arrays; SQLite: one executemany)
# PostgreSQL's ways of writing rows that may already be stored (bench/environment.py measures them side by side):
# "unnest" one INSERT … SELECT FROM unnest(arrays) … ON CONFLICT DO NOTHING per chunk; "copy" COPY into a temporary
# table, then one INSERT … SELECT … ON CONFLICT DO NOTHING; "auto" the second for large chunks, the first else.
PG_METHOD = "auto"
PG_COPY_FROM = 2000  # "auto": chunks from this many rows go through the temporary table
DIRECT_COPY = True  # a span the sensor has no readings in yet is written with a plain COPY (see readings_save)


def readings_save(*, sensor: Sensor, items: Iterable[ReadingIn], source: str = ReadingSource.API,
                  first_index: int = 0) -> SaveResult:
    """Save a sensor's readings: refuse the impossible ones (each with its index, counted from `first_index`),
    keep the rest, skip those already stored. Permission is the caller's (the API checks the token's site, the
    import page the user); this is the data path only.

    A time given twice in `items` is saved once (the first), the others counted as duplicates, as are times already
    stored. The queries do not grow with the rows, and no SELECT of the stored times comes first: the row count of
    `INSERT … ON CONFLICT (sensor_id, time) DO NOTHING` is what was saved.

    On PostgreSQL (month partitions ensured first): when the sensor holds no reading between the batch's first and
    last time — the usual case, a gateway's new readings or a logger file of a new period — the rows go in with one
    COPY, the database's fastest path, in a savepoint; should a reading of that span turn up after all (sent
    meanwhile by another process), the savepoint is rolled back and the rows written the careful way (`PG_METHOD`).
    On SQLite one `INSERT … ON CONFLICT DO NOTHING` executemany per `CHUNK` rows."""
    result = SaveResult()
    now = timezone.now()
    good: dict[datetime.datetime, ReadingIn] = {}
    for index, item in enumerate(items, start=first_index):
        reason = check(item, now=now)
        if reason:
            result.refused.append(Refusal(index, reason))
        elif item.time in good:
            result.duplicates += 1
        else:
            good[item.time] = item
    if not good:
        return result
    result.first, result.last = min(good), max(good)
    rows = list(good.values())
    with transaction.atomic():
        saved = None
        if connection.vendor == "postgresql":
            partitions.ensure(result.first, result.last)
            if DIRECT_COPY and _span_is_empty(sensor, result.first, result.last):
                saved = _copy_new(sensor.pk, rows, str(source))
        if saved is None:
            saved = sum(_insert(sensor.pk, rows[offset:offset + CHUNK], str(source))
                        for offset in range(0, len(rows), CHUNK))
        result.saved = saved
        result.duplicates += len(rows) - saved
        if saved:
            after_save(sensor=sensor, start=result.first, end=result.last)
    return result


def _float(value) -> float | None:
    return None if value is None else float(value)


def _span_is_empty(sensor: Sensor, first: datetime.datetime, last: datetime.datetime) -> bool:
    """Whether the sensor has no reading between `first` and `last`: known without a query when the batch starts
    after its last reading (a stale `last_reading_at` only costs the savepoint's retry)."""
    if sensor.last_reading_at is None or first > sensor.last_reading_at:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM environment_reading WHERE sensor_id = %s AND time >= %s AND time <= %s "
                       "LIMIT 1", [sensor.pk, first, last])
        return cursor.fetchone() is None


def _copy_new(sensor_id: int, rows: list[ReadingIn], source: str) -> int | None:
    """COPY rows none of which is stored yet (PostgreSQL); None when one was after all (nothing written then)."""
    copy_sql = "COPY environment_reading (sensor_id, time, temperature, rh, lux, uv, source) FROM STDIN"
    try:
        # wrap_database_errors: psycopg's own UniqueViolation (the raw COPY) becomes Django's IntegrityError
        with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors, \
                cursor.cursor.copy(copy_sql) as copy:
            for r in rows:
                copy.write_row((sensor_id, r.time, _float(r.temperature), _float(r.rh), _float(r.lux),
                                _float(r.uv), source))
    except IntegrityError:
        return None
    return len(rows)


def _insert(sensor_id: int, rows: list[ReadingIn], source: str) -> int:
    """Insert `rows` of one sensor, skipping (sensor, time) already stored; returns how many were inserted."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if PG_METHOD == "copy" or (PG_METHOD == "auto" and len(rows) >= PG_COPY_FROM):
                return _insert_by_copy(cursor, sensor_id, rows, source)
            cursor.execute(
                "INSERT INTO environment_reading (sensor_id, time, temperature, rh, lux, uv, source) "
                "SELECT %s, t, a, b, c, d, %s FROM unnest(%s::timestamptz[], %s::float8[], %s::float8[], "
                "%s::float8[], %s::float8[]) AS u(t, a, b, c, d) ON CONFLICT (sensor_id, time) DO NOTHING",
                [sensor_id, source, [r.time for r in rows], [_float(r.temperature) for r in rows],
                 [_float(r.rh) for r in rows], [_float(r.lux) for r in rows], [_float(r.uv) for r in rows]])
            return cursor.rowcount
        adapt = connection.ops.adapt_datetimefield_value
        cursor.executemany(
            "INSERT INTO environment_reading (sensor_id, time, temperature, rh, lux, uv, source) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (sensor_id, time) DO NOTHING",
            [(sensor_id, adapt(r.time), _float(r.temperature), _float(r.rh), _float(r.lux), _float(r.uv), source)
             for r in rows])
        return cursor.rowcount


def _insert_by_copy(cursor, sensor_id: int, rows: list[ReadingIn], source: str) -> int:
    """PostgreSQL's other path: COPY the rows into a temporary table, then one INSERT … SELECT … ON CONFLICT."""
    cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS reading_in (time timestamptz, temperature float8, "
                   "rh float8, lux float8, uv float8) ON COMMIT DELETE ROWS")
    with cursor.cursor.copy("COPY reading_in (time, temperature, rh, lux, uv) FROM STDIN") as copy:
        for r in rows:
            copy.write_row((r.time, _float(r.temperature), _float(r.rh), _float(r.lux), _float(r.uv)))
    cursor.execute("INSERT INTO environment_reading (sensor_id, time, temperature, rh, lux, uv, source) "
                   "SELECT %s, time, temperature, rh, lux, uv, %s FROM reading_in "
                   "ON CONFLICT (sensor_id, time) DO NOTHING", [sensor_id, source])
    inserted = cursor.rowcount
    cursor.execute("TRUNCATE reading_in")
    return inserted


def after_save(*, sensor: Sensor, start: datetime.datetime, end: datetime.datetime) -> None:
    """What follows new readings of a sensor between `start` and `end`: its last-reading time, the roll-ups of
    the hours and days touched, the alert episodes of the span."""
    from . import alerts, rollups

    Sensor.objects.filter(pk=sensor.pk).exclude(last_reading_at__gte=end).update(last_reading_at=end)
    rollups.refresh(sensor_id=sensor.pk, start=start, end=end)
    alerts.evaluate(sensor=sensor, start=start, end=end)


@dataclass
class BatchItem:
    """One item of a gateway's batch, parsed: its sensor and reading, or why it could not be read."""

    index: int
    sensor_id: int | None
    reading: ReadingIn | None = None
    reason: str = ""


@dataclass
class BatchRefusal:
    index: int
    sensor_id: int | None
    reason: str


@dataclass
class BatchResult:
    saved: int = 0
    duplicates: int = 0
    refused: list[BatchRefusal] = field(default_factory=list)


UNKNOWN_SENSOR = "没有这个传感器，或无权写入它的读数"


def batch_save(*, items: list[BatchItem], site=None, by=None, source: str = ReadingSource.API) -> BatchResult:
    """Save a batch of readings of several sensors, sent with a site's gateway token (`site`: its sensors only)
    or by a user (`by`: sensors they may record readings of, `environment.record`). An item of an unknown sensor,
    or of one the sender may not write, is refused like a malformed one — the others are kept. Queries grow with
    the sensors of the batch, not with its readings."""
    if (site is None) == (by is None):
        raise ValueError("batch_save needs exactly one of site= and by=")
    result = BatchResult()
    by_sensor: dict[int, list[BatchItem]] = {}
    for item in items:
        if item.reason or item.reading is None or item.sensor_id is None:
            result.refused.append(BatchRefusal(item.index, item.sensor_id, item.reason or "无法读取"))
        else:
            by_sensor.setdefault(item.sensor_id, []).append(item)
    sensors = Sensor.objects.select_related("room").in_bulk(list(by_sensor)) if by_sensor else {}
    for sensor_id, group in by_sensor.items():
        sensor = sensors.get(sensor_id)
        allowed = sensor is not None and (sensor.room.site_id == site.pk if site is not None
                                          else by.has_perm("environment.record", sensor))
        if not allowed:
            result.refused.extend(BatchRefusal(i.index, sensor_id, UNKNOWN_SENSOR) for i in group)
            continue
        saved = readings_save(sensor=sensor, items=[i.reading for i in group], source=source)
        result.saved += saved.saved
        result.duplicates += saved.duplicates
        result.refused.extend(BatchRefusal(group[r.index].index, sensor_id, r.reason) for r in saved.refused)
    result.refused.sort(key=lambda r: r.index)
    return result
