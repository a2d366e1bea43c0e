"""The shapes of the museum registry API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from bangfu.core.api.schemas import Code, Ref, Text, request_user
from bangfu.core.params import MAX_TEXT_PARAM
from bangfu.museums.models import Grade, Offering, Ownership, ProgrammeRole


class MuseumFilters(Schema):
    q: Text | None = Field(None, max_length=MAX_TEXT_PARAM, description="名称、简称、拼音首字母（如 sxbwy）或全拼")
    city: Code | None = Field(None, description="所在市的区划代码，如 140100")
    county: Code | None = Field(None, description="所在县（区、市）的区划代码")
    province: Text | None = Field(None, max_length=20, description="省份，如 山西省")
    grade: Grade | None = Field(None, description="质量等级")
    ownership: Ownership | None = Field(None, description="所有制")
    role: ProgrammeRole | None = Field(
        None, description="帮扶角色：helper 帮扶方、helped 受援方、both 兼有、none 未参与"
    )
    needs_review: bool | None = Field(None, description="true 只列所在地待核实的馆")
    ordering: Literal["name", "-visitors", "-collections", "grade"] = Field(
        "name", description="排序：name 按名称拼音、-visitors 参观人数降序、-collections 藏品数降序、grade 按等级"
    )


class MuseumOut(Schema):
    id: int
    name: str = Field(description="博物馆名称")
    short_name: str = Field(description="简称")
    province: str = Field(description="省份")
    grade: str = Field(description="质量等级：一级、二级、三级、未定级")
    ownership: str = Field(description="所有制：国有、非国有")
    sector: str = Field(description="性质，如 文化文物系统国有博物馆")
    tier: str = Field(description="行政层级：省级、市级、县级，空为未确定")
    city: str | None = Field(description="所在市")
    city_code: str | None = Field(description="所在市的区划代码")
    county: str | None = Field(description="所在县（区、市）")
    county_code: str | None = Field(description="所在县（区、市）的区划代码")
    lat: float | None = Field(description="纬度")
    lng: float | None = Field(description="经度")
    position_precise: bool = Field(description="true 为已精确标定；false 为所在区县中心点")
    needs_review: bool = Field(description="所在地待核实")
    collections: int = Field(description="藏品数（件/套）")
    visitors_10k: float = Field(description="参观人数（万人次）")
    programme_role: str = Field(description="帮扶角色代码")
    programme_role_label: str = Field(description="帮扶角色")

    @staticmethod
    def resolve_city(obj) -> str | None:
        return obj.city.name if obj.city_id else None

    @staticmethod
    def resolve_city_code(obj) -> str | None:
        return obj.city.code if obj.city_id else None

    @staticmethod
    def resolve_county(obj) -> str | None:
        return obj.county.name if obj.county_id else None

    @staticmethod
    def resolve_county_code(obj) -> str | None:
        return obj.county.code if obj.county_id else None

    @staticmethod
    def resolve_programme_role_label(obj) -> str:
        return obj.get_programme_role_display()


class AreaItem(Schema):
    area: str = Field(description="领域代码")
    area_label: str = Field(description="领域名称")
    text: str = Field(description="说明")
    capacity: int | None = Field(description="可提供时：每年可承接的帮扶项目数")

    @staticmethod
    def resolve_area_label(obj) -> str:
        return obj.get_area_display()


class MuseumContact(Schema):
    contact_person: str = Field(description="联系人")
    phone: str = Field(description="联系电话")
    email: str = Field(description="电子邮箱")


class MuseumDetail(MuseumOut):
    address: str = Field(description="地址")
    website: str = Field(description="网站")
    introduction: str = Field(description="简介")
    logo_url: str | None = Field(description="标志图片地址")
    free_admission: bool = Field(description="免费开放")
    precious_relics: int = Field(description="珍贵文物（件/套）")
    exhibitions: int = Field(description="展览（个）")
    education_activities: int = Field(description="教育活动（次）")
    staff_count: int | None = Field(description="员工人数")
    head: Ref | None = Field(description="总馆（本馆为分馆时）")
    branch_ids: list[int] = Field(description="分馆编号")
    needs: list[AreaItem] = Field(description="各领域的帮扶需求")
    offers: list[AreaItem] = Field(description="各领域可提供的帮扶")
    contact: MuseumContact | None = Field(description="联系方式：仅登录用户（或持令牌）可见，否则为 null")

    @staticmethod
    def resolve_logo_url(obj) -> str | None:
        return obj.logo.url if obj.logo else None

    @staticmethod
    def resolve_branch_ids(obj) -> list[int]:
        return [b.pk for b in obj.branches.all()]

    @staticmethod
    def resolve_needs(obj) -> list:
        return [a for a in obj.areas.all() if a.kind == Offering.NEED]

    @staticmethod
    def resolve_offers(obj) -> list:
        return [a for a in obj.areas.all() if a.kind == Offering.OFFER]

    @staticmethod
    def resolve_contact(obj, context) -> MuseumContact | None:
        return obj if request_user(context).has_perm("museums.view_museum_contact", obj) else None
