"""Reads of the learning record: a person's hours by year, the target of a year, who falls short."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from .models import DEFAULT_TARGET_HOURS, HoursEntry, HoursTarget


def target_for(year: int) -> Decimal:
    """The continuing-education target of `year` (the association's, or the default 90 学时)."""
    hours = HoursTarget.objects.filter(year=year).values_list("hours", flat=True).first()
    return hours if hours is not None else Decimal(DEFAULT_TARGET_HOURS)


def hours_of(person, year: int) -> Decimal:
    total = HoursEntry.objects.filter(person=person).in_year(year).aggregate(t=Sum("hours"))["t"]
    return total or Decimal("0")


def entries_of(person, year: int):
    return HoursEntry.objects.filter(person=person).in_year(year).order_by("date", "id")


def with_hours(users, year: int):
    """`users` annotated with `year_hours`, their 学时 of `year` (0 when none), in one query."""
    return users.annotate(year_hours=Coalesce(
        Sum("learning_hours__hours", filter=Q(learning_hours__date__year=year)),
        Value(Decimal("0")), output_field=DecimalField(max_digits=8, decimal_places=1)))
