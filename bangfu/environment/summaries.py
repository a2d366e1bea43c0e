"""What the environment pages and the monthly report read: rooms with their status and latest values (a fixed
number of queries however many rooms), each day's extremes (from the day roll-ups) and the pest trend. The
metrics are `metrics.room_metrics`, the chart points `rollups.series`, the alert status `alerts.status_of`."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import alerts
from . import limits as limits_module
from .models import Alert, PestRecord, Reading, Rollup, Room, Sensor
from .rollups import day_start

STATUS_ORDER = {"red": 0, "amber": 1, "green": 2, "none": 3}
STATUS_LABELS = {"red": "超限", "amber": "注意", "green": "正常", "none": "无数据"}


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
    status = alerts.status_of(rooms)
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


def daily_extremes(room: Room, start: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Each local (China) day of [start, end) with the room's temperature and RH min and max and its highest
    illuminance (all its sensors), read from the day roll-ups — one query, however long the period."""
    rows = (Rollup.objects.filter(sensor__room=room, period=Rollup.Period.DAY, start__gte=day_start(start),
                                  start__lt=end)
            .values("start").annotate(t_min=Min("temp_min"), t_max=Max("temp_max"), rh_min=Min("rh_min"),
                                      rh_max=Max("rh_max"), lux_max=Max("lux_max"))
            .order_by("start"))
    return [{"day": timezone.localtime(r.pop("start")).date(), **r} for r in rows]


def pest_trend(room) -> dict:
    """Pests caught or seen per month (the last 12 months with records), for the trend chart."""
    since = timezone.localdate().replace(day=1) - datetime.timedelta(days=365)
    rows = (PestRecord.objects.filter(room=room, date__gte=since).annotate(month=TruncMonth("date"))
            .values("month").annotate(n=Sum("count")).order_by("month"))
    return {"months": [r["month"].strftime("%Y-%m") for r in rows], "counts": [r["n"] for r in rows]}
