"""The conservation API (read only): the labs' catalogue for any token holder, a service request for its parties
(outsiders 404), with a token, the same rules as the pages."""

import pytest

from bangfu.api.services import token_create
from bangfu.conservation.services import request_approve_sampling

from .conservation_data import a_request, xrf

pytestmark = pytest.mark.django_db


def auth(user):
    _, raw = token_create(user=user, name="脚本")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_catalogue_lists_active_services_with_their_methods_and_needs_a_token(client, world):
    xrf(world)
    xrf(world, name="方案设计", kind="plan", methods="")
    assert client.get("/api/conservation/services").status_code == 401
    body = client.get("/api/conservation/services?kind=testing", **auth(world.outsider)).json()
    assert body["count"] == 1
    assert body["items"][0]["methods"] == ["XRF", "拉曼", "X光探伤"]
    assert body["items"][0]["museum"]["name"] == "山西博物院"
    assert client.get("/api/conservation/services?q=a%00b", **auth(world.outsider)).status_code == 422


def test_a_request_is_read_by_its_parties_and_not_found_for_outsiders(client, world):
    request = a_request(world, destructive=True, objects_by_hand="铜镜\n铜剑")
    request_approve_sampling(request=request, by=world.helped_admin, note="同意")
    url = f"/api/conservation/requests/{request.pk}"
    body = client.get(url, **auth(world.helper_staff)).json()
    assert (body["status"], body["objects"], body["destructive"]) == ("requested", 2, True)
    assert body["approved_at"] is not None
    assert client.get(url, **auth(world.outsider)).status_code == 404
    assert client.get("/api/conservation/requests/99999999999999999999", **auth(world.helper_staff)).status_code in (
        404, 422)
