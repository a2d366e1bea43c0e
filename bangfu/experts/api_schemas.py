"""The shapes of the expert pool API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from ninja import Field, Schema

from bangfu.core.api.schemas import AreaRef, Code, PlaceRef, Ref, Text, request_user
from bangfu.core.areas import Area
from bangfu.core.params import MAX_TEXT_PARAM


class ExpertFilters(Schema):
    q: Text | None = Field(None, max_length=MAX_TEXT_PARAM, description="姓名、单位、职称、专长或姓名拼音首字母")
    area: Area | None = Field(None, description="专业领域")
    region: Code | None = Field(None, description="市的区划代码：列出可前往该市的专家（含全省可前往的）")


class ExpertOut(Schema):
    id: int
    name: str = Field(description="姓名")
    organisation: str = Field(description="工作单位")
    title: str = Field(description="职称")
    areas: list[AreaRef] = Field(description="专业领域")
    tags: list[str] = Field(description="专长标签")
    regions: list[PlaceRef] = Field(description="可前往地区；空表示全省均可")

    @staticmethod
    def resolve_areas(obj) -> list[dict]:
        return [{"code": s.area, "label": s.get_area_display()} for s in obj.specialties.all()]

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_regions(obj) -> list:
        return list(obj.regions.all())


class ExpertContact(Schema):
    phone: str = Field(description="电话")
    email: str = Field(description="电子邮箱")


class ExpertDetail(ExpertOut):
    bio: str = Field(description="简介")
    museum: Ref | None = Field(description="所属博物馆")
    contact: ExpertContact | None = Field(description="联系方式：仅登录用户（或持令牌）可见，否则为 null")

    @staticmethod
    def resolve_contact(obj, context) -> ExpertContact | None:
        return obj if request_user(context).has_perm("experts.view_expert_contact", obj) else None
