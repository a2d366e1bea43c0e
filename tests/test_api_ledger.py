"""The ledger API: the entries the token's user may see, and manual entries through the same service as the page
(permissions, quantity limits, the other side's confirmation), with JSON errors."""

import datetime
import json

import pytest
from django.utils import timezone

from bangfu.api.services import token_create
from bangfu.ledger.models import Confirmation, LedgerEntry
from bangfu.ledger.services import ledger_record
from bangfu.notifications.models import Notification
from bangfu.pairings.services import pairing_create

from .factories import make_museum

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, raw = token_create(user=user, name="同步")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def record(world, *, helped=None, **fields):
    values = {"area": "people", "kind": "培训", "date": datetime.date(2026, 3, 10), "description": "培训班"} | fields
    if not set(fields) & {"people_trained", "days", "object_count", "visitors", "money_yuan"}:
        values["days"] = 1  # a manual entry counts something
    return ledger_record(by=world.admin, helper=world.helper_museum, helped=helped or world.helped_museum, **values)


@pytest.fixture
def entries(world):
    record(world, people_trained=30)
    record(world, area="exhibition", kind="巡展", date=datetime.date(2025, 6, 1), visitors=5000)
    record(world, helped=world.other_museum, kind="讲座")  # not the helped museum's business
    return world


def post(client, headers, **body):
    return client.post("/api/ledger", json.dumps(body), content_type="application/json", **headers)


def entry_body(world, **overrides):
    return {"helper_id": world.helper_museum.pk, "helped_id": world.helped_museum.pk, "area": "people",
            "kind": "培训", "date": "2026-03-01", "description": "文物修复培训班", "people_trained": 25,
            "evidence_link": "https://news.example.org/1"} | overrides


def test_the_list_shows_what_the_tokens_user_may_see_with_items_and_count(entries, client):
    body = client.get("/api/ledger", **bearer(entries.helped_staff)).json()
    assert body["count"] == 2 and {i["kind"] for i in body["items"]} == {"培训", "巡展"}
    first = body["items"][0]
    assert first["helper"] == {"id": entries.helper_museum.pk, "name": "山西博物院"}
    assert first["area"] == {"code": "people", "label": "人才培养"} and first["people_trained"] == 30
    assert first["state"] == "confirmed" and first["counted"] is True
    assert client.get("/api/ledger", **bearer(entries.admin)).json()["count"] == 3


def test_the_list_filters_by_year_and_area(entries, client):
    headers = bearer(entries.admin)
    assert [i["kind"] for i in client.get("/api/ledger", {"year": 2025}, **headers).json()["items"]] == ["巡展"]
    assert client.get("/api/ledger", {"area": "people"}, **headers).json()["count"] == 2


def test_the_list_filters_as_the_ledger_page_does(entries, client, monkeypatch):
    """The API reads the page's filters (selectors.LedgerFilters), not a copy of them."""
    from bangfu.ledger import selectors

    used = []
    apply = selectors.LedgerFilters.apply
    monkeypatch.setattr(selectors.LedgerFilters, "apply", lambda self, e: used.append(self) or apply(self, e))
    body = client.get("/api/ledger", {"year": 2025, "state": "all"}, **bearer(entries.admin)).json()
    assert [i["kind"] for i in body["items"]] == ["巡展"]
    assert [(f.year, f.state) for f in used] == [(2025, "all")]


@pytest.mark.parametrize(("params", "field"), [
    ({"year": "²"}, "year"), ({"year": "99999999999999999999"}, "year"), ({"area": "nonsense"}, "area"),
    ({"state": "bogus"}, "state"),
])
def test_bad_filters_are_a_readable_422(entries, client, params, field):
    response = client.get("/api/ledger", params, **bearer(entries.admin))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_the_ledger_api_needs_a_token_or_a_session(entries, client):
    response = client.get("/api/ledger")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")


def test_a_museum_records_an_entry_that_waits_for_the_other_side(world, client):
    response = post(client, bearer(world.helper_staff), **entry_body(world))
    assert response.status_code == 201, response.content
    entry = LedgerEntry.objects.get()
    assert response.json()["id"] == entry.pk and response.json()["state"] == "pending"
    assert (entry.recorded_by, entry.people_trained, entry.confirmation) == (world.helper_staff, 25,
                                                                             Confirmation.PENDING)
    assert Notification.objects.filter(key=f"ledger-confirm-{entry.pk}").count() == 2


def test_an_entry_finds_the_open_pairing_of_the_two_museums(world, client):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2028, 12, 31))
    assert post(client, bearer(world.admin), **entry_body(world)).json()["pairing_id"] == pairing.pk


def test_a_quantity_over_the_limit_is_a_422_naming_the_field(world, client):
    response = post(client, bearer(world.helper_staff), **entry_body(world, people_trained=999_999_999))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "people_trained",
                                          "message": response.json()["errors"][0]["message"]}]
    assert "培训人数不能超过 10,000 人次" in response.json()["detail"]
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}, "date"),
    ({"kind": "   "}, "kind"),
    ({"days": "1.25"}, "days"),
    ({"people_trained": -1}, "people_trained"),
    ({"evidence_link": "javascript:alert(1)"}, "evidence_link"),
    ({"area": "magic"}, "area"),
])
def test_bad_entries_are_a_422(world, client, overrides, field):
    response = post(client, bearer(world.helper_staff), **entry_body(world, **overrides))
    assert response.status_code == 422 and field in [e["field"] for e in response.json()["errors"]]
    assert not LedgerEntry.objects.exists()


def test_an_outsider_cannot_record_for_two_other_museums(world, client):
    response = post(client, bearer(world.outsider), **entry_body(world))
    assert response.status_code == 403 and response.json()["detail"]
    assert post(client, bearer(world.province_supervisor), **entry_body(world)).status_code == 403
    assert not LedgerEntry.objects.exists()


def test_an_unknown_museum_or_a_pairing_one_cannot_see_is_a_404(world, client):
    assert post(client, bearer(world.helper_staff), **entry_body(world, helped_id=999_999)).status_code == 404
    big = make_museum("运城博物馆", city="140800", grade="一级", programme_role="helper")
    theirs = pairing_create(by=world.admin, helper=big, helped=make_museum("古县博物馆", county="141025"),
                            start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2028, 12, 31))
    response = post(client, bearer(world.helper_staff), **entry_body(world, pairing_id=theirs.pk))
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert not LedgerEntry.objects.exists()


def test_a_likely_duplicate_is_refused_until_the_caller_confirms_it(world, client):
    headers = bearer(world.helped_staff)
    assert post(client, headers, **entry_body(world)).status_code == 201
    again = post(client, headers, **entry_body(world))
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "confirm_not_duplicate"
    assert LedgerEntry.objects.count() == 1
    confirmed = post(client, headers, **entry_body(world, confirm_not_duplicate=True))
    assert confirmed.status_code == 201 and LedgerEntry.objects.count() == 2
