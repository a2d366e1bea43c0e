"""Lecture tour pages: the expert's own schedule (and its .ics) shows only their stops; the tour page draws the route
from the stops (json_script for the map script, no inline script); recording through the page; names of the staff
present are not shown to outsiders; bad input answered beside the field; the list's queries do not grow."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.experts.services import expert_create
from bangfu.ledger.models import LedgerEntry
from bangfu.tours.services import stop_add, stop_record, tour_create

from .factories import make_museum, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def setting(world):
    mine = expert_create(by=world.admin, name="孙文博", organisation="山西博物院", user=world.expert)
    other_user = make_user("expert", username="expert2")
    other = expert_create(by=world.admin, name="韩志远", organisation="大同市博物馆", user=other_user)
    tour = tour_create(by=world.admin, title="县域巡讲", lead_museum=world.helper_museum, start=days(-30),
                       end=days(60), experts=[mine, other], leader=mine)
    taught = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(10), topic="我的讲题",
                      teachers=[mine])
    not_mine = stop_add(tour=tour, by=world.admin, museum=world.other_museum, date=days(12), topic="别人的讲题",
                        teachers=[other])
    return {"tour": tour, "taught": taught, "not_mine": not_mine, "other_user": other_user}


def test_an_expert_sees_only_their_own_stops(world, setting, login):
    page = login(world.expert).get(reverse("tours:mine")).content.decode()
    assert "我的讲题" in page and "别人的讲题" not in page
    ics = login(world.expert).get(reverse("tours:mine_ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert text.count("BEGIN:VEVENT") == 1 and f"tour-stop-{setting['taught'].pk}@" in text
    assert f"DTSTART;VALUE=DATE:{days(10):%Y%m%d}" in text


def test_someone_who_is_no_expert_has_no_schedule(world, setting, login):
    page = login(world.helped_staff).get(reverse("tours:mine")).content.decode()
    assert "没有关联专家库" in page and "我的讲题" not in page
    assert "BEGIN:VEVENT" not in login(world.helped_staff).get(reverse("tours:mine_ics")).content.decode()


def test_the_tour_page_draws_the_route_in_date_order_without_inline_script(world, setting, login):
    page = login(world.helped_staff).get(reverse("tours:tour", args=[setting["tour"].pk])).content.decode()
    data = json.loads(re.search(r'<script id="tour-map-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    assert [p["name"] for p in data] == [world.helped_museum.name, world.other_museum.name]
    assert all(len(p["value"]) == 2 for p in data)
    assert "tours/map.js" in page
    assert not re.search(r"<script(?![^>]*(src=|application/json))", page)


def test_the_stop_museums_admin_records_the_stop_on_its_page(world, setting, login):
    stop = stop_add(tour=setting["tour"], by=world.admin, museum=world.helped_museum, date=days(-1),
                    topic="已开讲", teachers=list(setting["tour"].experts.all()))
    client = login(world.helped_admin)
    assert "登记出勤" in client.get(reverse("tours:stop", args=[stop.pk])).content.decode()
    response = client.post(reverse("tours:stop_record", args=[stop.pk]),
                           {"attendance": "25", "attendees": [world.helped_staff.pk], "notes": "好", "done": "on"})
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(source_type="tours.stop", source_id=stop.pk, people_trained=25).count() == 1


@pytest.mark.parametrize("value", ["99999999999999999999", "１２", "<b>1</b>", "0"])
def test_bad_attendance_is_answered_beside_the_field(world, setting, login, value):
    stop = stop_add(tour=setting["tour"], by=world.admin, museum=world.helped_museum, date=days(-1),
                    topic="已开讲", teachers=list(setting["tour"].experts.all()))
    response = login(world.admin).post(reverse("tours:stop_record", args=[stop.pk]),
                                       {"attendance": value, "done": "on"})
    if value == "１２":  # full-width digits are read as numbers
        assert response.status_code == 302
    else:
        assert response.status_code == 400 and "is-invalid" in response.content.decode()


def test_huge_ids_in_the_team_are_refused_not_a_server_error(world, setting, login):
    response = login(world.admin).post(reverse("tours:create"), {
        "title": "巡讲", "area": "people", "lead_museum": world.helper_museum.pk, "experts": ["9" * 30],
        "start": days(0).isoformat(), "end": days(5).isoformat()})
    assert response.status_code == 400


def test_the_names_of_staff_present_are_not_shown_to_an_unrelated_museum(world, setting, login):
    stop = stop_add(tour=setting["tour"], by=world.admin, museum=world.helped_museum, date=days(-1),
                    topic="已开讲", teachers=list(setting["tour"].experts.all()))
    present = make_user("museum_staff", museum=world.helped_museum, full_name="到场馆员王小明")
    stop_record(stop=stop, by=world.admin, attendance=9, attendees=[present])
    name = "到场馆员王小明"
    assert name in login(world.helped_admin).get(reverse("tours:stop", args=[stop.pk])).content.decode()
    assert name not in login(world.outsider).get(reverse("tours:stop", args=[stop.pk])).content.decode()


def test_the_association_forms_a_tour_and_plans_a_stop_through_the_pages(world, setting, login):
    client = login(world.admin)
    experts = list(setting["tour"].experts.values_list("pk", flat=True))
    response = client.post(reverse("tours:create"), {
        "title": "新巡讲", "area": "people", "lead_museum": world.helper_museum.pk, "experts": experts,
        "leader": experts[0], "start": days(0).isoformat(), "end": days(30).isoformat()})
    assert response.status_code == 302
    tour_url = response["Location"]
    pk = int(tour_url.rstrip("/").split("/")[-1])
    response = client.post(reverse("tours:stop_create", args=[pk]), {
        "museum": world.helped_museum.pk, "date": days(3).isoformat(), "topic": "讲题", "teachers": experts[:1],
        "audience": "staff", "expected": "30", "hours": "3"})
    assert response.status_code == 302
    assert "讲题" in client.get(tour_url).content.decode()


def test_the_list_queries_do_not_grow_with_tours_and_stops(world, setting, login):
    client = login(world.helped_staff)
    url = reverse("tours:list")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    experts = list(setting["tour"].experts.all())
    for n in range(4):
        tour = tour_create(by=world.admin, title=f"巡讲{n}", lead_museum=world.helper_museum, start=days(-5),
                           end=days(40), experts=experts)
        stop_add(tour=tour, by=world.admin, museum=make_museum(f"县馆{n}", county="140722"), date=days(n),
                 topic="讲题", teachers=experts)
    assert count() == before


def test_the_tour_page_queries_do_not_grow_with_stops(world, setting, login):
    client = login(world.helped_staff)
    url = reverse("tours:tour", args=[setting["tour"].pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    experts = list(setting["tour"].experts.all())
    for n in range(4):
        stop_add(tour=setting["tour"], by=world.admin, museum=make_museum(f"县馆{n}", county="140722"),
                 date=days(n), topic="讲题", teachers=experts)
    assert count() == before


def test_the_stop_museum_sees_the_tour_coming_to_it_on_the_list(world, setting, login):
    page = login(world.helped_staff).get(reverse("tours:list")).content.decode()
    assert 'data-testid="my-museum-stops"' in page and "我的讲题" in page
    assert 'data-testid="my-museum-stops"' not in login(world.helper_staff).get(reverse("tours:list")).content.decode()


def test_the_people_hub_shows_the_tours_and_the_courses(world, login):
    page = login(world.helped_staff).get(reverse("learning:home")).content.decode()
    assert reverse("tours:list") in page and reverse("courses:library") in page


def test_the_stop_museums_admin_confirms_on_the_stop_page(world, setting, login):
    client = login(world.helped_admin)
    url = reverse("tours:stop", args=[setting["taught"].pk])
    assert "确认接待" in client.get(url).content.decode()
    assert client.post(reverse("tours:stop_answer", args=[setting["taught"].pk]),
                       {"action": "confirm"}).status_code == 302
    assert "已确认" in client.get(url).content.decode()
    response = client.post(reverse("tours:stop_answer", args=[setting["taught"].pk]), {"action": "move", "note": ""})
    assert response.status_code == 400 and "请说明" in response.content.decode()


def test_a_tour_across_the_new_year_shows_the_year_of_its_end_on_the_list(world, login):
    start = datetime.date(TODAY.year, 10, 28)
    expert = expert_create(by=world.admin, name="孙文博", organisation="山西博物院")
    tour_create(by=world.admin, title="跨年巡讲", lead_museum=world.helper_museum, start=start,
                end=datetime.date(TODAY.year + 1, 1, 21), experts=[expert])
    page = login(world.helped_staff).get(reverse("tours:list")).content.decode()
    assert f"{TODAY.year}年10月28日至{TODAY.year + 1}年1月21日" in page
