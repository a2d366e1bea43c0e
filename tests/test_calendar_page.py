"""The working-day calendar's page: the association lists a year's holidays and make-up days, adds, changes and
removes them (audited), and checks the working days between two dates."""

import datetime

import pytest
from django.urls import reverse

from bangfu.core.models import AuditEntry, CalendarDay

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_years_holidays_and_make_up_days(world, login):
    html = login(world.admin).get(reverse("calendar"), {"year": "2026"}).content.decode()
    assert "春节" in html and "调休上班" in html and "放假" in html


def test_a_year_without_rows_says_the_plain_week_is_used(world, login):
    html = login(world.admin).get(reverse("calendar"), {"year": "2031"}).content.decode()
    assert "2031年：该年的节假日安排尚未录入" in html


def test_the_association_adds_changes_and_removes_a_day_audited(world, login):
    client = login(world.admin)
    response = client.post(reverse("calendar") + "?year=2031",
                           {"date": "2031-10-01", "name": "国庆节", "is_workday": ""})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=datetime.date(2031, 10, 1))
    client.post(reverse("calendar_edit", args=[day.pk]), {"date": "2031-10-01", "name": "国庆节（补）"})
    day.refresh_from_db()
    assert day.name == "国庆节（补）"
    client.post(reverse("calendar_delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert set(AuditEntry.objects.filter(object_type="core.calendarday").values_list("action", flat=True)) == {
        "新增节假日安排", "修改节假日安排", "删除节假日安排"}


def test_a_weekend_day_off_may_be_listed_as_the_notice_lists_it(world, login):
    response = login(world.admin).post(reverse("calendar"), {"date": "2031-10-04", "name": "国庆节"})
    assert response.status_code == 302 and CalendarDay.objects.filter(date=datetime.date(2031, 10, 4)).exists()


@pytest.mark.parametrize(("values", "field", "word"), [
    ({"date": "2031-10-06", "name": "调休", "is_workday": "on"}, "is_workday", "本来就上班"),
    ({"date": "2026-02-18", "name": "春节"}, "date", "已经在列表中"),
    ({"date": "2031-02-30", "name": "x"}, "date", "没有这一天"),
    ({"date": "2031-10-01", "name": ""}, "name", ""),
])
def test_wrong_rows_are_refused_beside_their_fields(world, login, values, field, word):
    response = login(world.admin).post(reverse("calendar"), values)
    assert response.status_code == 400
    assert word in " ".join(response.context["form"].errors[field])


def test_the_checker_counts_working_days_and_the_last_filing_day(world, login):
    response = login(world.admin).get(reverse("calendar"), {"start": "2026-09-30", "end": "2026-10-12"})
    check = response.context["check"]
    assert check["days"] == 4  # 8 and 9 Oct (Thu, Fri), 10 Oct (make-up Saturday), 12 Oct (Mon)
    assert "个工作日" in response.content.decode()


def test_the_checker_refuses_spans_of_more_than_ten_years_and_bad_dates(world, login):
    client = login(world.admin)
    response = client.get(reverse("calendar"), {"start": "0001-01-01", "end": "9999-12-31"})
    assert "10 年" in " ".join(response.context["check_form"].errors["end"])
    response = client.get(reverse("calendar"), {"start": "abc", "end": "２０２６-01-01", "year": "99999999999"})
    assert response.status_code == 200 and response.context["check_form"].errors


@pytest.mark.parametrize("persona", ["province_supervisor", "helper_admin", "expert"])
def test_only_the_association_edits_the_calendar(world, login, persona):
    assert login(getattr(world, persona)).get(reverse("calendar")).status_code == 403


def test_a_year_without_rows_says_its_working_days_are_plain_weeks_for_now(world, login):
    html = login(world.admin).get(reverse("calendar"), {"year": "2031"}).content.decode()
    assert "该年的节假日安排尚未录入，工作日暂按周一至周五计算" in html
    html = login(world.admin).get(reverse("calendar"), {"year": "2026"}).content.decode()
    assert "该年的节假日安排尚未录入" not in html


def test_the_checker_warns_when_the_span_touches_a_year_without_rows(world, login):
    client = login(world.admin)
    CalendarDay.objects.filter(date__year__gte=2027).delete()
    response = client.get(reverse("calendar"), {"start": "2026-12-01", "end": "2028-01-10"})
    assert response.context["check"]["missing_years"] == [2027, 2028]
    assert "2027年、2028年的节假日安排尚未录入" in response.content.decode()
    response = client.get(reverse("calendar"), {"start": "2026-03-01", "end": "2026-10-12"})
    assert response.context["check"]["missing_years"] == []
    assert 'data-testid="check-missing-years"' not in response.content.decode()
