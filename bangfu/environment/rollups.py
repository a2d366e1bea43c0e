"""Hourly and daily roll-ups of a sensor's readings, and the chart series that reads them.

Buckets: an hour is a UTC hour (China has no DST and a whole-hour offset, so a UTC hour is also a local hour); a day
is a day of China time, Asia/Shanghai (UTC+8): it starts at 16:00 UTC of the day before. Readings are never kept
before 2000, after China last changed its clocks, so +8 holds for every day we store.

A roll-up holds the count of readings, min / max / mean of temperature and RH, max and mean of lux, max of UV and the
light exposure `exposure_lxh`: mean lux × the hours the lux readings cover, each reading covering one sensor
interval (`Sensor.interval_minutes`), capped at one hour per hour (a sensor logging faster than its declared
interval does not make an hour longer than an hour); a day's exposure is the sum of its hours'. A gap (no
readings) adds no exposure — the number is what was measured, and the metrics of a period with gaps say how much of
it was covered.

`refresh` recomputes the buckets overlapping a span from the raw readings in two SQL statements (INSERT … SELECT …
GROUP BY … ON CONFLICT (sensor_id, period, start) DO UPDATE), on SQLite and PostgreSQL alike; `series` picks raw
readings, hourly or daily roll-ups for a chart by the span asked for."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection

from .models import Reading, Rollup

CHINA = datetime.timezone(datetime.timedelta(hours=8), "Asia/Shanghai")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
RAW_UP_TO = datetime.timedelta(days=3)  # series(): raw readings up to this span
HOURLY_UP_TO = datetime.timedelta(days=90)  # … hourly roll-ups up to this one, daily beyond

# The bucket of a reading's time, per database. The literal % of SQLite's strftime is doubled: the query takes
# parameters. PostgreSQL computes in the named zones, whatever the session's TimeZone.
BUCKETS = {
    ("postgresql", "hour"): "date_trunc('hour', time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
    ("postgresql", "day"): "date_trunc('day', time AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'",
    ("sqlite", "hour"): "strftime('%%Y-%%m-%%d %%H:00:00', time)",
    ("sqlite", "day"): "datetime(date(time, '+8 hours'), '-8 hours')",
}
LEAST = {"postgresql": "least", "sqlite": "min"}

# Readings are grouped by hour first (the exposure of an hour is capped at one hour), then by the period's bucket
# (a China day is 24 whole UTC hours): the means of a day are weighted by the readings of each hour.
UPSERT = """
INSERT INTO environment_rollup (sensor_id, period, start, count, temp_min, temp_max, temp_mean, rh_min, rh_max,
                                rh_mean, lux_max, lux_mean, uv_max, exposure_lxh)
SELECT sensor_id, %s, bucket, sum(n), min(t_min), max(t_max), sum(t_sum) / nullif(sum(t_n), 0), min(rh_min),
       max(rh_max), sum(rh_sum) / nullif(sum(rh_n), 0), max(lux_max), sum(lux_sum) / nullif(sum(lux_n), 0),
       max(uv_max), sum(exposure)
FROM (SELECT sensor_id, {bucket} AS bucket, count(*) AS n,
             min(temperature) AS t_min, max(temperature) AS t_max, sum(temperature) AS t_sum, count(temperature) AS t_n,
             min(rh) AS rh_min, max(rh) AS rh_max, sum(rh) AS rh_sum, count(rh) AS rh_n,
             max(lux) AS lux_max, sum(lux) AS lux_sum, count(lux) AS lux_n, max(uv) AS uv_max,
             avg(lux) * {least}(count(lux) * (SELECT interval_minutes FROM environment_sensor WHERE id = %s) / 60.0,
                                1) AS exposure
      FROM environment_reading
      WHERE sensor_id = %s AND time >= %s AND time < %s
      GROUP BY sensor_id, {hour}, {bucket}) AS h
GROUP BY sensor_id, bucket
ON CONFLICT (sensor_id, period, start) DO UPDATE SET
    count = excluded.count, temp_min = excluded.temp_min, temp_max = excluded.temp_max,
    temp_mean = excluded.temp_mean, rh_min = excluded.rh_min, rh_max = excluded.rh_max, rh_mean = excluded.rh_mean,
    lux_max = excluded.lux_max, lux_mean = excluded.lux_mean, uv_max = excluded.uv_max,
    exposure_lxh = excluded.exposure_lxh
"""


def hour_start(moment: datetime.datetime) -> datetime.datetime:
    """The UTC hour `moment` falls in."""
    return moment.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


def day_start(moment: datetime.datetime) -> datetime.datetime:
    """The start of the China-time day `moment` falls in (an aware datetime at 00:00 +08:00)."""
    return moment.astimezone(CHINA).replace(hour=0, minute=0, second=0, microsecond=0)


def refresh(*, sensor_id: int, start: datetime.datetime, end: datetime.datetime) -> None:
    """Recompute the hour and day roll-ups of `sensor_id` that overlap [start, end] from the raw readings."""
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    spans = {"hour": (hour_start(start), hour_start(end) + HOUR), "day": (day_start(start), day_start(end) + DAY)}
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for period, (low, high) in spans.items():
            sql = UPSERT.format(least=LEAST[vendor], bucket=BUCKETS[(vendor, period)], hour=BUCKETS[(vendor, "hour")])
            cursor.execute(sql, [period, sensor_id, sensor_id, adapt(low), adapt(high)])


def resolution(start: datetime.datetime, end: datetime.datetime) -> str:
    """What a chart of [start, end] reads: "raw" up to 3 days, "hour" up to 90 days, "day" beyond."""
    span = end - start
    if span <= RAW_UP_TO:
        return "raw"
    return "hour" if span <= HOURLY_UP_TO else "day"


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(CHINA).isoformat(timespec="seconds")  # a fixed offset: quicker than the zone database


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def series(sensor_ids: Iterable[int], start: datetime.datetime, end: datetime.datetime) -> dict:
    """The chart points of `sensor_ids` between `start` and `end` (aware datetimes), in one query, read from raw
    readings, hourly or daily roll-ups by the span (`resolution`). Permission is the caller's. Returns::

        {"resolution": "raw" | "hour" | "day",
         "points": {sensor_id: [point, …], …}}   # every sensor asked for, [] when it has nothing; time order

    where a point is, for "raw" (readings with start <= time <= end)::

        [time, temperature, rh, lux]

    and for "hour" / "day" (buckets that start within [start's bucket, end])::

        [start, temp_mean, rh_mean, lux_mean, temp_min, temp_max, rh_min, rh_max, lux_max]

    `time` / `start` is ISO 8601 in China time ("2026-01-05T08:00:00+08:00"; a day starts at 00:00 China time),
    values are floats rounded to 2 places or None where the sensor measured nothing."""
    ids = sorted({int(i) for i in sensor_ids})
    points: dict[int, list] = {i: [] for i in ids}
    kind = resolution(start, end)
    if not ids:
        return {"resolution": kind, "points": points}
    if kind == "raw":
        rows = (Reading.objects.filter(sensor_id__in=ids, time__gte=start, time__lte=end)
                .order_by("sensor_id", "time").values_list("sensor_id", "time", "temperature", "rh", "lux"))
        for sensor_id, time, t, rh, lux in rows:
            points[sensor_id].append([_iso(time), _round(t), _round(rh), _round(lux)])
        return {"resolution": kind, "points": points}
    low = hour_start(start) if kind == "hour" else day_start(start)
    rows = (Rollup.objects.filter(sensor_id__in=ids, period=kind, start__gte=low, start__lte=end)
            .order_by("sensor_id", "start")
            .values_list("sensor_id", "start", "temp_mean", "rh_mean", "lux_mean", "temp_min", "temp_max", "rh_min",
                         "rh_max", "lux_max"))
    for sensor_id, bucket, *values in rows:
        points[sensor_id].append([_iso(bucket), *(_round(v) for v in values)])
    return {"resolution": kind, "points": points}
