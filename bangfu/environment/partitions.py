"""The monthly partitions of the readings table on PostgreSQL (SQLite keeps one plain table: nothing to do).

`environment_reading` is PARTITIONED BY RANGE (time) (migration `0003_reading_partitions`): one partition a
month, `environment_reading_y2026m01` for January 2026 (months in UTC), and `environment_reading_default` for rows
of a month that has no partition yet. The primary key (sensor_id, time) holds in every partition — it contains the
partition key, so `INSERT … ON CONFLICT (sensor_id, time)` works across the whole table.

`ensure(start, end)` is called by `readings.readings_save` before each insert: it creates the months the batch
needs, and the next `AHEAD` months, so a gateway's live readings never wait for DDL. Months known to exist are
cached per process (once the creating transaction commits). Creation is serialised by an advisory lock and written
`CREATE TABLE IF NOT EXISTS`; should rows of the month already sit in the default partition (inserted by a path that
did not call `ensure`, e.g. a raw COPY), they are moved into the new partition before it is attached."""

from __future__ import annotations

import datetime

from django.db import connection, transaction

PARENT = "environment_reading"
DEFAULT = f"{PARENT}_default"
AHEAD = 3  # months created ahead of the current one
LOCK_KEY = 7_310_412  # pg_advisory_xact_lock key of partition creation (any constant of ours)

_known: set[tuple[int, int]] = set()  # (year, month) partitions known to exist, per process


def is_partitioned() -> bool:
    return connection.vendor == "postgresql"


def name_of(year: int, month: int) -> str:
    return f"{PARENT}_y{year:04d}m{month:02d}"


def months_between(start: datetime.datetime, end: datetime.datetime) -> list[tuple[int, int]]:
    """The (year, month) of every UTC month from `start`'s to `end`'s, both included."""
    start, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    year, month, months = start.year, start.month, []
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
    after = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC) if month == 12 else \
        datetime.datetime(year, month + 1, 1, tzinfo=datetime.UTC)
    return start, after


def range_clause(start: datetime.datetime, after: datetime.datetime) -> str:
    """`FOR VALUES FROM ('…') TO ('…')` of a month: literals (DDL takes no bound parameters), made by us."""
    return f"FOR VALUES FROM ('{start.isoformat()}') TO ('{after.isoformat()}')"


def ensure(start: datetime.datetime, end: datetime.datetime, *, ahead: bool = True) -> list[str]:
    """Make sure the months of [start, end] (and the next `AHEAD` months from now, with `ahead`) have their
    partition; returns the names of the partitions created. A no-op on SQLite and for months cached."""
    if not is_partitioned():
        return []
    months = set(months_between(start, end))
    if ahead:
        now = datetime.datetime.now(datetime.UTC)
        months |= set(months_between(now, now + datetime.timedelta(days=31 * AHEAD)))
    wanted = sorted(months - _known)
    if not wanted:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s)", [[name_of(*m) for m in wanted]])
        present = {row[0] for row in cursor.fetchall()}
    missing = [m for m in wanted if name_of(*m) not in present]
    existing = [m for m in wanted if name_of(*m) in present]
    _remember(existing)
    if not missing:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        for year, month in missing:
            _create(cursor, year, month)
    _remember(missing)
    return [name_of(*m) for m in missing]


def _remember(months) -> None:
    """Cache months once their creation is committed (a rolled-back creation must be tried again)."""
    if months:
        months = list(months)
        transaction.on_commit(lambda: _known.update(months))


def _create(cursor, year: int, month: int) -> None:
    """Create one month's partition; rows of that month waiting in the default partition are moved into it."""
    name, (start, after) = name_of(year, month), bounds(year, month)
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [name])
    if cursor.fetchone():  # created by another process while we waited for the lock
        return
    cursor.execute(f"SELECT 1 FROM {DEFAULT} WHERE time >= %s AND time < %s LIMIT 1", [start, after])  # noqa: S608
    if not cursor.fetchone():
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {PARENT} {range_clause(start, after)}")
        return
    # Rows of the month sit in the default partition: a new partition would contradict them. Build the month as a
    # table of its own, move the rows over, then attach it (PostgreSQL checks the default holds none of it).
    cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (sensor_id, time)")
    cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE time >= %s AND time < %s RETURNING *) "  # noqa: S608
                   f"INSERT INTO {name} SELECT * FROM moved", [start, after])
    cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} {range_clause(start, after)}")


def partition_of(sensor_id: int, time: datetime.datetime) -> str | None:
    """The name of the partition holding the reading of `sensor_id` at `time` (None if none; tests and checks)."""
    if not is_partitioned():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {PARENT} WHERE sensor_id = %s AND time = %s",  # noqa: S608
                       [sensor_id, time])
        row = cursor.fetchone()
    return row[0] if row else None


def forget() -> None:
    """Drop the per-process cache (tests that drop partitions)."""
    _known.clear()
