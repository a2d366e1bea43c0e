"""The kernel's `ClimateSource` for environment monitoring: how well a museum kept the climate a material class
needs (a loan's facility review shows it for the borrower's venue). Registered in `module.py`."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from bangfu.core.registry import ClimateRecord
from bangfu.objects.models import MaterialClass

from .limits import limit_table
from .metrics import RAW_MAX_DAYS, weights
from .models import Reading, Rollup, Room, Sensor


def _inside(value, low, high) -> bool:
    return value is not None and (low is None or value >= low) and (high is None or value <= high)


def _samples(sensors: dict[int, int], start, end, days: int) -> dict[int, list[tuple[float, float, float]]]:
    """{sensor id: [(hours, temperature, rh)]}: raw readings for up to 31 days, hourly roll-ups beyond (one
    query), and how many readings they stand for."""
    out: dict[int, list] = defaultdict(list)
    if days <= RAW_MAX_DAYS:
        rows = (Reading.objects.filter(sensor_id__in=list(sensors), time__gte=start, time__lt=end)
                .order_by("sensor_id", "time").values_list("sensor_id", "time", "temperature", "rh"))
        by_sensor = defaultdict(list)
        for row in rows:
            by_sensor[row[0]].append(row)
        for pk, readings in by_sensor.items():
            hours = weights([r[1] for r in readings], datetime.timedelta(minutes=sensors[pk] or 15))
            out[pk] = [(h, r[2], r[3], 1) for r, h in zip(readings, hours, strict=True)]
    else:
        for pk, temp, rh, count in (Rollup.objects.filter(sensor_id__in=list(sensors), period=Rollup.Period.HOUR,
                                                          start__gte=start, start__lt=end, count__gt=0)
                                    .values_list("sensor_id", "temp_mean", "rh_mean", "count")):
            out[pk].append((1.0, temp, rh, count))
    return out


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def compliance(museum, material_classes, days: int = 90) -> list[ClimateRecord]:
    """A ClimateRecord per material class that the museum's active rooms hold and that has readings over the last
    `days` days: the share of time (time-weighted) in which temperature and RH were both inside the class's own
    target ranges (the association's table), over every sensor of those rooms. Four queries whatever the data."""
    classes = [c for c in dict.fromkeys(material_classes) if c in MaterialClass.values]
    if not classes:
        return []
    rooms = list(Room.objects.filter(museum=museum, is_active=True).values_list("pk", "materials"))
    holding = {c: [pk for pk, materials in rooms if c in (materials or [])] for c in classes}
    room_ids = {pk for pks in holding.values() for pk in pks}
    if not room_ids:
        return []
    sensors = {pk: (room_id, minutes) for pk, room_id, minutes in
               Sensor.objects.filter(room_id__in=room_ids).values_list("pk", "room_id", "interval_minutes")}
    if not sensors:
        return []
    days = max(1, min(int(days), 3660))
    end = timezone.now()
    samples = _samples({pk: minutes for pk, (_, minutes) in sensors.items()}, end - datetime.timedelta(days=days),
                       end, days)
    table = limit_table()
    records = []
    for c in classes:
        limits = table.get(c) or {}
        hours = both = t_in = rh_in = t_hours = rh_hours = 0.0
        count, room_set = 0, set()
        wanted = set(holding[c])
        for pk, rows in samples.items():
            if sensors[pk][0] not in wanted:
                continue
            for h, temp, rh, n in rows:
                room_set.add(sensors[pk][0])
                count += n
                t_ok = _inside(temp, limits.get("temp_min"), limits.get("temp_max"))
                rh_ok = _inside(rh, limits.get("rh_min"), limits.get("rh_max"))
                if temp is not None:
                    t_hours += h
                    t_in += h * t_ok
                if rh is not None:
                    rh_hours += h
                    rh_in += h * rh_ok
                if temp is not None and rh is not None:
                    hours += h
                    both += h * (t_ok and rh_ok)
        if not count:
            continue
        t_share, rh_share = _share(t_in, t_hours), _share(rh_in, rh_hours)
        records.append(ClimateRecord(
            material_class=c, label=MaterialClass(c).label, share_in_range=_share(both, hours), readings=count,
            rooms=len(room_set), summary=f"温度 {_percent(t_share)} · 相对湿度 {_percent(rh_share)} 在范围内",
            url=reverse("environment:alerts")))
    return records
