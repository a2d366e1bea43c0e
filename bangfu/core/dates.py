"""Dates as the platform writes and checks them: Chinese dates, whole years later, and the term of a pairing or an
agreement."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format

# A pairing or an agreement runs at most this long (the programme pairs museums for a few years at a time)…
MAX_TERM_YEARS = 10
# …and may start this long ago at most: recording one that began earlier is a typing mistake (the year).
MAX_TERM_START_AGE_YEARS = 1


def cn_date(day: datetime.date) -> str:
    """2026年11月24日, whatever language is active."""
    return date_format(day, "Y年n月j日")


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (or earlier, when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_errors(*, start: datetime.date | None, end: datetime.date | None, check_start: bool = True,
                start_field: str = "start_date", end_field: str = "end_date",
                today: datetime.date | None = None) -> dict[str, str]:
    """What is wrong with a term, by field (empty when nothing is): the end before the start, a term longer than
    MAX_TERM_YEARS, and (when `check_start`, i.e. the start is being set) a start more than MAX_TERM_START_AGE_YEARS
    ago."""
    errors = {}
    if start is None or end is None:
        return errors
    today = today or timezone.localdate()
    earliest = years_later(today, -MAX_TERM_START_AGE_YEARS)
    if check_start and start < earliest:
        errors[start_field] = f"开始日期不能早于 {cn_date(earliest)}（一年以前），请检查年份。"
    if end < start:
        errors[end_field] = "结束日期不能早于开始日期。"
    elif end > years_later(start, MAX_TERM_YEARS):
        errors[end_field] = (f"期限最长 {MAX_TERM_YEARS} 年：结束日期不能晚于 "
                             f"{cn_date(years_later(start, MAX_TERM_YEARS))}。")
    return errors
