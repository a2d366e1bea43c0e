"""The exhibitions pages: the public marketplace and its filters, an exhibition's page (offered objects only for
outsiders, the public calendar without requests), the request form's refusals beside the fields, the stop and
project pages for their parties only, and query counts that do not grow with rows."""

import datetime
import json

import pytest
from django.urls import reverse

from bangfu.exhibitions.models import StopStatus, TourStop
from bangfu.exhibitions.services import project_create, stop_accept, stop_request, touring_create

from .exhibitions_data import day, make_objects, make_touring
from .factories import make_museum, make_user

pytestmark = pytest.mark.django_db


def calendar_of(response):
    html = response.content.decode()
    start = html.index('id="tour-calendar-data"')
    return json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])


def test_the_marketplace_lists_published_exhibitions_for_anonymous_visitors(world, client):
    make_touring(world, title="晋国霸业")
    make_touring(world, title="山西古代壁画", publish=False)
    html = client.get(reverse("exhibitions:touring_list")).content.decode()
    assert "晋国霸业" in html and "山西古代壁画" not in html


def test_the_marketplace_filters_by_theme_area_city_and_a_free_month(world, client):
    make_touring(world, title="晋国霸业")
    touring_create(museum=world.helper_museum, by=world.helper_admin, title="黄河文明", theme="黄河",
                         description="黄河流域文明。", floor_area=2000, windows=[(day(0), day(60))], publish=True)
    listing = reverse("exhibitions:touring_list")
    assert "黄河文明" not in client.get(listing, {"area": "1000"}).content.decode()
    assert "黄河文明" in client.get(listing, {"q": "黄河"}).content.decode()
    assert "晋国霸业" not in client.get(listing, {"q": "黄河"}).content.decode()
    city = world.helper_museum.city_id
    assert "黄河文明" in client.get(listing, {"city": city}).content.decode()
    assert "黄河文明" not in client.get(listing, {"month": day(200).strftime("%Y-%m")}).content.decode()
    assert "黄河文明" in client.get(listing, {"month": day(30).strftime("%Y-%m")}).content.decode()


def test_a_month_held_from_end_to_end_is_not_free(world, client):
    exhibition = make_touring(world, window=(0, 400), min_days=10)
    month_start = day(100).replace(day=1)
    last = (month_start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    listing = reverse("exhibitions:touring_list")
    month = month_start.strftime("%Y-%m")
    assert "晋国霸业" in client.get(listing, {"month": month}).content.decode()
    stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=month_start,
                 end=last)
    assert "晋国霸业" not in client.get(listing, {"month": month}).content.decode()


def test_hostile_filters_are_ignored(world, client):
    make_touring(world)
    response = client.get(reverse("exhibitions:touring_list"),
                          {"area": "99999999999999999999", "city": "²", "month": "2026-13", "page": "１２"})
    assert response.status_code == 200 and "晋国霸业" in response.content.decode()
    response = client.get(reverse("exhibitions:touring_list"), {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.content.decode()


def test_outsiders_see_offered_objects_only_and_the_owner_sees_all(world, client, login):
    objects = make_objects(world.helper_museum, 2, offered=False)  # the first is offered, the second not
    exhibition = make_touring(world, items=objects)
    url = reverse("exhibitions:touring", args=[exhibition.pk])
    public = client.get(url).content.decode()
    assert objects[0].registration_number in public and objects[1].registration_number not in public
    assert "另有部分展品未对外公开" in public
    owner = login(world.helper_staff).get(url).content.decode()
    assert objects[1].registration_number in owner


def test_the_public_calendar_shows_accepted_stops_only(world, client, login):
    exhibition = make_touring(world)
    accepted = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin,
                            start=day(10), end=day(50))
    stop_accept(stop=accepted, by=world.helper_admin)
    stop_request(exhibition=exhibition, venue=world.other_museum, by=world.outsider, start=day(70), end=day(110))
    url = reverse("exhibitions:touring", args=[exhibition.pk])
    public = calendar_of(client.get(url))
    assert [s["venue"] for s in public["stops"]] == ["安泽县博物馆"]
    assert public["stops"][0]["url"] == "" and public["stops"][0]["held_from"] == day(5).isoformat()
    owner = calendar_of(login(world.helper_admin).get(url))
    assert [s["status"] for s in owner["stops"]] == [StopStatus.ACCEPTED, StopStatus.REQUESTED]
    venue = calendar_of(login(world.outsider).get(url))  # its own request, and the accepted stop
    assert len(venue["stops"]) == 2


def test_a_draft_is_not_found_for_outsiders_and_anonymous_visitors(world, client, login):
    draft = make_touring(world, publish=False)
    url = reverse("exhibitions:touring", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.helper_staff).get(url).status_code == 200
    assert login(world.province_supervisor).get(url).status_code == 200


def test_an_overlapping_request_comes_back_with_the_reason_beside_the_dates(world, login):
    exhibition = make_touring(world)
    stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                 end=day(50))
    response = login(world.outsider).post(reverse("exhibitions:stop_request", args=[exhibition.pk]),
                                          {"start": day(30).isoformat(), "end": day(80).isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "与安泽县博物馆的档期冲突" in html and 'id="id_start_errors"' in html
    assert TourStop.objects.count() == 1


def test_a_request_through_the_page_books_the_stop(world, login):
    exhibition = make_touring(world)
    response = login(world.outsider).post(reverse("exhibitions:stop_request", args=[exhibition.pk]),
                                          {"start": day(10).isoformat(), "end": day(50).isoformat(),
                                           "note": "已备展厅"})
    stop = TourStop.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exhibitions:stop", args=[stop.pk])
    assert stop.venue == world.other_museum


def test_the_stop_page_is_for_its_two_sides_the_association_and_supervisors(world, client, login):
    exhibition = make_touring(world)
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                        end=day(50))
    url = reverse("exhibitions:stop", args=[stop.pk])
    assert "确认档期" in login(world.helper_staff).get(url).content.decode()
    assert "确认档期" not in login(world.helped_staff).get(url).content.decode()
    assert login(world.admin).get(url).status_code == 200
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.outsider).post(reverse("exhibitions:stop_accept", args=[stop.pk])).status_code == 404
    assert login(world.helped_staff).post(reverse("exhibitions:stop_accept", args=[stop.pk])).status_code == 403


def test_the_project_page_shows_the_stepper_and_outsiders_get_404(world, login):
    project = project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin,
                             title="安泽历史文化陈列")
    url = reverse("exhibitions:project", args=[project.pk])
    html = login(world.helper_staff).get(url).content.decode()
    assert 'aria-current="step">选题' in html and "记录指导" in html and "进入内容设计" not in html
    assert "进入内容设计" in login(world.helped_staff).get(url).content.decode()
    assert login(world.outsider).get(url).status_code == 404
    assert "安泽历史文化陈列" in login(world.admin).get(reverse("exhibitions:projects")).content.decode()
    assert "安泽历史文化陈列" not in login(world.outsider).get(reverse("exhibitions:projects")).content.decode()


def test_the_project_form_names_the_pairing_partner(world, login):
    response = login(world.helped_admin).post(reverse("exhibitions:project_create"), {
        "title": "荀子与安泽", "other": world.helper_museum.pk, "topic_start": day(0).isoformat(),
        "topic_end": day(-5).isoformat()})
    assert response.status_code == 400 and "计划完成日期不能早于计划开始日期" in response.content.decode()


def _many(world, count):
    for i in range(count):
        museum = make_museum(f"出展馆{i}", city="140100")
        staff = make_user("museum_admin", museum=museum)
        exhibition = touring_create(museum=museum, by=staff, title=f"巡展{i}", description="介绍", floor_area=300,
                                    windows=[(day(0), day(400)), (day(500), day(800))], publish=True,
                                    items=make_objects(museum, 2, prefix=f"M{i}-"))
        for j in range(3):
            venue = make_museum(f"接展馆{i}-{j}")
            venue_admin = make_user("museum_admin", museum=venue)
            stop = stop_request(exhibition=exhibition, venue=venue, by=venue_admin, start=day(10 + j * 60),
                                end=day(50 + j * 60))
            if j:
                stop_accept(stop=stop, by=staff)


@pytest.mark.parametrize("count", [2, 6])
def test_the_marketplace_query_count_does_not_grow_with_rows(world, client, count, django_assert_max_num_queries):
    _many(world, count)
    with django_assert_max_num_queries(8):
        client.get(reverse("exhibitions:touring_list"), {"month": day(30).strftime("%Y-%m")})


@pytest.mark.parametrize("stops", [1, 8])
def test_the_tour_calendar_query_count_does_not_grow_with_stops(world, login, stops, django_assert_max_num_queries):
    exhibition = make_touring(world, min_days=10, items=make_objects(world.helper_museum, 3))
    for j in range(stops):
        venue = make_museum(f"接展馆{j}")
        stop_request(exhibition=exhibition, venue=venue, by=make_user("museum_admin", museum=venue),
                     start=day(10 + j * 30), end=day(20 + j * 30))
    client = login(world.helper_admin)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("exhibitions:touring", args=[exhibition.pk]))
    assert len(calendar_of(response)["stops"]) == stops


@pytest.mark.parametrize("count", [2, 6])
def test_the_stop_list_query_count_does_not_grow(world, login, count, django_assert_max_num_queries):
    _many(world, count)
    client = login(world.admin)
    with django_assert_max_num_queries(12):
        client.get(reverse("exhibitions:stops"))


def test_a_helper_creates_a_project_for_a_museum_it_helps(world, login):
    from bangfu.exhibitions.models import CurationProject
    from bangfu.pairings.services import pairing_create

    pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, start_date=day(-10),
                   end_date=day(700))
    client = login(world.helper_staff)
    form = client.get(reverse("exhibitions:project_create")).content.decode()
    assert "策展馆（结对的受援馆）" in form and "安泽县博物馆" in form
    response = client.post(reverse("exhibitions:project_create"),
                           {"title": "荀子故里", "other": world.helped_museum.pk})
    project = CurationProject.objects.get()
    assert response.status_code == 302 and (project.museum, project.helper) == (world.helped_museum,
                                                                                 world.helper_museum)
    assert project.pairing is not None


def test_the_helped_museum_names_its_pairing_partner_by_default(world, login):
    from bangfu.pairings.services import pairing_create

    pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, start_date=day(-10),
                   end_date=day(700))
    form = login(world.helped_admin).get(reverse("exhibitions:project_create")).content.decode()
    assert f'value="{world.helper_museum.pk}" selected' in form


def test_a_card_shows_only_windows_to_come_and_a_running_one_from_today(world, client):
    from bangfu.exhibitions.models import TourWindow

    exhibition = touring_create(museum=world.helper_museum, by=world.helper_admin, title="黄河文明", theme="黄河",
                                description="黄河流域文明。", floor_area=2000, publish=True,
                                windows=[(day(0), day(30)), (day(40), day(60)), (day(70), day(90))])
    first, second, third = exhibition.windows.order_by("start")
    TourWindow.objects.filter(pk=first.pk).update(start=day(-90), end=day(-60))  # over
    TourWindow.objects.filter(pk=second.pk).update(start=day(-10))  # running
    html = client.get(reverse("exhibitions:touring_list")).content.decode()
    card = html[html.index("可预约："):]
    card = card[:card.index("</div>")]
    assert f"即日–{day(60):%Y.%-m.%-d}" in card and f"{day(70):%Y.%-m.%-d}" in card
    assert f"{day(-90):%Y.%-m.%-d}" not in card
