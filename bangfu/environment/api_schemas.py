"""The shapes of the environment API (field descriptions appear in the OpenAPI docs), one section per part."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, model_validator
from pydantic import Field as PydanticField

from bangfu.core.api.schemas import Int, Text, number_as_typed
from bangfu.objects.models import MaterialClass

from .models import RoomKind

# --- ingest: rooms, sensors, readings ---------------------------------------------------------------------------

MAX_READINGS = 10_000  # items per POST /readings; a gateway sends more in several batches

Temperature = Annotated[float, BeforeValidator(number_as_typed), PydanticField(ge=-40, le=60, allow_inf_nan=False)]
Id = Annotated[int, BeforeValidator(number_as_typed), PydanticField(ge=1, le=2**63 - 1)]
IdText = Annotated[str | None, BeforeValidator(lambda v: None if v == "" else v)]  # a filter's id, as objects'
ID_PATTERN = r"^([1-9][0-9]{0,17})?$"
Humidity = Annotated[float, BeforeValidator(number_as_typed), PydanticField(ge=0, le=100, allow_inf_nan=False)]


class RoomIn(Schema):
    name: Text = Field(min_length=1, max_length=60, description="名称，如 一号库房、青铜器展厅 3 号展柜；点位内唯一")
    kind: Literal[tuple(RoomKind.values)] = Field(RoomKind.STOREROOM,
                                                  description="storeroom 库房、gallery 展厅、case 展柜")
    materials: list[Literal[tuple(MaterialClass.values)]] = Field(
        default_factory=list, max_length=len(MaterialClass.values),
        description="存放文物的材质类别（决定默认的温湿度、光照指标），如 paper_textile、metal")
    site_id: Id | None = Field(None, description="所属监测点位；不填则用本馆的第一个点位（没有时自动建“主馆”）")
    temp_min: Temperature | None = Field(None, description="自定温度下限（°C），覆盖材质默认值")
    temp_max: Temperature | None = Field(None, description="自定温度上限（°C）")
    rh_min: Humidity | None = Field(None, description="自定相对湿度下限（%）")
    rh_max: Humidity | None = Field(None, description="自定相对湿度上限（%）")
    note: Text = Field("", max_length=200, description="说明")


class RoomOut(Schema):
    id: int
    site_id: int = Field(description="监测点位编号")
    site: str = Field(description="监测点位")
    museum_id: int = Field(description="博物馆编号")
    name: str
    kind: str = Field(description="类型代码")
    kind_label: str = Field(description="类型")
    materials: list[str] = Field(description="材质类别")
    temp_min: float | None
    temp_max: float | None
    rh_min: float | None
    rh_max: float | None
    is_active: bool = Field(description="在用")

    @staticmethod
    def resolve_site(obj) -> str:
        return obj.site.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class RoomFilters(Schema):
    site: IdText = Field(None, pattern=ID_PATTERN, description="只列这个监测点位的（编号）")


class SensorIn(Schema):
    room_id: Id = Field(description="所在库房/展厅/展柜编号")
    name: Text = Field(min_length=1, max_length=60, description="名称，房间内唯一")
    serial: Text = Field("", max_length=60, description="序列号")
    model_name: Text = Field("", max_length=60, description="型号，如 HOBO MX1101")
    interval_minutes: Int = Field(15, ge=1, le=1440, description="记录间隔（分钟），默认 15")


class SensorOut(Schema):
    id: int
    room_id: int
    name: str
    serial: str
    model_name: str
    interval_minutes: int
    is_active: bool
    last_reading_at: datetime.datetime | None = Field(description="最近读数时间")


class SensorFilters(Schema):
    room: IdText = Field(None, pattern=ID_PATTERN, description="只列这个库房/展厅的（编号）")


READING_ITEM = {
    "type": "object",
    "required": ["sensor_id", "time"],
    "properties": {
        "sensor_id": {"type": "integer", "description": "传感器编号"},
        "time": {"type": "string", "format": "date-time",
                 "description": "测量时间，ISO 8601 且必须带时区，如 2026-01-31T14:30:00+08:00 或 …Z；"
                                "也可以是 Unix 时间戳（秒）"},
        "temperature": {"type": ["number", "null"], "description": "温度（°C）"},
        "rh": {"type": ["number", "null"], "description": "相对湿度（%）"},
        "lux": {"type": ["number", "null"], "description": "照度（lx）"},
        "uv": {"type": ["number", "null"], "description": "紫外（µW/lm）"},
    },
}


class ReadingsIn(Schema):
    """`{"readings": [...]}`, or the bare list. Items are checked one by one by the endpoint (a bad item is refused
    with its index, the good ones kept), so the schema takes any item."""

    readings: list[Any] = Field(max_length=MAX_READINGS, description=f"读数，每批最多 {MAX_READINGS} 条",
                                json_schema_extra={"items": READING_ITEM})

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data):
        raw = getattr(data, "_obj", data)  # ninja hands its DjangoGetter wrapper
        return {"readings": raw} if isinstance(raw, list) else data


class RefusedItem(Schema):
    index: int = Field(description="该条在本批中的位置（从 0 起）")
    sensor_id: int | None = Field(description="该条的 sensor_id（不是整数时为 null）")
    reason: str = Field(description="未保存的原因")


class ReadingsOut(Schema):
    saved: int = Field(description="新保存的条数")
    duplicates: int = Field(description="已存在（同一传感器同一时间）而未重复保存的条数")
    refused: list[RefusedItem] = Field(description="未保存的条目及原因")
