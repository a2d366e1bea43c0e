"""The objects API: registering an object with a token of the museum's staff (the same service as the pages), the
platform's JSON errors, and reads limited to what the caller may see."""

import json

import pytest

from bangfu.api.services import token_create
from bangfu.objects.models import CollectionObject
from bangfu.objects.services import object_create

pytestmark = pytest.mark.django_db
OBJECTS = "/api/objects"


def bearer(user) -> dict:
    _, raw = token_create(user=user, name="藏品系统")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, user, body: dict):
    return client.post(OBJECTS, json.dumps(body), content_type="application/json", **bearer(user))


BODY = {"name": "晋侯鸟尊", "registration_number": "SX-0001", "grade": "一级", "material": "铜",
        "condition": "good", "has_record": True}


def test_museum_staff_register_an_object_with_a_token(world, client):
    response = send(client, world.helper_staff, BODY | {"category": "铜器", "era": "西周", "quantity": "１",
                                                       "insurance_value": 500000000, "offered": True})
    assert response.status_code == 201, response.content
    body = response.json()
    obj = CollectionObject.objects.get(pk=body["id"])
    assert obj.museum == world.helper_museum and obj.created_by == world.helper_staff and obj.offered
    assert body["grade"] == "一级" and body["material_class"] == "metal_glass" and body["quantity"] == 1


def test_a_duplicate_registration_number_names_the_field(world, client):
    send(client, world.helper_staff, BODY)
    response = send(client, world.helper_staff, BODY | {"name": "另一件"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["registration_number"] and "SX-0001" in errors[0]["message"]


@pytest.mark.parametrize(("change", "field"), [
    ({"grade": "特级"}, "grade"),
    ({"material": "塑料"}, "material"),
    ({"condition": "excellent"}, "condition"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": "٣"}, "quantity"),
    ({"insurance_value": 10 ** 15}, "insurance_value"),
    ({"name": "鸟\x00尊"}, "name"),
    ({"has_record": None}, "has_record"),
])
def test_bad_values_are_422_with_the_field_named(world, client, change, field):
    response = send(client, world.helper_staff, BODY | change)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not CollectionObject.objects.exists()


def test_a_missing_field_is_named(world, client):
    body = {k: v for k, v in BODY.items() if k != "has_record"}
    response = send(client, world.helper_staff, body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "has_record"


@pytest.mark.parametrize("persona", ["admin", "province_supervisor", "expert"])
def test_only_museum_staff_may_register_objects(world, client, persona):
    assert send(client, getattr(world, persona), BODY).status_code == 403


def test_registering_needs_credentials(client):
    assert client.post(OBJECTS, json.dumps(BODY), content_type="application/json").status_code == 401


def _objects(world):
    private = object_create(museum=world.helped_museum, by=world.helped_staff, name="泥塑残块",
                            registration_number="AZ-1", material="其他无机质", insurance_value=1000)
    offered = object_create(museum=world.helped_museum, by=world.helped_staff, name="铜戈",
                            registration_number="AZ-2", material="铜", offered=True, insurance_value=2000)
    return private, offered


def test_the_list_shows_outsiders_only_offered_objects_without_their_value(world, client):
    private, offered = _objects(world)
    response = client.get(OBJECTS, {"museum": world.helped_museum.pk}, **bearer(world.outsider))
    body = response.json()
    assert body["count"] == 1 and [i["id"] for i in body["items"]] == [offered.pk]
    assert body["items"][0]["insurance_value"] is None


def test_the_list_shows_the_museum_all_its_objects(world, client):
    private, offered = _objects(world)
    body = client.get(OBJECTS, {"museum": str(world.helped_museum.pk)}, **bearer(world.helped_staff)).json()
    assert body["count"] == 2 and {i["id"] for i in body["items"]} == {private.pk, offered.pk}
    assert {i["insurance_value"] for i in body["items"]} == {"1000.00", "2000.00"} or all(
        i["insurance_value"] is not None for i in body["items"])


def test_the_supervisor_and_the_association_see_only_offered_objects(world, client):
    private, offered = _objects(world)
    for user in (world.province_supervisor, world.admin):
        body = client.get(OBJECTS, **bearer(user)).json()
        assert [i["id"] for i in body["items"]] == [offered.pk]
        assert body["items"][0]["insurance_value"] is not None  # the value of what is offered: theirs to review


def test_a_bad_museum_filter_is_422(world, client):
    assert client.get(OBJECTS, {"museum": "abc"}, **bearer(world.outsider)).status_code == 422


def test_one_object_not_offered_is_404_for_outsiders(world, client):
    private, offered = _objects(world)
    assert client.get(f"{OBJECTS}/{private.pk}", **bearer(world.outsider)).status_code == 404
    assert client.get(f"{OBJECTS}/{offered.pk}", **bearer(world.outsider)).json()["name"] == "铜戈"
    assert client.get(f"{OBJECTS}/{private.pk}", **bearer(world.helped_staff)).json()["name"] == "泥塑残块"
    assert client.get(f"{OBJECTS}/{offered.pk}").status_code == 401  # signed-in users only
