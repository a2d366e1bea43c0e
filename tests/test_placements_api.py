"""POST /api/placements with the helped museum admin's token: 201 with the id; the 3–6 month rule refused with a
422 naming it; a staff token 403; the person of another museum, the own museum as host, unknown ids and unknown
kinds refused as JSON errors; GET lists what the token's user may see, one placement 404 for outsiders."""

import json

import pytest

from bangfu.api.services import token_create
from bangfu.placements.models import Placement

pytestmark = pytest.mark.django_db


def auth(user):
    _, raw = token_create(user=user, name="脚本")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, user, **body):
    return client.post("/api/placements", json.dumps(body), content_type="application/json", **auth(user))


def body(world, **changes):
    return {"host_id": world.helper_museum.pk, "person_id": world.helped_staff.pk, "kind": "secondment",
            "start": "2027-03-01", "end": "2027-08-31", "department": "保管部", "goals": "挂职保管部副主任"} | changes


def test_the_helped_admin_requests_a_placement(client, world):
    response = post(client, world.helped_admin, **body(world))
    assert response.status_code == 201
    placement = Placement.objects.get(pk=response.json()["id"])
    assert (placement.sending, placement.host, placement.kind) == (world.helped_museum, world.helper_museum,
                                                                   "secondment")


@pytest.mark.parametrize("end", ["2027-05-28", "2027-09-03"])
def test_outside_the_rule_is_a_422_naming_it(client, world, end):
    response = post(client, world.helped_admin, **body(world, end=end))
    assert response.status_code == 422
    data = response.json()
    assert "3–6 个月" in data["detail"]
    assert data["errors"][0]["field"] == "end"


def test_refusals_are_the_platforms_json_errors(client, world):
    assert post(client, world.helped_staff, **body(world)).status_code == 403
    assert post(client, world.admin, **body(world)).status_code == 403
    other = post(client, world.helped_admin, **body(world, person_id=world.outsider.pk))
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "person_id"
    own = post(client, world.helped_admin, **body(world, host_id=world.helped_museum.pk))
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "host_id"
    unknown = post(client, world.helped_admin, **body(world, host_id=99999999))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "host_id"
    assert post(client, world.helped_admin, **body(world, kind="holiday")).status_code == 422
    assert post(client, world.helped_admin, **body(world, host_id=10**30)).status_code == 422
    assert client.post("/api/placements", "{}", content_type="application/json").status_code == 401


def test_reading_placements(client, world):
    pk = post(client, world.helped_admin, **body(world)).json()["id"]
    listed = client.get("/api/placements", **auth(world.helper_staff)).json()
    assert listed["count"] == 1 and listed["items"][0]["person"]["id"] == world.helped_staff.pk
    assert client.get("/api/placements", **auth(world.outsider)).json()["count"] == 0
    assert client.get(f"/api/placements/{pk}", **auth(world.helped_staff)).json()["status"] == "requested"
    assert client.get(f"/api/placements/{pk}", **auth(world.outsider)).status_code == 404
