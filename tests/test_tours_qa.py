"""What the review round found in 专家巡讲: a tour sent twice (a double click, a retried POST) was formed twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.experts.services import expert_create
from bangfu.tours.models import LectureTour
from bangfu.tours.services import tour_create, tour_move

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return (expert_create(by=world.admin, name="孙文博", organisation="山西博物院", user=world.expert),
            expert_create(by=world.admin, name="韩志远", organisation="大同市博物馆"))


def test_a_tour_sent_twice_is_formed_once(world, client, team):
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {"title": "县域博物馆文物保护巡讲", "area": "people", "lead_museum": world.helper_museum.pk,
            "start": start.isoformat(), "end": (start + datetime.timedelta(days=60)).isoformat(),
            "experts": [e.pk for e in team], "leader": team[0].pk}
    client.force_login(world.admin)
    first = client.post(reverse("tours:create"), data)
    second = client.post(reverse("tours:create"), data)
    assert LectureTour.objects.count() == 1
    assert first.status_code == 302 and first["Location"] == second["Location"]


def test_a_cancelled_tour_may_be_formed_again(world, team):
    start = timezone.localdate() + datetime.timedelta(days=10)
    values = {"title": "县域博物馆文物保护巡讲", "lead_museum": world.helper_museum, "start": start,
              "end": start + datetime.timedelta(days=60), "experts": team, "leader": team[0]}
    first = tour_create(by=world.admin, **values)
    tour_move(tour=first, by=world.admin, to="cancelled", reason="经费未落实")
    assert tour_create(by=world.admin, **values).pk != first.pk
