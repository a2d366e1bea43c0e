"""The shapes of the ledger API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from datetime import date as date_type
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic import Field as PydanticField

from bangfu.core.api.schemas import Amount, AreaRef, Day, Int, Link, Ref, Text, number_as_typed
from bangfu.core.areas import Area
from bangfu.ledger.models import DAYS, DESCRIPTION_MAX_LENGTH, MONEY_YUAN, OBJECT_COUNT, PEOPLE_TRAINED, VISITORS


class LedgerFilters(Schema):
    # The bounds inside the optional type and before the validator, or the schema would not show them.
    year: Annotated[int, PydanticField(ge=2015, le=2100), BeforeValidator(number_as_typed)] | None = Field(
        None, description="年度，如 2026")
    area: Area | None = Field(None, description="帮扶领域代码")
    state: Literal["confirmed", "pending", "rejected", "void", "withdrawn", "all"] = Field(
        "confirmed", description="状态：默认只列已确认（计入统计）的记录；all 列出全部状态")


class LedgerEntryOut(Schema):
    id: int
    date: date_type = Field(description="帮扶日期")
    helper: Ref = Field(description="帮扶方")
    helped: Ref = Field(description="受援方")
    pairing_id: int | None = Field(description="所属结对编号")
    area: AreaRef
    kind: str = Field(description="帮扶形式")
    description: str = Field(description="内容")
    people_trained: int = Field(description=PEOPLE_TRAINED.heading)
    days: float = Field(description=DAYS.heading)
    object_count: int = Field(description=OBJECT_COUNT.heading)
    visitors: int = Field(description=VISITORS.heading)
    money_yuan: float = Field(description=MONEY_YUAN.heading)
    state: str = Field(description="状态：confirmed、pending、rejected、void、withdrawn")
    state_label: str = Field(description="状态名称")
    counted: bool = Field(description="是否计入统计（已确认的记录）")
    source: str = Field(description="来源：manual 为平台外手工登记，其余为模块任务")
    evidence_link: str = Field(description="佐证链接")

    @staticmethod
    def resolve_area(entry) -> dict:
        return {"code": entry.area, "label": entry.get_area_display()}

    @staticmethod
    def resolve_state(entry) -> str:
        return entry.confirmation

    @staticmethod
    def resolve_state_label(entry) -> str:
        return entry.get_confirmation_display()

    @staticmethod
    def resolve_counted(entry) -> bool:
        return entry.confirmation == "confirmed"

    @staticmethod
    def resolve_source(entry) -> str:
        return entry.source_type


class LedgerEntryIn(Schema):
    helper_id: Int = Field(description="帮扶方博物馆编号")
    helped_id: Int = Field(description="受援方博物馆编号")
    pairing_id: Int | None = Field(None, description="所属结对编号；不填时归入两馆进行中的结对（如有）")
    area: Area = Field(description="帮扶领域代码")
    kind: Text = Field(min_length=1, max_length=40, description="帮扶形式，如 培训、讲座、巡展")
    date: Day = Field(description="帮扶日期，不能晚于今天")
    description: Text = Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH, description="内容")
    people_trained: Int = Field(0, ge=0, description=PEOPLE_TRAINED.heading)
    days: Amount(7, 1) = Field(Decimal(0), ge=0, max_digits=7, decimal_places=1, description=DAYS.heading)
    object_count: Int = Field(0, ge=0, description=OBJECT_COUNT.heading)
    visitors: Int = Field(0, ge=0, description=VISITORS.heading)
    money_yuan: Amount(14, 2) = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2,
                                      description=MONEY_YUAN.heading)
    evidence_link: Link = Field(min_length=1, max_length=200,
                               description="佐证链接（新闻报道、公众号文章等，以 http:// 或 https:// 开头）")
    confirm_not_duplicate: bool = Field(
        False, description="与已有记录（同双方、领域、日期、形式和数量）相同时，需为 true 表示确认不是重复登记；"
                           "否则返回 422")
