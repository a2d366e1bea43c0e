"""Dates as the platform writes and checks them: Chinese dates, whole years and calendar months later, and the term
of a pairing or an agreement."""

from __future__ import annotations

import calendar
import datetime
import re

from django.utils import timezone
from django.utils.formats import date_format

from .text import ascii_width

# A pairing or an agreement runs at most this long (the programme pairs museums for a few years at a time)…
MAX_TERM_YEARS = 10
# …and may start this long ago at most: recording one that began earlier is a typing mistake (the year).
MAX_TERM_START_AGE_YEARS = 1


def cn_date(day: datetime.date) -> str:
    """2026年11月24日, whatever language is active."""
    return date_format(day, "Y年n月j日")


# A date as people write it: 2026-02-30, 2026/2/30, 2026.2.30, 2026年2月30日 (ASCII or full-width digits).
_WRITTEN_DATE = re.compile(r"(\d{1,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", re.ASCII)


def no_such_day(text: str) -> str | None:
    """The message for a text written as a date that does not exist (2026-02-30, 2026-13-01), naming it as
    「没有这一天（2026年2月30日），请检查日期。」; None for any other text (a real date, or no date at all)."""
    match = _WRITTEN_DATE.fullmatch(ascii_width(text).strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return f"没有这一天（{year}年{month}月{day}日），请检查日期。"
    return None


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (or earlier, when negative); 29 February becomes 28 February; the last
    (first) day Python knows when that is beyond the year 9999 (before the year 1)."""
    year = day.year + years
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:  # Python's calendar ends: as far as it goes
        return datetime.date.max if years > 0 else datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (earlier, when negative); a day the month does not have becomes
    its last day (31 January + 1 month = 28/29 February); the last (first) day Python knows beyond the year 9999
    (before the year 1). A term of N months from `start` ends on add_months(start, N) − 1 day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return datetime.date.max if months > 0 else datetime.date.min
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def term_errors(*, start: datetime.date | None, end: datetime.date | None, check_start: bool = True,
                start_field: str = "start_date", end_field: str = "end_date",
                today: datetime.date | None = None) -> dict[str, str]:
    """What is wrong with a term, by field (empty when nothing is): the end before the start, a term longer than
    MAX_TERM_YEARS, and (when `check_start`, i.e. the start is being set) a start more than MAX_TERM_START_AGE_YEARS
    ago. A refused start is the only message: nothing is derived from a date the user must correct first."""
    errors = {}
    if start is None or end is None:
        return errors
    today = today or timezone.localdate()
    earliest = years_later(today, -MAX_TERM_START_AGE_YEARS)
    if check_start and start < earliest:
        return {start_field: f"开始日期不能早于 {cn_date(earliest)}（一年以前），请检查年份。"}
    if end < start:
        errors[end_field] = "结束日期不能早于开始日期。"
    elif end > years_later(start, MAX_TERM_YEARS):
        errors[end_field] = (f"期限最长 {MAX_TERM_YEARS} 年：结束日期不能晚于 "
                             f"{cn_date(years_later(start, MAX_TERM_YEARS))}。")
    return errors
