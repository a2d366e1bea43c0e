"""What the review round found in placements and guidance visits: a visit proposed twice (a double click, a retried
POST) was proposed twice and the other museum told twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.placements.models import Visit, VisitStatus
from bangfu.placements.services import placement_agree, placement_withdraw, visit_cancel, visit_decline

from .placements_data import proposed_visit, requested

pytestmark = pytest.mark.django_db


def test_a_visit_sent_twice_is_proposed_once(world, client):
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {"partner": world.helper_museum.pk, "title": "库房预防性保护指导", "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=2)).isoformat(), "agenda": "库房评估与培训"}
    client.force_login(world.helped_admin)
    first = client.post(reverse("placements:visit_create"), data)
    second = client.post(reverse("placements:visit_create"), data)
    assert Visit.objects.count() == 1
    assert first.status_code == 302 and first["Location"] == second["Location"]


def test_a_declined_visit_may_be_proposed_again(world):
    first = proposed_visit(world)
    visit_decline(visit=first, by=world.helper_admin, reason="那几天闭馆")
    again = proposed_visit(world)
    assert again.pk != first.pk and again.status == VisitStatus.PROPOSED


def test_a_refused_start_says_why_on_the_page(world, client):
    placement = requested(world, start=timezone.localdate().replace(day=1))
    placement_agree(placement=placement, by=world.helper_admin, mentor=world.helper_staff)
    placement_withdraw(placement=placement, by=world.helped_admin, reason="人员调整")  # the host's page is stale
    client.force_login(world.helper_admin)
    response = client.post(reverse("placements:start", args=[placement.pk]))
    assert response.status_code == 400
    assert 'data-testid="start-errors"' in response.content.decode()


def test_a_start_before_the_start_date_says_why(world, client):
    start = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    placement = requested(world, start=start)
    placement_agree(placement=placement, by=world.helper_admin, mentor=world.helper_staff)
    client.force_login(world.helper_admin)
    response = client.post(reverse("placements:start", args=[placement.pk]))
    assert response.status_code == 400
    assert "还没到" in response.content.decode()


def test_a_visit_move_refused_meanwhile_says_why(world, client):
    visit = proposed_visit(world)
    client.force_login(world.helper_admin)
    assert client.post(reverse("placements:visit_agree", args=[visit.pk])).status_code == 302
    again = client.post(reverse("placements:visit_agree", args=[visit.pk]))  # the second click of a double click
    assert again.status_code == 400 and 'data-testid="action-errors"' in again.content.decode()
    visit_cancel(visit=visit, by=world.helped_admin, reason="经费未落实")  # the other museum cancels meanwhile
    response = client.post(reverse("placements:visit_decline", args=[visit.pk]), {"decline-reason": "闭馆"})
    assert response.status_code == 400 and 'data-testid="action-errors"' in response.content.decode()
