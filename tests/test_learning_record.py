"""A person's learning record: hours written once per source, the yearly target, who falls short, and who may see
a person's record and the hours overview (the person, their museum's admin, the association, the supervisors of
the museum's jurisdiction; others 404 or 403). Data through the learning services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.learning import selectors
from bangfu.learning.models import HoursEntry
from bangfu.learning.services import hours_record, hours_withdraw, target_set

from .factories import make_museum, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def record(person, hours, *, source_id=1, source_type="training.class", title="藏品管理培训班", date=TODAY):
    return hours_record(person=person, source_type=source_type, source_id=source_id, source_label="培训班",
                        title=title, hours=hours, date=date)


def test_hours_are_written_once_per_source_and_a_second_call_corrects_them(world):
    record(world.helped_staff, 24)
    record(world.helped_staff, 24)
    assert HoursEntry.objects.count() == 1
    record(world.helped_staff, 20, title="藏品管理培训班（更正）")
    entry = HoursEntry.objects.get()
    assert (entry.hours, entry.title) == (Decimal("20.0"), "藏品管理培训班（更正）")
    record(world.helped_staff, 6, source_type="courses.course")
    assert selectors.hours_of(world.helped_staff, YEAR) == Decimal("26")


def test_withdrawn_hours_leave_the_record(world):
    record(world.helped_staff, 24)
    record(world.helper_staff, 24)
    assert hours_withdraw(source_type="training.class", source_id=1, person=world.helped_staff) == 1
    assert selectors.hours_of(world.helped_staff, YEAR) == 0
    assert hours_withdraw(source_type="training.class", source_id=1) == 1


@pytest.mark.parametrize("hours", [0, -1, "abc", 2001])
def test_impossible_hours_are_refused_in_chinese(world, hours):
    with pytest.raises(ValidationError) as exc:
        record(world.helped_staff, hours)
    assert "学时" in str(exc.value)


def test_hours_count_in_the_year_of_their_date(world):
    record(world.helped_staff, 30, date=datetime.date(YEAR - 1, 12, 31))
    record(world.helped_staff, 12, source_id=2, date=datetime.date(YEAR, 1, 1))
    assert selectors.hours_of(world.helped_staff, YEAR - 1) == 30
    assert selectors.hours_of(world.helped_staff, YEAR) == 12
    assert selectors.hours_by_year(world.helped_staff) == [{"label": str(YEAR - 1), "value": 30.0},
                                                           {"label": str(YEAR), "value": 12.0}]


def test_the_target_is_90_hours_unless_the_association_sets_another(world):
    assert selectors.target_for(YEAR) == 90
    target_set(by=world.admin, year=YEAR, hours=72)
    assert selectors.target_for(YEAR) == 72
    assert selectors.target_for(YEAR + 1) == 90
    with pytest.raises(PermissionDenied):
        target_set(by=world.helped_admin, year=YEAR, hours=10)


def test_the_association_sets_the_target_on_its_page_with_chinese_errors(world, login):
    client = login(world.admin)
    url = reverse("learning:targets")
    page = client.get(url)
    assert page.status_code == 200 and "默认 90 学时" in page.content.decode()
    bad = client.post(url, {"year": "1999", "hours": "0"})
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert set(errors) == {"year", "hours"} and errors["year"] == ["请输入不小于 2,000 的整数。"]
    assert 'invalid-feedback' in bad.content.decode()
    garbage = client.post(url, {"year": "2026<script>", "hours": "1e308"})
    assert garbage.status_code == 400 and "<script>" not in garbage.content.decode()
    assert client.post(url, {"year": "２０２６", "hours": "abc"}).context["form"].errors["hours"] == ["请输入数字。"]
    assert client.post(url, {"year": str(YEAR), "hours": "60"}).status_code == 302
    assert selectors.target_for(YEAR) == 60
    history = client.get(url).content.decode()
    assert f"{YEAR} 年" in history and "60" in history
    assert login(world.helped_admin).get(url).status_code == 403


def test_who_falls_short_of_the_target(world):
    target_set(by=world.admin, year=YEAR, hours=40)
    record(world.helped_staff, 24)
    record(world.helped_staff, 20, source_id=2)
    record(world.helper_staff, 12)
    people = selectors.museum_people(world.admin)
    short = set(selectors.with_hours(people, YEAR).filter(year_hours__lt=40).values_list("username", flat=True))
    assert "helped_staff" not in short and {"helper_staff", "helped_admin", "outsider"} <= short
    assert selectors.short_count(people, YEAR, Decimal(40)) == len(short)


def test_the_overview_highlights_and_filters_who_falls_short(world, login):
    record(world.helped_staff, 95)
    record(world.helper_staff, 12)
    client = login(world.admin)
    page = client.get(reverse("learning:hours")).content.decode()
    assert "helper_staff" not in page  # names, not user names
    assert page.count("is-short") >= 1 and "未达标" in page
    short = client.get(reverse("learning:hours") + "?short=1").context["page"].object_list
    assert world.helped_staff not in short and world.helper_staff in short
    xlsx = client.get(reverse("learning:hours") + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_museum_admin_oversees_only_their_own_staff(world, login):
    record(world.helped_staff, 10)
    record(world.helper_staff, 10)
    listed = login(world.helped_admin).get(reverse("learning:hours")).context["page"].object_list
    assert {u.museum_id for u in listed} == {world.helped_museum.pk}
    client = login(world.helped_admin)
    assert client.get(reverse("learning:person", args=[world.helped_staff.pk])).status_code == 200
    assert client.get(reverse("learning:person", args=[world.helper_staff.pk])).status_code == 404
    assert login(world.helped_staff).get(reverse("learning:hours")).status_code == 403


def test_a_supervisor_sees_the_people_of_their_jurisdiction_only(world, login):
    url = reverse("learning:person", args=[world.helped_staff.pk])  # 安泽县 lies in 临汾, not in 大同
    assert login(world.province_supervisor).get(url).status_code == 200
    assert login(world.city_supervisor).get(url).status_code == 404
    datong = make_museum("大同市博物馆", city="140200", county="140213")
    datong_staff = make_user("museum_staff", museum=datong)
    assert login(world.city_supervisor).get(
        reverse("learning:person", args=[datong_staff.pk])).status_code == 200
    listed = login(world.city_supervisor).get(reverse("learning:hours")).context["page"].object_list
    assert {u.museum_id for u in listed} == {datong.pk, world.other_museum.pk}  # 天镇县 lies in 大同


def test_outsiders_and_experts_do_not_see_a_persons_record(world, login):
    record(world.helped_staff, 24)
    url = reverse("learning:person", args=[world.helped_staff.pk])
    for user in (world.outsider, world.outsider_admin, world.expert, world.helper_admin):
        assert login(user).get(url).status_code == 404
    assert login(world.helped_staff).get(url).status_code == 200
    assert login(world.admin).get(url).status_code == 200
    assert login(world.admin).get(reverse("learning:person", args=[99999999999])).status_code == 404


def test_my_record_shows_the_years_entries_against_the_target(world, login):
    record(world.helped_staff, 24, title="陈列设计培训班")
    record(world.helped_staff, 8, source_id=2, title="去年的课", date=datetime.date(YEAR - 1, 6, 1))
    client = login(world.helped_staff)
    page = client.get(reverse("learning:me")).content.decode()
    assert "陈列设计培训班" in page and "去年的课" not in page and "还差 66 学时" in page
    last_year = client.get(reverse("learning:me") + f"?year={YEAR - 1}").content.decode()
    assert "去年的课" in last_year
    assert client.get(reverse("learning:me") + "?year=99999999999999999999").status_code == 200


def test_the_hub_shows_my_hours_and_the_overview_to_the_association(world, login):
    record(world.helped_staff, 30)
    mine = login(world.helped_staff).get(reverse("learning:home"))
    assert mine.context["mine"]["hours"] == 30 and "我的学时档案" in mine.content.decode()
    overview = login(world.admin).get(reverse("learning:home"))
    assert overview.context["chart"][0]["label"] == world.helped_museum.name
    assert overview.context["overview"]["short"] >= 1


def test_the_overview_runs_a_fixed_number_of_queries_whatever_the_rows(world, login):
    client = login(world.admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("learning:hours")).status_code == 200
        return len(ctx.captured_queries)

    record(world.helped_staff, 10)
    few = count()
    for n in range(8):
        museum = make_museum(f"县博物馆{n}", county="141026")
        person = make_user("museum_staff", museum=museum)
        record(person, n + 1, source_id=100 + n)
    assert count() == few


def test_the_overview_exports_to_excel_at_once_or_through_the_worker_when_large(world, login, settings):
    import io

    from openpyxl import load_workbook

    from bangfu.core.models import ExportJob

    record(world.helped_staff, 95)
    client = login(world.helped_admin)
    response = client.get(reverse("learning:hours") + "?format=xlsx&short=1")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert world.helped_admin.display_name in names and world.helped_staff.display_name not in names
    settings.EXPORT_INLINE_MAX_ROWS = 1
    started = login(world.admin).get(reverse("learning:hours") + "?format=xlsx")
    job = ExportJob.objects.get(kind="learning.hours")
    assert started.status_code == 302 and started["Location"] == reverse("export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.rows == 6  # the world's museum admins and staff


def test_the_hub_and_a_record_run_a_fixed_number_of_queries_whatever_the_rows(world, login):
    from bangfu.learning.services import certificate_issue

    def count(user, url):
        client = login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    record(world.helped_staff, 10)
    hub, mine = count(world.admin, reverse("learning:home")), count(world.helped_staff, reverse("learning:me"))
    for n in range(6):
        museum = make_museum(f"县博物馆{n}", county="141026")
        record(make_user("museum_staff", museum=museum), 5, source_id=200 + n)
        record(world.helped_staff, 2, source_id=300 + n, date=datetime.date(YEAR - n, 3, 1))
        certificate_issue(by=world.admin, person=world.helped_staff, kind="course", source_type="courses.course",
                          source_id=n, title=f"课程{n}", issued_on=TODAY)
    assert count(world.admin, reverse("learning:home")) == hub
    assert count(world.helped_staff, reverse("learning:me")) == mine


def test_a_museum_admin_sees_on_the_hub_how_many_of_their_staff_fall_short(world, login):
    record(world.helped_staff, 95)
    response = login(world.helped_admin).get(reverse("learning:home"))
    assert response.context["overview"] == {"short": 1, "people": 2} and "chart" not in response.context
    assert "本馆" in response.content.decode()


def test_the_overview_lists_the_museums_of_its_scope_to_filter_by(world, login):
    """The museum filter's options are written in Python (views.hours): every museum with staff in scope, names
    escaped, the chosen one selected."""
    museum = make_museum("<b>阳高县</b>博物馆", county="141026")
    record(make_user("museum_staff", museum=museum), 3, source_id=300)
    page = login(world.admin).get(reverse("learning:hours"), {"museum": museum.pk}).content.decode()
    assert f'<option value="{museum.pk}" selected>&lt;b&gt;阳高县&lt;/b&gt;博物馆</option>' in page
    assert f'<option value="{world.helped_staff.museum_id}">' in page
