"""Request and response shapes of the API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

import re
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError

from bangfu.core.areas import Area
from bangfu.core.dates import no_such_day
from bangfu.core.params import MAX_TEXT_PARAM
from bangfu.core.text import (
    CONTROL_CHARACTERS_MESSAGE,
    LINK_PATTERN,
    TEXT_PATTERN,
    has_control_characters,
    number_text,
)
from bangfu.ledger.models import DAYS, DESCRIPTION_MAX_LENGTH, MONEY_YUAN, OBJECT_COUNT, PEOPLE_TRAINED, VISITORS
from bangfu.museums.models import Grade, Offering, Ownership, ProgrammeRole
from bangfu.places.models import Level

CODE_PATTERN = r"^[0-9]{6}$"  # ASCII digits only: \d also matches other scripts' digits


def _request_user(context):
    return context["request"].user


def _no_control_characters(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError("control_characters", CONTROL_CHARACTERS_MESSAGE)
    return value


def _number_as_typed(value):
    """Numbers as the forms and the importer read them (`core.text.number_text`): ASCII or full-width digits
    ("１２" is 12 for every quantity alike), never "²" or another script's digits; true and false are no numbers."""
    if isinstance(value, bool):
        raise PydanticCustomError("number_not_bool", "必须是数字，不能是 true 或 false")
    if isinstance(value, str):
        text = number_text(value)
        if text is None:
            raise PydanticCustomError("number_characters", "必须是数字（用阿拉伯数字书写，半角或全角均可）")
        return text
    return value


def _day_as_typed(value):
    """A date that does not exist (2026-02-30) is named, as the forms name it (`core.dates.no_such_day`)."""
    message = no_such_day(value) if isinstance(value, str) else None
    if message:
        raise PydanticCustomError("no_such_day", message.removesuffix("。"))
    return value


# Every number and date the API takes (query and body alike).
Int = Annotated[int, BeforeValidator(_number_as_typed)]
Dec = Annotated[Decimal, BeforeValidator(_number_as_typed)]
Day = Annotated[date_type, BeforeValidator(_day_as_typed)]

# Every text the API takes (query, path and body alike): control characters are refused with a 422, as forms
# refuse them (bangfu.core.text). Constraints that the OpenAPI schema must show go into the type itself: a
# `Field(pattern=…)` on an optional annotated type is enforced but left out of the schema.
Text = Annotated[str, AfterValidator(_no_control_characters),
                 PydanticField(json_schema_extra={"pattern": TEXT_PATTERN})]


def _link(value: str) -> str:
    if not re.fullmatch(LINK_PATTERN, value):
        raise PydanticCustomError("link", "请填写以 http:// 或 https:// 开头、不含空格的网址。")
    return value


# A web link: the same rule, with its pattern in the schema.
Link = Annotated[str, AfterValidator(_no_control_characters), AfterValidator(_link),
                 PydanticField(json_schema_extra={"pattern": LINK_PATTERN})]


def Amount(digits: int, places: int):  # noqa: N802 — used as a type
    """A decimal quantity as the schema should describe it: a number from 0 up to what `digits` and `places` hold,
    in steps of one unit of the last place (pydantic alone would also advertise any string)."""
    step = Decimal(1).scaleb(-places)
    largest = Decimal(10 ** (digits - places)) - step
    return Annotated[Dec, WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(largest),
                                          "multipleOf": float(step)})]


# A division code (GB/T 2260), six ASCII digits.
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN), AfterValidator(_no_control_characters)]


# --- shared ------------------------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="错误说明")


class FieldError(Schema):
    field: str = Field(description="出错的参数，如 limit")
    message: str = Field(description="错误说明")


class ValidationErrorOut(Error):
    errors: list[FieldError] = Field(description="逐项说明")


# The errors an endpoint may answer besides its result (the handlers in api.py), for its `response=`:
# 401 a token presented but unknown or revoked (public endpoints included) or, where required, no credentials;
# 404 an object that does not exist or may not be seen; 422 parameters that fail validation.
UNAUTHENTICATED = {401: Error}
NOT_FOUND = {404: Error}
INVALID = {422: ValidationErrorOut}


class Ref(Schema):
    id: int
    name: str


class PlaceRef(Schema):
    code: str = Field(description="区划代码")
    name: str


class AreaRef(Schema):
    code: str = Field(description="领域代码")
    label: str = Field(description="领域名称")


# --- divisions -------------------------------------------------------------------------------------------


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


# --- museums ---------------------------------------------------------------------------------------------


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
        return obj if _request_user(context).has_perm("museums.view_museum_contact", obj) else None


# --- experts ---------------------------------------------------------------------------------------------


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
        return obj if _request_user(context).has_perm("experts.view_expert_contact", obj) else None


# --- account and tokens ------------------------------------------------------------------------------------


class Me(Schema):
    username: str = Field(description="用户名")
    full_name: str = Field(description="姓名")
    role: str = Field(description="角色代码")
    role_label: str = Field(description="角色")
    museum: Ref | None = Field(description="所属博物馆")
    jurisdiction: PlaceRef | None = Field(description="管辖范围（主管单位）")
    auth: Literal["token", "session"] = Field(description="本次请求的认证方式")

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_auth(obj, context) -> str:
        return "token" if getattr(context["request"], "api_token", None) else "session"


class TokenOut(Schema):
    id: int
    name: str = Field(description="名称（用途）")
    hint: str = Field(alias="key_hint", description="令牌开头几位，用于辨认")
    created_at: datetime = Field(description="创建时间")
    last_used_at: datetime | None = Field(description="最近使用时间（精确到分钟）")
    revoked_at: datetime | None = Field(description="撤销时间；null 表示有效")


# --- the ledger --------------------------------------------------------------------------------------------

class LedgerFilters(Schema):
    # The bounds inside the optional type and before the validator, or the schema would not show them.
    year: Annotated[int, PydanticField(ge=2015, le=2100), BeforeValidator(_number_as_typed)] | None = Field(
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
