"""Chinese working days: Monday to Friday, except the official holidays, plus the weekend days worked in exchange
(调休), as the association keeps them in `CalendarDay` from the State Council's yearly notice. What a deadline in
working days needs (博物馆条例 Art. 31: an exhibition at another venue is filed 10 working days before opening)."""

from __future__ import annotations

import datetime

from .models import CalendarDay


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """{date: is_workday} of the days between start and end (inclusive) that differ from the plain week (one
    query)."""
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def _plain(day: datetime.date) -> bool:
    return day.weekday() < 5


def is_workday(day: datetime.date) -> bool:
    return _exceptions(day, day).get(day, _plain(day))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end` (0 when end <= start): from today, how many
    working days are left before a date."""
    if end <= start:
        return 0
    exceptions = _exceptions(start + datetime.timedelta(days=1), end)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += exceptions.get(day, _plain(day))
    return count


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the latest day to file for an opening is found backwards by
    `latest_day_before`)."""
    if days <= 0:
        return start
    # A year of calendar covers any deadline the platform counts (tens of working days).
    exceptions = _exceptions(start, start + datetime.timedelta(days=days * 2 + 40))
    day, left = start, days
    while left:
        day += datetime.timedelta(days=1)
        left -= exceptions.get(day, _plain(day))
    return day


def latest_day_before(end: datetime.date, days: int) -> datetime.date:
    """The last date from which `end` is still at least `days` working days away (the last day to file)."""
    exceptions = _exceptions(end - datetime.timedelta(days=days * 2 + 40), end)
    day, left = end, days
    while left:
        left -= exceptions.get(day, _plain(day))
        day -= datetime.timedelta(days=1)
    return day
