"""The environment API's metrics endpoints (added to `api.router`): a room's conservation metrics over a period and
its alert episodes — the same functions as the pages, the same access (404 for rooms the user cannot see)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from bangfu.core.api.auth import required_auth
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED
from bangfu.permissions import get_for_user

from . import alerts as alert_services
from .metrics import room_metrics
from .models import Alert, Room

router = Router()

DEFAULT_DAYS = 30
MAX_SPAN = datetime.timedelta(days=366 * 5)  # five years of roll-ups at most in one answer
# A space before the offset is an unencoded "+" (" 08:00"): parse_moment reads it as one.
MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+ -]\d{2}:?\d{2})?)?$"
MOMENT_MESSAGE = "必须是日期或日期时间，如 2026-01-31 或 2026-01-31T08:00:00+08:00"


class PeriodFilters(Schema):
    start: str | None = Field(None, pattern=MOMENT_PATTERN, max_length=40,
                              description="开始：日期（当天 0 时，北京时间）或带时区的日期时间；默认为 end 前 30 天")
    end: str | None = Field(None, pattern=MOMENT_PATTERN, max_length=40,
                            description="结束（不含）：日期（该日次日 0 时，即含当天）或日期时间；默认为现在")


class Stats(Schema):
    min: float | None
    max: float | None
    mean: float | None


class DewPoint(Schema):
    mean: float | None
    max: float | None


class Emc(Schema):
    mean: float | None = Field(description="木材平衡含水率时间加权平均（%）")
    min: float | None
    max: float | None
    in_safe_band: float | None = Field(description="处于 5–12.5 % 安全区间的时间比例（0–1）")
    safe_band: list[float]


class Pi(Schema):
    twpi: float | None = Field(description="时间加权保存指数（年），Σt / Σ(t/PI)")


class Mould(Schema):
    max: float | None = Field(description="VTT 霉菌指数（0–6）各传感器最大值")
    sensitivity: str


class InRange(Schema):
    temperature: float | None = Field(description="温度在范围内的时间比例（0–1）")
    rh: float | None = Field(description="相对湿度在范围内的时间比例（0–1）")


class DailyParameter(Schema):
    max: float | None
    limit: float | None
    days_over: int
    days: int


class DailyRange(Schema):
    temperature: DailyParameter
    rh: DailyParameter


class Period(Schema):
    start: datetime.datetime
    end: datetime.datetime


class MetricsOut(Schema):
    period: Period
    source: str = Field(description="readings（31 天以内，原始读数）或 rollups（小时、日汇总）")
    readings: int
    sensors: int
    temperature: Stats
    rh: Stats
    dew_point: DewPoint
    emc: Emc
    pi: Pi
    mould_index: Mould
    time_in_range: InRange
    light_exposure_lxh: float | None = Field(description="期间曝光量（lx·h，曝光最多的传感器）")
    light_exposure_annual_lxh: float | None = Field(description="按期间折算的年曝光量（lx·h/年）")
    daily_range: DailyRange
    limits: dict[str, float | None]


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    sensor_id: int | None
    start: datetime.datetime
    end: datetime.datetime | None
    last_seen: datetime.datetime | None
    peak: float | None
    limit: float | None
    unit: str
    readings: int
    acknowledged_at: datetime.datetime | None
    acknowledgement: str


def _round(value):
    """A stored float as people read it (18.7, not 18.700000000000003)."""
    return None if value is None else round(value, 2)


def parse_moment(text: str | None, name: str, *, end: bool = False) -> datetime.datetime | None:
    """An ISO date (local midnight; as an end, the next day's) or datetime (naive: local time); a ValidationError
    naming the field otherwise."""
    if not text:
        return None
    # An offset's "+" not encoded as %2B arrives as a space (2026-12-01T08:00:00 08:00): it can only mean "+".
    text = re.sub(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", text, flags=re.ASCII)
    if not re.fullmatch(MOMENT_PATTERN, text, flags=re.ASCII):
        raise ValidationError({name: MOMENT_MESSAGE})
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day + datetime.timedelta(days=1 if end else 0), datetime.time.min)
        else:
            moment = datetime.datetime.fromisoformat(text.replace(" ", "T"))
    except (ValueError, OverflowError):
        raise ValidationError({name: f"没有这个日期或时间（{text}）"}) from None
    if not 1970 <= moment.year <= 2100:
        raise ValidationError({name: "年份须在 1970 至 2100 之间"})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def period_of(filters: PeriodFilters) -> tuple[datetime.datetime, datetime.datetime]:
    start = parse_moment(filters.start, "start")
    end = parse_moment(filters.end, "end", end=True) or timezone.now()
    start = start or end - datetime.timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise ValidationError({"end": "结束时间必须晚于开始时间"})
    if end - start > MAX_SPAN:
        raise ValidationError({"end": "一次最多查询 5 年，请缩短时间段"})
    return start, end


@router.get("/rooms/{int:room_id}/metrics", auth=required_auth,
            response={200: MetricsOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
            summary="库房/展厅的保存环境指标",
            description="一个库房/展厅在一段时间内的指标：温度、相对湿度（最小、最大、时间加权平均），"
                        "露点（Magnus 公式），木材平衡含水率（美国林产品实验室 Hailwood–Horrobin 公式），"
                        "时间加权保存指数 TWPI（Padfield 的 "
                        "Arrhenius 近似，Σt / Σ(t/PI)），VTT 霉菌指数，温湿度在本室指标范围内的时间比例，曝光量。"
                        "31 天以内按原始读数计算，更长按小时汇总。start、end 为日期或日期时间，默认最近 30 天；"
                        "一次最多 5 年。本馆、帮扶馆、协会和主管单位可见，其他人返回 404。")
def get_room_metrics(request, room_id: int, filters: Query[PeriodFilters]):
    room = get_for_user(request.user, Room.objects.all(), view="environment.view", pk=room_id)
    start, end = period_of(filters)
    return room_metrics(room, start=start, end=end)


@router.get("/rooms/{int:room_id}/alerts", auth=required_auth,
            response={200: list[AlertOut], **UNAUTHENTICATED, **NOT_FOUND},
            summary="库房/展厅的报警",
            description="一个库房/展厅的报警，每次超限一条（不是每条读数一条），最新的在前，最多 500 条："
                        "kind 类型（temp_high、temp_low、rh_high、rh_low、temp_swing、rh_swing、lux_high、uv_high、"
                        "silent），start、end（进行中为 null），peak 峰值（日波动为最大日较差，失联为小时数）、"
                        "limit 限值，readings 超限读数条数（日波动为天数）。可见范围同上。")
def get_room_alerts(request, room_id: int):
    room = get_for_user(request.user, Room.objects.all(), view="environment.view", pk=room_id)
    return [{"id": a.pk, "kind": a.kind, "kind_label": a.get_kind_display(), "sensor_id": a.sensor_id,
             "start": a.start, "end": a.end, "last_seen": a.last_seen, "peak": _round(a.peak), "limit": _round(a.limit),
             "unit": alert_services.kind_unit(a.kind), "readings": a.readings, "acknowledged_at": a.acknowledged_at,
             "acknowledgement": a.acknowledgement}
            for a in Alert.objects.filter(room=room).order_by("-start", "-id")[:500]]
