"""A person's learning record for machines (read only): the year's 学时 against the target, the entries and the
valid certificates — for whoever may see the person on the pages (`learning.view_person`); anyone else 404."""

from __future__ import annotations

from datetime import date as date_type
from typing import Annotated

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator
from pydantic import Field as PydanticField

from bangfu.core.api.auth import required_auth
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, number_as_typed
from bangfu.permissions import get_for_user

from . import selectors
from .certificates import verify_url
from .models import Certificate

router = Router(tags=["人才培养"])


class HoursFilters(Schema):
    # The bounds inside the optional type and before the validator, or the schema would not show them.
    year: Annotated[int, PydanticField(ge=2000, le=2100), BeforeValidator(number_as_typed)] | None = Field(
        None, description="年度，如 2026；默认本年度")


class EntryOut(Schema):
    date: date_type = Field(description="学时计入的日期")
    title: str = Field(description="名称，如培训班、课程的名称")
    source: str = Field(description="来源，如 培训班、线上课程、跟班学习")
    hours: float = Field(description="学时")


class CertificateOut(Schema):
    serial: str = Field(description="证书编号")
    title: str = Field(description="项目名称")
    verify_url: str = Field(description="公开验证页面（证书二维码打开的地址）")


class HoursOut(Schema):
    user_id: int
    year: int
    hours: float = Field(description="本年度学时合计")
    target: float = Field(description="本年度继续教育目标学时")
    short_by: float = Field(description="距目标还差的学时；已达标为 0")
    entries: list[EntryOut]
    certificates: list[CertificateOut] = Field(description="有效的证书（已撤销的不列出）")


@router.get("/{int:user_id}/hours", auth=required_auth,
            response={200: HoursOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID}, summary="个人年度学时",
            description="本人、所在馆馆管理员、协会和辖区主管单位可读；其他人返回 404。year 超出 2000–2100 返回 422。")
def person_hours(request, user_id: int, filters: Query[HoursFilters]):
    person = get_for_user(request.user, get_user_model().objects.all(), view="learning.view_person", pk=user_id)
    year = filters.year or timezone.localdate().year
    entries = list(selectors.entries_of(person, year))
    total = sum(e.hours for e in entries)
    target = selectors.target_for(year)
    return {
        "user_id": person.pk, "year": year, "hours": float(total), "target": float(target),
        "short_by": float(max(target - total, 0)),
        "entries": [{"date": e.date, "title": e.title, "source": e.source_label, "hours": float(e.hours)}
                    for e in entries],
        "certificates": [{"serial": c.serial, "title": c.title,
                          "verify_url": verify_url(c, base_url=settings.SITE_URL)}
                         for c in Certificate.objects.filter(person=person).valid()],
    }
