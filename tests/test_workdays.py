"""Chinese working days (bangfu/core/workdays.py): weekends, official holidays and make-up working days."""

import datetime
import time

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


def _walked(start, end):
    """The day-by-day count the arithmetic must agree with."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += workdays.is_workday(day)
    return count


@pytest.mark.parametrize(("start", "end"), [
    (D(2026, 1, 1), D(2026, 12, 31)), (D(2026, 2, 13), D(2026, 3, 2)), (D(2026, 9, 19), D(2026, 10, 11)),
    (D(2025, 12, 27), D(2026, 1, 5)), (D(2026, 3, 7), D(2026, 3, 8)), (D(2026, 3, 6), D(2026, 3, 16)),
])
def test_working_days_between_counts_as_walking_day_by_day_would(start, end):
    assert workdays.working_days_between(start, end) == _walked(start, end)


def test_working_days_between_counts_to_the_year_9999_at_once(django_assert_max_num_queries):
    began = time.monotonic()
    with django_assert_max_num_queries(1):
        days = workdays.working_days_between(D(2026, 1, 1), D(9999, 12, 31))
    assert time.monotonic() - began < 0.5
    plain = workdays.working_days_between(D(2027, 1, 1), D(9999, 12, 31))
    assert days - plain == _walked(D(2026, 1, 1), D(2027, 1, 1))


def test_the_last_day_to_file_is_a_working_day_not_the_weekend_before():
    # Ten working days back from Friday 13 March 2026 end on Monday 2 March; Sunday 1 March is no day to file,
    # Saturday 28 February is (a make-up working day of the spring festival).
    last = workdays.latest_day_before(D(2026, 3, 13), 10)
    assert last == D(2026, 2, 28) and workdays.is_workday(last)
    assert workdays.working_days_between(last, D(2026, 3, 13)) == 10


def test_the_last_day_to_file_steps_back_over_the_mid_autumn_holiday_before_national_day():
    # Thursday 15 October 2026: back over 国庆节 (1–7 Oct, Saturday 10 Oct worked) to Monday 28 September;
    # 25–27 September are 中秋节 and Saturday 26th a weekend, so the last day is Thursday 24 September.
    last = workdays.latest_day_before(D(2026, 10, 15), 10)
    assert last == D(2026, 9, 24)
    assert workdays.working_days_between(last, D(2026, 10, 15)) == 10
    assert workdays.working_days_between(D(2026, 9, 23), D(2026, 10, 15)) == 11


def test_adding_working_days_over_the_spring_festival_lands_on_a_working_day():
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)  # Saturday worked
    assert workdays.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)  # after 15–23 February off
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_the_calendar_edges_are_no_overflow():
    assert workdays.working_days_between(D(1, 1, 1), D(1, 1, 8)) == 5
    assert workdays.add_working_days(D(9999, 12, 1), 3) == D(9999, 12, 6)
    assert workdays.latest_day_before(D(1, 1, 31), 3) == D(1, 1, 26)
