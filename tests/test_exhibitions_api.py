"""The exhibitions API: the public marketplace and calendar, a stop request with a token (an overlap refused with
the platform's JSON errors naming the other venue), a stop for its parties only."""

import datetime

import pytest

from bangfu.api.services import token_create
from bangfu.exhibitions.models import TourStop, TourWindow
from bangfu.exhibitions.services import stop_accept, stop_request

from .exhibitions_data import day, make_touring

pytestmark = pytest.mark.django_db


def auth(user):
    _, raw = token_create(user=user, name="脚本")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_marketplace_and_the_public_calendar_need_no_token(client, world):
    exhibition = make_touring(world)
    make_touring(world, publish=False, title="草稿展")
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                        end=day(50))
    stop_accept(stop=stop, by=world.helper_admin)
    stop_request(exhibition=exhibition, venue=world.other_museum, by=world.outsider, start=day(80), end=day(120))
    listing = client.get("/api/exhibitions/touring").json()
    assert [e["title"] for e in listing["items"]] == ["晋国霸业"]
    detail = client.get(f"/api/exhibitions/touring/{exhibition.pk}").json()
    assert [s["venue"] for s in detail["calendar"]] == ["安泽县博物馆"]
    owner = client.get(f"/api/exhibitions/touring/{exhibition.pk}", **auth(world.helper_staff)).json()
    assert len(owner["calendar"]) == 2


def test_a_bad_filter_is_a_422(client, world):
    response = client.get("/api/exhibitions/touring", {"month": "2026-13"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "month"


def test_a_stop_request_with_a_token_and_an_overlap_refused(client, world):
    exhibition = make_touring(world)
    url = f"/api/exhibitions/touring/{exhibition.pk}/stops"
    response = client.post(url, {"start": day(10).isoformat(), "end": day(50).isoformat()},
                           content_type="application/json", **auth(world.helped_admin))
    assert response.status_code == 201 and response.json()["venue"]["name"] == "安泽县博物馆"
    response = client.post(url, {"start": day(40).isoformat(), "end": day(90).isoformat()},
                           content_type="application/json", **auth(world.outsider))
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "start" and "安泽县博物馆" in error["message"]
    assert TourStop.objects.count() == 1
    assert client.post(url, {"start": day(10).isoformat(), "end": day(50).isoformat()},
                       content_type="application/json").status_code == 401


def test_a_stop_is_not_found_for_outsiders(client, world):
    exhibition = make_touring(world)
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                        end=day(50))
    assert client.get(f"/api/exhibitions/stops/{stop.pk}", **auth(world.outsider)).status_code == 404
    assert client.get(f"/api/exhibitions/stops/{stop.pk}", **auth(world.helper_staff)).json()["status"] == "requested"


def test_a_stop_request_for_the_year_9999_is_a_422_beside_the_field(client, world):
    exhibition = make_touring(world)
    TourWindow.objects.create(exhibition=exhibition, start=datetime.date(9999, 1, 1), end=datetime.date(9999, 12, 31))
    response = client.post(f"/api/exhibitions/touring/{exhibition.pk}/stops",
                           {"start": "9999-11-01", "end": "9999-12-31"}, content_type="application/json",
                           **auth(world.helped_admin))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end" and not TourStop.objects.exists()
