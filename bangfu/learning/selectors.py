"""Reads of the learning record: a person's hours by year, the target of a year, who falls short."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from bangfu.museums.models import Museum
from bangfu.parties import acts_for_association

from .models import DEFAULT_TARGET_HOURS, Certificate, HoursEntry, HoursTarget

HOURS = DecimalField(max_digits=8, decimal_places=1)


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
    """`users` annotated with `year_hours`, their 学时 of `year` (0 when none), in one query. A correlated sum over
    the year's entries of each person (the (person, date) index), not a join of every year's entries grouped by
    user: with ten years of 学时 that join read every row for each page (bench/people.py)."""
    year_sum = (HoursEntry.objects.filter(person=OuterRef("pk")).in_year(year).order_by().values("person")
                .annotate(total=Sum("hours")).values("total"))
    return users.annotate(year_hours=Coalesce(
        Subquery(year_sum, output_field=HOURS), Value(Decimal("0")), output_field=HOURS))


def museum_people(user):
    """The museum staff (admins and staff of a museum, active) whose hours `user` oversees: every museum's for the
    association, the museums of a supervisor's jurisdiction, a museum admin's own museum; nobody for others."""
    people = get_user_model().objects.filter(is_active=True, role__in=("museum_admin", "museum_staff"),
                                             museum__isnull=False)
    if acts_for_association(user):
        return people
    if getattr(user, "role", None) == "supervisor" and user.jurisdiction_id:
        museums = Museum.objects.in_division(user.jurisdiction)
        return people.filter(museum__in=museums)
    if getattr(user, "role", None) == "museum_admin" and user.museum_id:
        return people.filter(museum_id=user.museum_id)
    return people.none()


def hours_by_museum(people, year: int, *, limit: int = 15) -> list[dict]:
    """The 学时 of `year` summed by the museum of the people (their current museum), most first, in one query."""
    rows = (HoursEntry.objects.in_year(year).filter(person__in=people).values("person__museum_id",
                                                                               "person__museum__name")
            .annotate(total=Sum("hours"), people=Count("person", distinct=True)).order_by("-total",
                                                                                         "person__museum__name"))
    return [{"museum_id": r["person__museum_id"], "label": r["person__museum__name"], "value": float(r["total"]),
             "people": r["people"]} for r in rows[:limit]]


def hours_by_year(person, *, last: int = 6) -> list[dict]:
    """A person's 学时 per year for the last `last` years that have any, oldest first (one query)."""
    rows = (HoursEntry.objects.filter(person=person).annotate(year=ExtractYear("date")).values("year")
            .annotate(total=Sum("hours")).order_by("-year")[:last])
    return [{"label": str(r["year"]), "value": float(r["total"])} for r in reversed(rows)]


def short_count(people, year: int, target: Decimal) -> int:
    """How many of `people` have fewer than `target` 学时 in `year` (one query)."""
    return with_hours(people, year).filter(year_hours__lt=target).count()


CODE_LENGTH = 12
CODE_ALPHABET = frozenset("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")  # as `services.CODE_ALPHABET`


def normalise_code(text: str) -> str | None:
    """A verification code as typed (any case, spaces and dashes between the groups, full-width letters) in its
    stored form, or None when it cannot be one (wrong length, a letter the codes never use, control characters…):
    such input is answered 未找到 without asking the database."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = unicodedata.normalize("NFKC", text).upper()
    code = "".join(ch for ch in code if ch not in " -_\u3000\t")
    if len(code) != CODE_LENGTH or not set(code) <= CODE_ALPHABET:
        return None
    return code


def certificate_by_code(text: str):
    """The certificate a typed code names, or None."""
    code = normalise_code(text)
    return None if code is None else Certificate.objects.filter(code=code).first()
