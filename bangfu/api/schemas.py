"""The shapes of the account and token endpoints (field descriptions appear in the OpenAPI docs). The shapes every
router shares are in the core (`bangfu.core.api.schemas`), each module's beside its router."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from bangfu.core.api.schemas import PlaceRef, Ref


class Me(Schema):
    id: int = Field(description="用户编号（如 /api/people/{user_id}/hours 中的 user_id）")
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
