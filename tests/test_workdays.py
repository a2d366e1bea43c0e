"""Chinese working days (bangfu/core/workdays.py): weekends, official holidays and make-up working days."""

import datetime

import pytest

from bangfu.core import workdays
from bangfu.core.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def national_day_2030():
    """A made-up year (no seeded rows): 1–7 October off, Sunday 29 September and Saturday 12 October worked."""
    CalendarDay.objects.filter(date__year=2030).delete()
    for day in range(1, 8):
        if D(2030, 10, day).weekday() < 5:
            CalendarDay.objects.create(date=D(2030, 10, day), name="国庆节")
    CalendarDay.objects.create(date=D(2030, 9, 29), name="国庆节调休", is_workday=True)
    CalendarDay.objects.create(date=D(2030, 10, 12), name="国庆节调休", is_workday=True)


def test_a_plain_week_has_five_working_days():
    CalendarDay.objects.filter(date__year=2031).delete()
    assert workdays.working_days_between(D(2031, 3, 2), D(2031, 3, 9)) == 5  # Sunday to Sunday
    assert workdays.is_workday(D(2031, 3, 3)) and not workdays.is_workday(D(2031, 3, 8))


def test_holidays_are_not_working_days_and_make_up_days_are(national_day_2030):
    assert not workdays.is_workday(D(2030, 10, 1))
    assert workdays.is_workday(D(2030, 9, 29))  # a Sunday worked
    assert workdays.is_workday(D(2030, 10, 12))  # a Saturday worked
    # 28 Sep (Sat) → 13 Oct (Sun): 29 Sep, 30 Sep, 8–11 Oct, 12 Oct = 7
    assert workdays.working_days_between(D(2030, 9, 28), D(2030, 10, 13)) == 7


def test_working_days_between_counts_nothing_backwards_or_on_the_same_day():
    assert workdays.working_days_between(D(2030, 5, 6), D(2030, 5, 6)) == 0
    assert workdays.working_days_between(D(2030, 5, 6), D(2030, 5, 1)) == 0


def test_add_working_days_skips_holidays(national_day_2030):
    assert workdays.add_working_days(D(2030, 9, 30), 1) == D(2030, 10, 8)
    assert workdays.add_working_days(D(2030, 9, 30), 0) == D(2030, 9, 30)


def test_latest_day_before_leaves_the_required_working_days(national_day_2030):
    opening = D(2030, 10, 14)  # a Monday after the holiday
    last = workdays.latest_day_before(opening, 10)
    assert workdays.working_days_between(last, opening) >= 10
    assert workdays.working_days_between(last + datetime.timedelta(days=1), opening) < 10
    # without the holiday the last day would be a week later
    assert last < workdays.latest_day_before(D(2030, 11, 25), 10) - datetime.timedelta(days=30)


def test_the_seeded_calendar_knows_the_2026_spring_festival():
    assert not workdays.is_workday(D(2026, 2, 18))
