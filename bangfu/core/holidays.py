"""Writes of the working-day calendar (`CalendarDay`): the association adds, changes and removes the official
holidays and make-up working days of a year as the State Council's notice sets them. Read through
`bangfu.core.workdays`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bangfu.permissions import require

from .audit import audit
from .dates import cn_date
from .forms import model_messages
from .models import CalendarDay

WEEKDAYS = "一二三四五六日"


def _checked(day: CalendarDay) -> None:
    errors = {}
    try:
        day.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors = model_messages(CalendarDay, exc)
    if day.date and "date" not in errors:
        if CalendarDay.objects.filter(date=day.date).exclude(pk=day.pk).exists():
            errors["date"] = [f"{cn_date(day.date)}已经在列表中，请修改那一行。"]
        elif day.is_workday and day.date.weekday() < 5:
            errors["is_workday"] = [f"{cn_date(day.date)}是星期{WEEKDAYS[day.date.weekday()]}，本来就上班；"
                                    "调休上班只用于周六、周日。"]
    if errors:
        raise ValidationError(errors)


def _save(day: CalendarDay) -> None:
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError:
        raise ValidationError({"date": "这一天已经在列表中。"}) from None


def _label(day: CalendarDay) -> str:
    return f"{day.name}（{'上班' if day.is_workday else '放假'}）"


@transaction.atomic
def calendar_day_create(*, by, date: datetime.date, name: str, is_workday: bool) -> CalendarDay:
    """Add a holiday on a weekday, or a make-up working day on a weekend (the association)."""
    require(by, "core.manage_calendar")
    day = CalendarDay(date=date, name=(name or "").strip(), is_workday=is_workday)
    _checked(day)
    _save(day)
    audit(actor=by, action="新增节假日安排", obj=day, changes={str(date): [None, _label(day)]})
    return day


@transaction.atomic
def calendar_day_update(*, day: CalendarDay, by, date: datetime.date, name: str, is_workday: bool) -> CalendarDay:
    require(by, "core.manage_calendar")
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    before = f"{day.date} {_label(day)}"
    day.date, day.name, day.is_workday = date, (name or "").strip(), is_workday
    _checked(day)
    _save(day)
    after = f"{day.date} {_label(day)}"
    if before != after:
        audit(actor=by, action="修改节假日安排", obj=day, changes={"安排": [before, after]})
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, by) -> None:
    require(by, "core.manage_calendar")
    audit(actor=by, action="删除节假日安排", obj=day, changes={str(day.date): [_label(day), None]})
    day.delete()
