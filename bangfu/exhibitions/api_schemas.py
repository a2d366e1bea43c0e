"""The shapes of the exhibitions API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from datetime import date as date_type
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from bangfu.core.api.schemas import Day, Ref, Text, Unset
from bangfu.core.params import MAX_TEXT_PARAM


class TouringFilters(Schema):
    q: Text | None = Field(None, max_length=MAX_TEXT_PARAM, description="主题、名称或介绍中的词，如 青铜器")
    # Strings with a pattern that admits "" (an unused filter, as a form sends it), as the exchange's filters do.
    city: Annotated[str | None, Unset] = Field(None, pattern=r"^([1-9][0-9]{0,9})?$",
                                               description="出展馆所在市的编号")
    max_area: Annotated[str | None, Unset] = Field(None, pattern=r"^([0-9]{1,6})?$",
                                                   description="展厅面积不超过（平方米）")
    month: Annotated[str | None, Unset] = Field(None, pattern=r"^(20[0-9]{2}-(0[1-9]|1[0-2]))?$",
                                                description="某月有空档，如 2026-05")


class WindowOut(Schema):
    start: date_type
    end: date_type


class CalendarStopOut(Schema):
    venue: str = Field(description="接展馆")
    status: str = Field(description="requested 待确认、accepted 已确认、completed 已结束")
    start: date_type = Field(description="开展日期")
    end: date_type = Field(description="闭展日期")
    held_from: date_type = Field(description="占用起（含布展）")
    held_until: date_type = Field(description="占用止（含撤展运输）")

    @staticmethod
    def resolve_venue(obj):
        return obj.venue.name


class TouringOut(Schema):
    id: int
    title: str
    theme: str
    museum: Ref = Field(description="出展馆")
    status: str
    floor_area: Decimal = Field(description="展厅面积（平方米）")
    setup_days: int
    transit_days: int
    min_days: int
    windows: list[WindowOut] = Field(description="可预约档期")

    @staticmethod
    def resolve_windows(obj):
        return list(obj.windows.all())


class TouringDetailOut(TouringOut):
    description: str
    calendar: list[CalendarStopOut] = Field(description="巡展档期：公众只见已确认和已结束的站点")


class StopIn(Schema):
    start: Day = Field(description="开展日期（ISO）")
    end: Day = Field(description="闭展日期（ISO）")
    note: Text = Field("", max_length=2000, description="申请说明")


class StopOut(Schema):
    id: int
    exhibition_id: int
    owner: Ref
    venue: Ref
    status: str
    start: date_type
    end: date_type
    held_from: date_type
    held_until: date_type
    visitors: int
    events: int
