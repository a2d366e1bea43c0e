"""The shapes of the divisions API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from ninja import Field, Schema

from bangfu.core.api.schemas import Code
from bangfu.places.models import Level


class DivisionFilters(Schema):
    level: Level | None = Field(None, description="级别：province 省、city 市、county 县（区、市）")
    parent: Code | None = Field(None, description="上级区划代码，如 140100 列出太原市各区县")


class DivisionOut(Schema):
    code: str = Field(description="区划代码（GB/T 2260）")
    name: str = Field(description="名称")
    level: str = Field(description="级别：province、city、county")
    kind: str = Field(description="类型，如 地级市、市辖区、县、县级市")
    parent: str | None = Field(description="上级区划代码")
    lng: float = Field(description="中心经度")
    lat: float = Field(description="中心纬度")

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class DivisionList(Schema):
    items: list[DivisionOut]
    count: int
