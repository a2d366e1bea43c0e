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


def _shift(day: datetime.date, days: int) -> datetime.date:
    """`day` moved by `days`, held at the first and last dates a calendar knows (no OverflowError)."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def _plain_count(first: datetime.date, days: int) -> int:
    """Monday-to-Friday days among the `days` days from `first` on: five a whole week, then the remainder."""
    weeks, rest = divmod(days, 7)
    start = first.weekday()
    return weeks * 5 + sum((start + i) % 7 < 5 for i in range(rest))


def is_workday(day: datetime.date) -> bool:
    return _exceptions(day, day).get(day, _plain(day))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end` (0 when end <= start): from today, how many
    working days are left before a date. Counted, not walked: the plain weeks, then the calendar's holidays and
    make-up days inside the span (one query)."""
    if end <= start:
        return 0
    first = start + datetime.timedelta(days=1)
    count = _plain_count(first, (end - start).days)
    for day, worked in _exceptions(first, end).items():
        if worked != _plain(day):
            count += 1 if worked else -1
    return count


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (always a working day; the latest day to file for an opening
    is found backwards by `latest_day_before`)."""
    if days <= 0:
        return start
    # Twice the days plus the longest holiday covers any deadline the platform counts (tens of working days).
    exceptions = _exceptions(start, _shift(start, days * 2 + 40))
    day, left = start, days
    while left:
        day = day + datetime.timedelta(days=1)
        left -= exceptions.get(day, _plain(day))
    return day


def latest_day_before(end: datetime.date, days: int) -> datetime.date:
    """The last working day from which `end` is still at least `days` working days away (the last day to file):
    counted back over `days` working days ending on `end`, then back over any weekend or holiday before them."""
    exceptions = _exceptions(_shift(end, -(days * 2 + 60)), end)

    def worked(day):
        return exceptions.get(day, _plain(day))

    day, left = end, days
    while left:
        left -= worked(day)
        day -= datetime.timedelta(days=1)
    while not worked(day):
        day -= datetime.timedelta(days=1)
    return day
