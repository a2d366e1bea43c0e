"""A room's page (materials and effective limits, sensors with their last reading, charts, metrics, alerts, the
pest trend), its chart data as JSON, adding and editing rooms and sensors, and manual entry from a handheld
meter."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from bangfu.core.params import text_param
from bangfu.objects.models import MaterialClass

from .. import alerts as alerts_module
from .. import limits as limits_module
from .. import rollups, services
from ..forms import ReadingRows, RoomForm, SensorForm, default_time
from ..metrics import room_metrics
from ..models import UNITS, Alert
from ..summaries import daily_extremes, pest_trend, room_rows
from .common import NAV, form_page, room_for, sensor_for, site_for

PERIODS = {"24h": ("24 小时", datetime.timedelta(hours=24)), "7d": ("7 天", datetime.timedelta(days=7)),
           "30d": ("30 天", datetime.timedelta(days=30)), "1y": ("1 年", datetime.timedelta(days=365))}
DEFAULT_PERIOD = "7d"
MAX_CUSTOM = datetime.timedelta(days=366 * 2)
RECENT_ALERTS = 10


def period_of(request) -> tuple[str, datetime.datetime, datetime.datetime]:
    """The period a page or the chart asks for: `period` = 24h/7d/30d/1y (up to now), or `custom` with `start`
    and `end` dates (local days, both included, at most two years); anything else the default."""
    now = timezone.now()
    key = text_param(request, "period", max_length=10)
    if key == "custom":
        start = _date(text_param(request, "start", max_length=10))
        end = _date(text_param(request, "end", max_length=10))
        if start and end and start <= end:
            tz = timezone.get_current_timezone()
            begin = datetime.datetime.combine(start, datetime.time(), tz)
            finish = min(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tz), now)
            if datetime.timedelta(0) < finish - begin <= MAX_CUSTOM:
                return key, begin, finish
        key = DEFAULT_PERIOD
    if key not in PERIODS:
        key = DEFAULT_PERIOD
    return key, now - PERIODS[key][1], now


def period_problem(request) -> str:
    """Why a custom period asked for was not shown (the page then shows the default one), in words for the form;
    empty when nothing was wrong."""
    if text_param(request, "period", max_length=10) != "custom":
        return ""
    raw = {name: text_param(request, name, max_length=10) for name in ("start", "end")}
    if not raw["start"] or not raw["end"]:
        return "请填写开始和结束日期。"
    start, end = _date(raw["start"]), _date(raw["end"])
    if start is None or end is None:
        return "日期无效（如 2 月 30 日），请选择 2000 年以后的有效日期。"
    if start > end:
        return "开始日期不能晚于结束日期。"
    if start > timezone.localdate():
        return "开始日期不能晚于今天。"
    if end - start >= MAX_CUSTOM:
        return "自定时段最长两年，请缩短。"
    return ""


def _date(text: str) -> datetime.date | None:
    try:
        day = parse_date(text) if text else None
    except ValueError:
        return None
    return day if day and day.year >= 2000 else None


@login_required
def room(request, pk: int):
    room = room_for(request, pk)
    user = request.user
    key, start, end = period_of(request)
    period_error = ""
    if key != "custom" and text_param(request, "period", max_length=10) == "custom":
        period_error = (period_problem(request) or "这个时段无法显示。") + f"下面是最近 {PERIODS[key][0]}的数据。"
    [row] = room_rows([room])
    table = limits_module.limit_table()
    lims = limits_module.limits_for(room, table)
    materials = [(mc, label, table.get(mc)) for mc, label in MaterialClass.choices if mc in (room.materials or [])]
    alerts = alerts_module.with_permissions(
        Alert.objects.filter(room=room).select_related("room", "sensor", "acknowledged_by")[:RECENT_ALERTS], user)
    return render(request, "environment/room.html", {
        "nav": NAV, "room": row, "limits": lims, "materials": materials, "conflict": [
            MaterialClass(mc).label for mc in lims.conflict],
        "metrics": room_metrics(room, start=start, end=end, table=table),
        "alerts": alerts,
        "period": key, "periods": [(k, label) for k, (label, _) in PERIODS.items()], "start": start, "end": end,
        "last_day": timezone.localtime(end - datetime.timedelta(microseconds=1)).date(),
        "period_error": period_error, "pest_trend": pest_trend(room), "units": UNITS,
        "can_manage": user.has_perm("environment.manage", room),
        "can_record": user.has_perm("environment.record", room),
        "chart_url": reverse("environment:room_chart", args=[room.pk]),
    })


@login_required
def room_chart(request, pk: int):
    """The room's chart data for a period: each sensor's points as `rollups.series` gives them (raw readings for a
    few days, hourly or daily roll-ups beyond — a year never reads the raw readings), the daily min and max (day
    roll-ups), and the limits to draw."""
    room = room_for(request, pk)
    key, start, end = period_of(request)
    sensors = list(room.sensors.order_by("name", "pk").values("pk", "name"))
    data = rollups.series([s["pk"] for s in sensors], start, end)
    lims = limits_module.limits_for(room)
    daily = [{"day": d["day"].isoformat(), "t_min": d["t_min"], "t_max": d["t_max"], "rh_min": d["rh_min"],
              "rh_max": d["rh_max"]} for d in daily_extremes(room, start, end)]
    return JsonResponse({
        "period": key, "start": start.isoformat(), "end": end.isoformat(), "resolution": data["resolution"],
        "sensors": [{"id": s["pk"], "name": s["name"]} for s in sensors],
        "points": {str(k): v for k, v in data["points"].items()},
        "limits": {"temperature": lims.range_of("temperature"), "rh": lims.range_of("rh"),
                   "lux": lims.range_of("lux"), "temp_daily_range": lims.temp_daily_range,
                   "rh_daily_range": lims.rh_daily_range},
        "daily": daily,
    })


@login_required
def room_create(request, pk: int):
    site = site_for(request, pk, change="environment.manage")
    return form_page(
        request, RoomForm(request.POST or None),
        lambda values: services.room_create(site=site, by=request.user, **{n: values[n] for n in services.ROOM_FIELDS}),
        done=lambda new: reverse("environment:room", args=[new.pk]),
        message=lambda new: f"“{new.name}”已添加。下一步：登记传感器。",
        title=lambda: f"添加库房/展厅/展柜 · {site.name}", back=reverse("environment:site", args=[site.pk]),
        submit="添加")


@login_required
def room_edit(request, pk: int):
    room = room_for(request, pk, change="environment.manage")
    return form_page(
        request, RoomForm(request.POST or None, instance=room),
        lambda values: services.room_update(room=room, by=request.user,
                                            **{n: values[n] for n in services.ROOM_FIELDS}),
        done=lambda _: reverse("environment:room", args=[room.pk]), message=lambda _: "已保存。",
        title=lambda: f"修改 · {room.name}", back=reverse("environment:room", args=[room.pk]), submit="保存",
        instance=room)


@login_required
def sensor_create(request, pk: int):
    room = room_for(request, pk, change="environment.manage")
    return form_page(
        request, SensorForm(request.POST or None),
        lambda values: services.sensor_create(room=room, by=request.user,
                                              **{n: values[n] for n in services.SENSOR_FIELDS}),
        done=lambda _: reverse("environment:room", args=[room.pk]),
        message=lambda _: "传感器已登记。读数可由网关上传、导入记录仪文件或手工录入。",
        title=lambda: f"登记传感器 · {room.name}", back=reverse("environment:room", args=[room.pk]), submit="登记")


@login_required
def sensor_edit(request, pk: int):
    sensor = sensor_for(request, pk, change="environment.manage")
    return form_page(
        request, SensorForm(request.POST or None, instance=sensor),
        lambda values: services.sensor_update(sensor=sensor, by=request.user,
                                              **{n: values[n] for n in services.SENSOR_FIELDS}),
        done=lambda _: reverse("environment:room", args=[sensor.room_id]), message=lambda _: "传感器已保存。",
        title=lambda: f"修改传感器 · {sensor.name}", back=reverse("environment:room", args=[sensor.room_id]),
        submit="保存", instance=sensor)


@login_required
def readings_add(request, pk: int):
    """Manual entry: several rows of time and values read from a handheld meter, saved at once through the
    readings writer (the refused ones named by row)."""
    sensor = sensor_for(request, pk, change="environment.record")
    rows = ReadingRows(request.POST or None, initial=[{"time": default_time()}])
    if request.method == "POST" and rows.is_valid():
        filled = [(number, form.reading()) for number, form in enumerate(rows.forms, start=1) if form.reading()]
        result = services.readings_add_manual(sensor=sensor, by=request.user, items=[i for _, i in filled])
        if result.refused:  # the writer counts the filled rows from 1: name the row as the page shows it
            saved = f"（其余 {result.saved} 条已保存）" if result.saved else ""
            for refusal in result.refused:
                rows.non_form_errors().append(f"第 {filled[refusal.index - 1][0]} 行：{refusal.reason}{saved}")
        else:
            note = f"，{result.duplicates} 条该时间已有读数未覆盖" if result.duplicates else ""
            messages.success(request, f"已保存 {result.saved} 条读数{note}。")
            return redirect("environment:room", pk=sensor.room_id)
    return render(request, "environment/readings_add.html", {
        "nav": NAV, "sensor": sensor, "room": sensor.room, "rows": rows,
    }, status=400 if request.method == "POST" else 200)
