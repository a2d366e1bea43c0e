"""What the environment pages and the monthly report read: rooms with their status and latest values (a fixed
number of queries however many rooms), and the stand-ins for the parts other branches write
(`alerts.status_of`, `metrics.room_metrics`, `rollups.series`), each marked `merge:`."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from . import limits as limits_module
from .models import Alert, AlertKind, PestRecord, Reading, Room, Sensor

STATUS_ORDER = {"red": 0, "amber": 1, "green": 2, "none": 3}
STATUS_LABELS = {"red": "超限", "amber": "注意", "green": "正常", "none": "无数据"}


def status_of(rooms) -> dict[int, str]:
    """{room id: "red" | "amber" | "green"} in one query: red while an alert is open and not acknowledged, amber
    while one is open and acknowledged or a sensor is silent, green otherwise.
    merge: replace with alerts.status_of"""
    ids = [r.pk for r in rooms]
    status = dict.fromkeys(ids, "green")
    for room_id, kind, acknowledged in (Alert.objects.filter(room_id__in=ids, end__isnull=True)
                                        .values_list("room_id", "kind", "acknowledged_at")):
        level = "amber" if (acknowledged or kind == AlertKind.SILENT) else "red"
        if STATUS_ORDER[level] < STATUS_ORDER[status[room_id]]:
            status[room_id] = level
    return status


def _latest(field: str):
    return Subquery(Reading.objects.filter(sensor_id=OuterRef("pk"), time=OuterRef("last_reading_at"))
                    .values(field)[:1])


def sensors_with_latest(rooms) -> dict[int, list[Sensor]]:
    """{room id: its sensors}, each carrying its last reading's values (`latest_temperature`…) and whether it is
    silent (no reading within its site's silence limit): one query, the last reading found by its primary key."""
    by_room: dict[int, list[Sensor]] = defaultdict(list)
    now = timezone.now()
    rows = (Sensor.objects.filter(room__in=[r.pk for r in rooms]).select_related("room__site")
            .annotate(latest_temperature=_latest("temperature"), latest_rh=_latest("rh"), latest_lux=_latest("lux"),
                      latest_uv=_latest("uv"))
            .order_by("room_id", "name", "pk"))
    for sensor in rows:
        limit = datetime.timedelta(minutes=sensor.room.site.silent_after_minutes)
        sensor.silent = sensor.is_active and (sensor.last_reading_at is None or now - sensor.last_reading_at > limit)
        sensor.silent_for = now - sensor.last_reading_at if sensor.last_reading_at else None
        by_room[sensor.room_id].append(sensor)
    return by_room


def room_rows(rooms) -> list[Room]:
    """The rooms, each with `.status` (red/amber/green, "none" without any reading), `.sensor_list`, `.latest`
    (the newest reading of its sensors: time, temperature, rh), `.open_alerts` and `.limits`, worst first. A fixed
    number of queries (rooms, sensors, alerts, the limits table)."""
    rooms = list(rooms)
    if not rooms:
        return []
    status = status_of(rooms)
    sensors = sensors_with_latest(rooms)
    table = limits_module.limit_table()
    open_counts = dict(Alert.objects.filter(room__in=[r.pk for r in rooms], end__isnull=True)
                       .values_list("room_id").annotate(n=Count("pk")).values_list("room_id", "n"))
    for room in rooms:
        room.sensor_list = sensors.get(room.pk, [])
        reporting = [s for s in room.sensor_list if s.last_reading_at]
        newest = max(reporting, key=lambda s: s.last_reading_at, default=None)
        room.latest = newest
        room.status = status.get(room.pk, "green") if reporting else "none"
        room.silent_sensors = sum(1 for s in room.sensor_list if s.silent)
        if reporting and room.status == "green" and room.silent_sensors:
            room.status = "amber"
        room.status_label = STATUS_LABELS[room.status]
        room.open_alerts = open_counts.get(room.pk, 0)
        room.limits = limits_module.limits_for(room, table)
    rooms.sort(key=lambda r: (STATUS_ORDER[r.status], r.museum.name if hasattr(r, "museum") else "", r.site.name,
                              r.name))
    return rooms


def status_counts(rooms: list[Room]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for room in rooms:
        counts[room.status] += 1
    return counts


# --- stand-ins until the metrics and ingest branches are merged ----------------------------------------------

A, B = 17.625, 243.04  # Magnus (Alduchov & Eskridge 1996), as the metrics module cites


def _dew_point(t: float, rh: float) -> float | None:
    if rh <= 0:
        return None
    gamma = math.log(rh / 100) + A * t / (B + t)
    return B * gamma / (A - gamma)


def room_metrics(room: Room, *, start: datetime.datetime, end: datetime.datetime, limits=None) -> dict:
    """The room's metrics over [start, end) in the API's shape; values this stand-in does not compute are None.
    merge: replace with metrics.room_metrics"""
    limits = limits or limits_module.limits_for(room)
    readings = Reading.objects.filter(sensor__room=room, time__gte=start, time__lt=end)
    t_low, t_high = limits.range_of("temperature")
    rh_low, rh_high = limits.range_of("rh")
    t_in = Q(temperature__isnull=False) & (Q(temperature__gte=t_low) if t_low is not None else Q()) & (
        Q(temperature__lte=t_high) if t_high is not None else Q())
    rh_in = Q(rh__isnull=False) & (Q(rh__gte=rh_low) if rh_low is not None else Q()) & (
        Q(rh__lte=rh_high) if rh_high is not None else Q())
    agg = readings.aggregate(
        t_min=Min("temperature"), t_max=Max("temperature"), t_mean=Avg("temperature"), t_n=Count("temperature"),
        rh_min=Min("rh"), rh_max=Max("rh"), rh_mean=Avg("rh"), rh_n=Count("rh"),
        t_in=Count("pk", filter=t_in), rh_in=Count("pk", filter=rh_in), lux_mean=Avg("lux"), lux_n=Count("lux"))
    dew = [_dew_point(agg["t_mean"], agg["rh_mean"])] if agg["t_n"] and agg["rh_n"] else []
    hours = (end - start).total_seconds() / 3600
    return {
        "temperature": {"min": agg["t_min"], "max": agg["t_max"], "mean": agg["t_mean"]},
        "rh": {"min": agg["rh_min"], "max": agg["rh_max"], "mean": agg["rh_mean"]},
        "dew_point": {"mean": dew[0] if dew else None, "max": None},
        "emc": {"mean": None},
        "pi": {"twpi": None},
        "mould_index": {"max": None},
        "time_in_range": {"temperature": agg["t_in"] / agg["t_n"] if agg["t_n"] else None,
                          "rh": agg["rh_in"] / agg["rh_n"] if agg["rh_n"] else None},
        "light_exposure_lxh": agg["lux_mean"] * hours if agg["lux_n"] else None,
    }


RAW_UP_TO = datetime.timedelta(days=8)
HOURLY_UP_TO = datetime.timedelta(days=62)


def resolution_for(start: datetime.datetime, end: datetime.datetime) -> str:
    span = end - start
    return "raw" if span <= RAW_UP_TO else "hour" if span <= HOURLY_UP_TO else "day"


def series(sensor_ids: list[int], start: datetime.datetime, end: datetime.datetime) -> dict:
    """Chart points of the sensors over [start, end): {"resolution", "points": {sensor id: [[ms, t, rh, lux, uv],
    …]}}, raw readings averaged into hours or days when the span is long.
    TODO merge: switch to rollups.series(sensor_ids, start, end), which reads the roll-ups for long spans."""
    resolution = resolution_for(start, end)
    rows = (Reading.objects.filter(sensor_id__in=sensor_ids, time__gte=start, time__lt=end)
            .order_by("sensor_id", "time").values_list("sensor_id", "time", "temperature", "rh", "lux", "uv"))
    points: dict[int, list] = defaultdict(list)
    if resolution == "raw":
        for sensor_id, time, *values in rows.iterator(chunk_size=5000):
            points[sensor_id].append([int(time.timestamp() * 1000), *values])
        return {"resolution": resolution, "points": dict(points)}
    buckets: dict[tuple, list] = {}
    tz = timezone.get_current_timezone()
    for sensor_id, time, *values in rows.iterator(chunk_size=5000):
        local = time.astimezone(tz)
        key_time = (local.replace(minute=0, second=0, microsecond=0) if resolution == "hour"
                    else local.replace(hour=0, minute=0, second=0, microsecond=0))
        bucket = buckets.setdefault((sensor_id, key_time), [[], [], [], []])
        for index, value in enumerate(values):
            if value is not None:
                bucket[index].append(value)
    for (sensor_id, key_time), bucket in sorted(buckets.items()):
        points[sensor_id].append([int(key_time.timestamp() * 1000),
                                  *[round(sum(v) / len(v), 2) if v else None for v in bucket]])
    return {"resolution": resolution, "points": dict(points)}


def daily_extremes(room: Room, start: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Each local day of [start, end) with the room's temperature and RH min and max (all its sensors)."""
    rows = (Reading.objects.filter(sensor__room=room, time__gte=start, time__lt=end)
            .annotate(day=TruncDate("time", tzinfo=timezone.get_current_timezone())).values("day")
            .annotate(t_min=Min("temperature"), t_max=Max("temperature"), rh_min=Min("rh"), rh_max=Max("rh"),
                      lux_max=Max("lux"))
            .order_by("day"))
    return list(rows)


def pest_trend(room) -> dict:
    """Pests caught or seen per month (the last 12 months with records), for the trend chart."""
    since = timezone.localdate().replace(day=1) - datetime.timedelta(days=365)
    rows = (PestRecord.objects.filter(room=room, date__gte=since).annotate(month=TruncMonth("date"))
            .values("month").annotate(n=Sum("count")).order_by("month"))
    return {"months": [r["month"].strftime("%Y-%m") for r in rows], "counts": [r["n"] for r in rows]}
