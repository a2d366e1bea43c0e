"""The training API: a class created with an association token (201 + id, published, one session with its hours),
nominations with a museum admin's token (each person accepted or waiting), refusals as the platform's JSON errors
(a staff token, another museum's people), the list and the detail."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.api.services import token_create
from bangfu.training.models import ClassStatus, TrainingClass

from .factories import make_user

pytestmark = pytest.mark.django_db


def auth(user):
    _, raw = token_create(user=user, name="脚本")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def body(world, **extra):
    start = timezone.localdate() + datetime.timedelta(days=20)
    return {"title": "县级博物馆讲解服务培训班", "area": "guiding", "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=2)).isoformat(), "hours": 24, "places": 3,
            "places_per_museum": 1, "host_id": world.helper_museum.pk} | extra


def create(client, world, **extra):
    response = client.post("/api/training/classes", body(world, **extra), content_type="application/json",
                           **auth(world.admin))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_the_association_creates_a_published_class_with_its_hours(client, world):
    pk = create(client, world)
    klass = TrainingClass.objects.get(pk=pk)
    assert klass.status == ClassStatus.PUBLISHED
    assert list(klass.sessions.order_by("start").values_list("hours", flat=True)) == [8, 8, 8]  # one a day
    detail = client.get(f"/api/training/classes/{pk}", **auth(world.helped_staff)).json()
    assert detail["hours"] == "24.0" or float(detail["hours"]) == 24
    listed = client.get("/api/training/classes", **auth(world.helped_staff)).json()
    assert [c["id"] for c in listed["items"]] == [pk]


def test_the_issue_contract_exactly_an_association_token_and_the_seven_keys_gives_201_and_an_id(client, world):
    """Issue 11: `POST /api/training/classes` (an association token: title, area, start, end, hours, places,
    places_per_museum) → 201 with `id` — no other key needed (the host museum is named later on the page)."""
    keys = ("title", "area", "start", "end", "hours", "places", "places_per_museum")
    payload = {k: v for k, v in body(world).items() if k in keys}
    assert set(payload) == set(keys)
    response = client.post("/api/training/classes", payload, content_type="application/json", **auth(world.admin))
    assert response.status_code == 201, response.content
    klass = TrainingClass.objects.get(pk=response.json()["id"])
    assert klass.host is None and klass.status == ClassStatus.PUBLISHED
    page = client.get(f"/training/{klass.pk}/")
    assert page.status_code in (200, 302)


def test_a_staff_token_cannot_create_a_class(client, world):
    response = client.post("/api/training/classes", body(world), content_type="application/json",
                           **auth(world.helped_staff))
    assert response.status_code == 403 and "detail" in response.json()


def test_a_bad_class_is_a_422_naming_the_field(client, world):
    response = client.post("/api/training/classes", body(world, host_id=999999), content_type="application/json",
                           **auth(world.admin))
    assert response.status_code == 422 and "host_id" in response.content.decode()
    response = client.post("/api/training/classes", body(world, area="cooking"), content_type="application/json",
                           **auth(world.admin))
    assert response.status_code == 422


def test_a_museum_admin_nominates_and_gets_each_state(client, world):
    pk = create(client, world)
    second = make_user("museum_staff", museum=world.helped_museum, username="az2")
    response = client.post(f"/api/training/classes/{pk}/nominations",
                           {"user_ids": [world.helped_staff.pk, second.pk]}, content_type="application/json",
                           **auth(world.helped_admin))
    assert response.status_code == 200
    assert response.json() == {"nominations": [{"user_id": world.helped_staff.pk, "state": "accepted"},
                                               {"user_id": second.pk, "state": "waiting"}]}


def test_nominating_another_museums_people_is_refused_naming_them(client, world):
    pk = create(client, world)
    response = client.post(f"/api/training/classes/{pk}/nominations", {"user_ids": [world.outsider.pk, 99999]},
                           content_type="application/json", **auth(world.helped_admin))
    assert response.status_code == 422 and "99999" in response.content.decode()
    response = client.post(f"/api/training/classes/{pk}/nominations", {"user_ids": [world.outsider.pk]},
                           content_type="application/json", **auth(world.helped_admin))
    assert response.status_code == 422 and str(world.outsider.pk) in response.content.decode()


def test_a_staff_token_cannot_nominate(client, world):
    pk = create(client, world)
    response = client.post(f"/api/training/classes/{pk}/nominations", {"user_ids": [world.helped_staff.pk]},
                           content_type="application/json", **auth(world.helped_staff))
    assert response.status_code == 403


def test_hours_that_do_not_fit_the_days_are_a_422(client, world):
    response = client.post("/api/training/classes", body(world, hours=100), content_type="application/json",
                           **auth(world.admin))
    assert response.status_code == 422 and "学时" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_uneven_hours_are_shared_with_the_rest_on_the_last_day(client, world):
    klass = TrainingClass.objects.get(pk=create(client, world, hours=10))
    assert list(klass.sessions.order_by("start").values_list("hours", flat=True)) == [
        Decimal("3.3"), Decimal("3.3"), Decimal("3.4")]
