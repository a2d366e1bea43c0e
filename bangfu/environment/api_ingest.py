"""The environment API's ingest endpoints (added to `api.router`): gateways and scripts register the rooms and
sensors they measure and send readings in batches.

Readings take a site's gateway token (`Authorization: Bearer bfs_…`, made on the site's page: it writes that
site's sensors only) or a personal token or session of the museum's staff (sensors they may record). Every item is
checked on its own: a malformed, impossible or foreign one is refused with its index and reason, the good ones are
saved; a reading already stored for its sensor and time is counted as a duplicate (sending a batch again is safe).

Times must carry their offset (`2026-01-31T14:30:00+08:00`, `…Z`) or be a Unix timestamp in seconds: a time
without one is refused, not guessed — a gateway whose clock runs in UTC would otherwise be eight hours off."""


import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate

from bangfu.core.api.auth import TokenOrSession
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.parties import works_at_museum
from bangfu.permissions import get_for_user

from .api_schemas import (
    ReadingsIn,
    ReadingsOut,
    RoomFilters,
    RoomIn,
    RoomOut,
    SensorFilters,
    SensorIn,
    SensorOut,
)
from .models import Room, Sensor, Site
from .readings import VALUES, BatchItem, ReadingIn, batch_save
from .services import SITE_TOKEN_PREFIX, room_create, sensor_create, site_create, site_for_token

router = Router()

DEFAULT_SITE_NAME = "主馆"
MAX_TIME_TEXT = 40
ID_TEXT = re.compile(r"[0-9]{1,18}")


class SiteTokenOrSession(TokenOrSession):
    """A site's gateway token (`bfs_…`: `request.gateway_site` is the site, `request.user` stays anonymous), or
    what every endpoint takes (a personal token, or the session with CSRF checked)."""

    def authenticate(self, request: HttpRequest, token: str):
        if token.startswith(SITE_TOKEN_PREFIX):
            site = site_for_token(token)
            if site is None:
                raise AuthenticationError(message="网关令牌无效或已撤销。")
            request.gateway_site = site
            request.api_token = None
            return site
        return super().authenticate(request, token)


gateway_auth = SiteTokenOrSession(required=True)
signed_in = TokenOrSession(required=True)


# --- rooms and sensors -----------------------------------------------------------------------------------------


def _site_for(user, site_id: int | None) -> Site:
    """The site a new room goes to: the one named (which the user may manage), else the first of the user's museum
    (made as “主馆” when it has none)."""
    if site_id is not None:
        return get_for_user(user, Site, view="environment.view", change="environment.manage", pk=site_id)
    if not works_at_museum(user):
        raise ValidationError({"site_id": "请指定监测点位（site_id）。"})
    site = Site.objects.filter(museum_id=user.museum_id).order_by("id").first()
    return site or site_create(museum=user.museum, by=user, name=DEFAULT_SITE_NAME)


def _check_order(values: dict) -> None:
    errors = {}
    if values.get("temp_min") is not None and values.get("temp_max") is not None \
            and values["temp_min"] > values["temp_max"]:
        errors["temp_max"] = "温度上限不能低于下限。"
    if values.get("rh_min") is not None and values.get("rh_max") is not None and values["rh_min"] > values["rh_max"]:
        errors["rh_max"] = "湿度上限不能低于下限。"
    if errors:
        raise ValidationError(errors)


@router.get("/rooms", auth=signed_in, response={200: list[RoomOut], **UNAUTHENTICATED, **INVALID},
            summary="库房/展厅列表",
            description="需令牌或登录。调用者可以看到的库房、展厅、展柜：本馆的，结对帮扶馆的（帮扶馆），协会和辖区主管单位的。"
                        "分页返回 {items, count}。")
@paginate(Page)
def list_rooms(request, filters: Query[RoomFilters]):
    rooms = Room.objects.visible_to(request.user).select_related("site")
    if filters.site:
        rooms = rooms.filter(site_id=int(filters.site))
    return rooms.order_by("museum_id", "site_id", "name", "id")


@router.post("/rooms", auth=signed_in,
             response={201: RoomOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
             summary="登记库房/展厅",
             description="需令牌或登录（本馆工作人员或协会）。materials 为材质类别，决定默认环境指标；"
                         "temp_min 等为本房间自己的指标，覆盖材质默认值。不填 site_id 时放在本馆第一个监测点位"
                         "（没有点位时由馆管理员自动建“主馆”）。")
def create_room(request, data: RoomIn):
    values = data.dict()
    site = _site_for(request.user, values.pop("site_id"))
    _check_order(values)
    room = room_create(site=site, by=request.user, **values)
    return Status(201, Room.objects.select_related("site").get(pk=room.pk))


@router.get("/sensors", auth=signed_in, response={200: list[SensorOut], **UNAUTHENTICATED, **INVALID},
            summary="传感器列表",
            description="需令牌或登录。调用者可以看到的库房/展厅中的传感器；可按 room 筛选。分页返回 {items, count}。")
@paginate(Page)
def list_sensors(request, filters: Query[SensorFilters]):
    sensors = Sensor.objects.visible_to(request.user)
    if filters.room:
        sensors = sensors.filter(room_id=int(filters.room))
    return sensors.order_by("room_id", "name", "id")


@router.post("/sensors", auth=signed_in,
             response={201: SensorOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
             summary="登记传感器",
             description="需令牌或登录（本馆工作人员或协会）。返回的 id 即写入读数时的 sensor_id。")
def create_sensor(request, data: SensorIn):
    values = data.dict()
    room = get_for_user(request.user, Room, view="environment.view", change="environment.manage",
                        pk=values.pop("room_id"))
    return Status(201, sensor_create(room=room, by=request.user, **values))


# --- readings ---------------------------------------------------------------------------------------------------


def _sensor_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**63 else None
    if isinstance(value, str) and ID_TEXT.fullmatch(value):
        return int(value)
    return None


def _time(value) -> datetime.datetime | str:
    """The aware time of an item, or why there is none."""
    if value is None:
        return "缺少时间（time）"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            return "时间戳超出范围"
    if not isinstance(value, str) or len(value) > MAX_TIME_TEXT or not value.isascii():
        return "时间格式不正确，应如 2026-01-31T14:30:00+08:00"
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return "时间格式不正确，应如 2026-01-31T14:30:00+08:00"
    if moment.tzinfo is None or moment.utcoffset() is None:
        return "时间未带时区，应如 2026-01-31T14:30:00+08:00 或以 Z 结尾"
    return moment


def _value(name: str, value) -> float | None | str:
    """A measured value as a float (None: not measured), or why it is not one."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{name} 必须是数字"
    try:
        number = float(value)
    except OverflowError:
        return f"{name} 数值过大"
    if not math.isfinite(number):
        return f"{name} 不是有效数字"
    return number


def parse_item(index: int, raw) -> BatchItem:
    """One item of the JSON batch, read without trusting it: its sensor id and reading, or the reason it is
    refused (the reading's plausibility is checked by `readings.check` when it is saved)."""
    if not isinstance(raw, dict):
        return BatchItem(index, None, reason="不是 JSON 对象")
    sensor_id = _sensor_id(raw.get("sensor_id"))
    if sensor_id is None:
        return BatchItem(index, None, reason="缺少 sensor_id 或不是正整数")
    moment = _time(raw.get("time"))
    if isinstance(moment, str):
        return BatchItem(index, sensor_id, reason=moment)
    values = {}
    for name in VALUES:
        value = _value(name, raw.get(name))
        if isinstance(value, str):
            return BatchItem(index, sensor_id, reason=value)
        values[name] = value
    return BatchItem(index, sensor_id, reading=ReadingIn(time=moment, **values))


@router.post("/readings", auth=gateway_auth,
             response={200: ReadingsOut, 403: Error, 413: Error, **UNAUTHENTICATED, **INVALID},
             summary="写入读数",
             description="网关用点位的网关令牌（Bearer bfs_…，只能写入该点位的传感器），或本馆工作人员的个人令牌/登录。"
                         "请求体为 {\"readings\": [{sensor_id, time, temperature, rh, lux, uv}, …]} 或直接是列表，"
                         "每批最多 10000 条。time 必须带时区（如 2026-01-31T14:30:00+08:00）或为 Unix 时间戳（秒）。"
                         "逐条检查：格式错误、数值不可能、传感器不存在或无权写入的条目列在 refused 中"
                         "（index 从 0 起），"
                         "其余照常保存；同一传感器同一时间已有读数的计入 duplicates（重发同一批是安全的）。")
def post_readings(request, data: ReadingsIn):
    items = [parse_item(index, raw) for index, raw in enumerate(data.readings)]
    site = getattr(request, "gateway_site", None)
    result = batch_save(items=items, site=site) if site is not None else batch_save(items=items, by=request.user)
    return {"saved": result.saved, "duplicates": result.duplicates,
            "refused": [{"index": r.index, "sensor_id": r.sensor_id, "reason": r.reason} for r in result.refused]}
