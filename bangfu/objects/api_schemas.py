"""The shapes of the objects API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, WithJsonSchema
from pydantic import Field as PydanticField

from bangfu.core.api.schemas import Dec, Text, Unset, number_as_typed

from .models import MAX_INSURANCE_YUAN, Category, Condition, Material, ObjectGrade

Quantity = Annotated[int, PydanticField(ge=1, le=100_000), BeforeValidator(number_as_typed)]
Money = Annotated[Dec, PydanticField(ge=0, le=MAX_INSURANCE_YUAN, max_digits=14, decimal_places=2),
                  WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_INSURANCE_YUAN),
                                  "multipleOf": 0.01})]


class ObjectFilters(Schema):
    museum: Annotated[str | None, Unset] = Field(None, pattern=r"^([1-9][0-9]{0,9})?$",
                                                 description="收藏单位（博物馆）编号")
    grade: Annotated[Literal[(*ObjectGrade.values, "")] | None, Unset] = Field(None, description="级别")
    offered: bool | None = Field(None, description="true 只列可借展的，false 只列不对外的（仅本馆可见）")


class ObjectIn(Schema):
    name: Text = Field(min_length=1, max_length=100, description="名称")
    registration_number: Text = Field(min_length=1, max_length=40, description="藏品总登记号，本馆内唯一")
    grade: Literal[tuple(ObjectGrade.values)] = Field(description="级别：一级、二级、三级、一般、未定级")
    material: Literal[tuple(Material.values)] = Field(description="质地（普查的质地分类），如 铜、陶、瓷、石、纸、复合")
    category: Literal[tuple(Category.values)] = Field(Category.OTHER, description="类别（普查的 35 个类别），默认 其他")
    condition: Literal[tuple(Condition.values)] = Field(
        description="保存状态：good 完好、fair 基本完好、poor 残缺/较差、under_treatment 修复中")
    has_record: StrictBool = Field(description="是否已建立藏品档案（未建档的文物不得出借）")
    era: Text = Field("", max_length=40, description="年代，如 西周")
    dimensions: Text = Field("", max_length=100, description="尺寸，如 通高 35.2 厘米")
    quantity: Quantity = Field(1, description="数量（件），1–100000")
    insurance_value: Money | None = Field(None, description="保险估值（元）")
    description: Text = Field("", max_length=5000, description="说明")
    offered: StrictBool = Field(False, description="是否可供借展/巡展（其他馆可以看到）")
    fragile: StrictBool = Field(False, description="运输易损")


class ObjectOut(Schema):
    id: int
    museum_id: int = Field(description="收藏单位编号")
    museum: str = Field(description="收藏单位")
    name: str
    registration_number: str = Field(description="藏品总登记号")
    grade: str = Field(description="级别")
    category: str = Field(description="类别")
    material: str = Field(description="质地")
    material_class: str = Field(description="质地大类（环境标准用）")
    era: str
    dimensions: str
    quantity: int
    condition: str = Field(description="保存状态代码")
    condition_label: str = Field(description="保存状态")
    has_record: bool
    fragile: bool
    offered: bool
    is_active: bool = Field(description="在册")
    insurance_value: Decimal | None = Field(description="保险估值（元）；仅本馆、协会和主管单位可见，其他人为 null")

    @staticmethod
    def resolve_museum(obj) -> str:
        return obj.museum.name

    @staticmethod
    def resolve_condition_label(obj) -> str:
        return obj.get_condition_display()

    @staticmethod
    def resolve_insurance_value(obj, context) -> Decimal | None:
        user = context["request"].user
        return obj.insurance_value if user.has_perm("objects.view_value", obj) else None
