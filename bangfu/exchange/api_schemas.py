"""The shapes of the exchange API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from datetime import date as date_type
from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic import Field as PydanticField

from bangfu.core.api.schemas import Day, Text, Unset, number_as_typed
from bangfu.core.areas import Area
from bangfu.core.params import MAX_PARAM, MAX_TEXT_PARAM

from .models import MAX_CAPACITY, ContactVisibility, PostKind

# An id the client names (a record's number): a positive integer every database's integer column holds.
Id = Annotated[int, PydanticField(ge=1, le=MAX_PARAM), BeforeValidator(number_as_typed)]
MAX_REGIONS = 30  # Shanxi has 11 cities and 117 county-level units: a post serves a few of them
MAX_MATCHES = 50




class PostFilters(Schema):
    q: Text | None = Field(None, max_length=MAX_TEXT_PARAM,
                           description="检索词（中文分词全文检索，按相关度排序），如 壁画修复、文保")
    # One type per parameter (a literal, a pattern), not a union: a bad value gets ONE error named by its parameter.
    kind: Annotated[Literal["need", "offer", ""] | None, Unset] = Field(None, description="类型：need 需求、offer 供给")
    area: Annotated[Literal[(*Area.values, "")] | None, Unset] = Field(None, description="帮扶领域代码")
    city: Annotated[str | None, Unset] = Field(None, pattern=r"^([1-9][0-9]{0,9})?$",
                                               description="所在市的编号（city_id）")
    status: Annotated[Literal["published", "talks", "matched", "completed", ""] | None, Unset] = Field(
        None, description="状态：published 已发布、talks 对接中、matched 已对接、completed 已完成；"
                          "不填为全部公开的信息")


class MatchFilters(Schema):
    limit: Annotated[int, PydanticField(ge=1, le=MAX_MATCHES), BeforeValidator(number_as_typed)] = Field(
        20, description=f"最多返回几条，1–{MAX_MATCHES}")


class PostContact(Schema):
    name: str = Field(description="联系人")
    phone: str = Field(description="联系电话")
    email: str = Field(description="电子邮箱")


class PostOut(Schema):
    id: int
    kind: str = Field(description="类型代码：need 需求、offer 供给")
    kind_label: str = Field(description="类型")
    area: str = Field(description="帮扶领域代码")
    area_label: str = Field(description="帮扶领域")
    subtype_id: int | None = Field(description="子类编号")
    subtype: str | None = Field(description="子类名称")
    title: str = Field(description="标题")
    description: str = Field(description="详细说明")
    museum_id: int | None = Field(description="发布馆编号（专家发布的供给为 null）")
    expert_id: int | None = Field(description="发布专家编号（博物馆发布的为 null）")
    owner: str = Field(description="发布方名称")
    city_id: int | None = Field(description="所在市编号")
    city: str | None = Field(description="所在市")
    region_ids: list[int] = Field(description="服务地区编号；空为全省")
    until: date_type | None = Field(description="有效期至")
    terms: str = Field(description="预算或费用")
    capacity: int = Field(description="供给：最多可以帮助几家博物馆")
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    published_at: datetime | None = Field(description="发布时间")
    contact: PostContact | None = Field(description="联系方式：仅当发布方设定对所有人公开时返回，否则为 null")

    @staticmethod
    def resolve_kind_label(post) -> str:
        return post.get_kind_display()

    @staticmethod
    def resolve_area_label(post) -> str:
        return post.get_area_display()

    @staticmethod
    def resolve_subtype(post) -> str | None:
        return post.subtype.name if post.subtype_id else None

    @staticmethod
    def resolve_owner(post) -> str:
        return post.owner_name

    @staticmethod
    def resolve_city(post) -> str | None:
        return post.city.name if post.city_id else None

    @staticmethod
    def resolve_region_ids(post) -> list[int]:
        return [r.pk for r in post.regions.all()]

    @staticmethod
    def resolve_status_label(post) -> str:
        return post.get_status_display()

    @staticmethod
    def resolve_contact(post) -> dict | None:
        if post.contact_visibility != ContactVisibility.PUBLIC:
            return None
        return {"name": post.contact_name, "phone": post.contact_phone, "email": post.contact_email}


class PostIn(Schema):
    kind: PostKind = Field(description="类型：need 需求、offer 供给（专家只能发布供给）")
    area: Area = Field(description="帮扶领域代码")
    title: Text = Field(min_length=1, max_length=80, description="标题")
    description: Text = Field(min_length=1, max_length=5000, description="详细说明")
    museum_id: Id | None = Field(None, description="发布馆编号：协会代博物馆发布（如收集的纸质需求）时必填；"
                                                 "博物馆工作人员只能以本馆名义发布，可不填")
    subtype_id: Id | None = Field(None, description="子类编号（须属于所选领域且未停用）")
    until: Day | None = Field(None, description="有效期至，不能早于今天；过期后自动下架")
    terms: Text = Field("", max_length=200, description="预算或费用，如 无偿；差旅由受援方承担")
    capacity: Annotated[int, PydanticField(ge=1, le=MAX_CAPACITY), BeforeValidator(number_as_typed)] = Field(
        1, description=f"供给：最多可以帮助几家博物馆（1–{MAX_CAPACITY}）；需求总是 1")
    regions: list[Id] = Field([], max_length=MAX_REGIONS, description="服务地区（市或县的编号）；不填为全省")
    contact_name: Text = Field("", max_length=40, description="联系人")
    contact_phone: Text = Field("", max_length=40, description="联系电话")
    contact_email: Text = Field("", max_length=254, description="电子邮箱")
    contact_visibility: ContactVisibility = Field(
        ContactVisibility.SIGNED_IN,
        description="联系方式对谁可见：public 所有人、signed_in 平台用户、parties 仅对接方")
    publish: bool = Field(True, description="true（默认）立即发布（协会开启审核时提交审核）；false 保存为草稿")


class MatchOut(Schema):
    post: PostOut = Field(description="匹配的信息")
    score: float = Field(description="匹配度，0–100，越高越合适")
    reasons: list[str] = Field(description="推荐理由：共同词、距离、结对关系、剩余名额")


class MatchList(Schema):
    items: list[MatchOut] = Field(description="匹配结果，最合适的在前")
