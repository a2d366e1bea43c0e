"""The association's pairing rules stay within sane ranges, and suggestions survive whatever the rules row holds."""

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.museums.models import Offering
from bangfu.museums.services import museum_set_areas
from bangfu.pairings import services
from bangfu.pairings.models import RULE_LIMITS, ProgrammeRules
from bangfu.pairings.suggest import Candidate, Helper, solve

pytestmark = pytest.mark.django_db

GOOD = {"max_helped_per_helper": "3", "max_primary_helpers_per_helped": "1", "distance_weight": "1",
        "fit_weight": "60", "max_distance_km": ""}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("distance_weight", "1e308", "应在 0 到 10 之间。"),
    ("fit_weight", "1e20", "应在 0 到 1000 公里之间。"),
    ("fit_weight", "-5", "应在 0 到 1000 公里之间。"),
    ("max_helped_per_helper", "100000", "应在 1 到 10 家之间。"),
    ("max_helped_per_helper", "0", "应在 1 到 10 家之间。"),
    ("max_primary_helpers_per_helped", "4", "应在 1 到 3 家之间。"),
    ("max_distance_km", "99999999999", "应在 1 到 5000 公里之间。"),
])
def test_the_rules_page_refuses_values_out_of_range_beside_the_field(world, login, field, value, message):
    response = login(world.admin).post(reverse("pairings:rules"), GOOD | {field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    body = response.content.decode()
    assert f'id="id_{field}_errors">{message}' in body
    assert ProgrammeRules.current().distance_weight == 1.0 and ProgrammeRules.current().max_helped_per_helper == 3


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_the_rules_page_refuses_weights_that_are_not_numbers(world, login, value):
    response = login(world.admin).post(reverse("pairings:rules"), GOOD | {"fit_weight": value})
    assert response.status_code == 400 and "fit_weight" in response.context["form"].errors
    assert ProgrammeRules.current().fit_weight == 60.0


def test_the_rules_page_accepts_the_edges_of_each_range(world, login):
    response = login(world.admin).post(reverse("pairings:rules"), {
        "max_helped_per_helper": "10", "max_primary_helpers_per_helped": "3", "distance_weight": "0",
        "fit_weight": "1000", "max_distance_km": "5000"})
    assert response.status_code == 302
    rules = ProgrammeRules.current()
    assert (rules.max_helped_per_helper, rules.max_primary_helpers_per_helped, rules.distance_weight,
            rules.fit_weight, rules.max_distance_km) == (10, 3, 0, 1000, 5000)


def test_the_rules_inputs_tell_the_browser_their_range(world, login):
    body = login(world.admin).get(reverse("pairings:rules")).content.decode()
    assert 'name="max_helped_per_helper"' in body and 'max="10"' in body and 'max="1000"' in body


@pytest.mark.parametrize(("field", "value"), [
    ("distance_weight", 1e308), ("fit_weight", math.inf), ("fit_weight", math.nan), ("max_helped_per_helper", 100000),
    ("max_distance_km", 0),
])
def test_the_service_holds_the_ranges_for_every_caller(world, field, value):
    with pytest.raises(ValidationError) as refused:
        services.rules_update(by=world.admin, data={field: value})
    assert field in refused.value.message_dict
    rules = ProgrammeRules.current()
    assert (rules.distance_weight, rules.fit_weight, rules.max_helped_per_helper) == (1.0, 60.0, 3)


def test_the_service_refuses_unknown_rules_and_other_users(world):
    with pytest.raises(ValidationError, match="没有这些结对规则"):
        services.rules_update(by=world.admin, data={"pk": 2})
    with pytest.raises(PermissionDenied):
        services.rules_update(by=world.helper_admin, data={"fit_weight": 10})
    assert ProgrammeRules.current().fit_weight == 60.0


def _needs_and_offers(world):
    museum_set_areas(museum=world.helper_museum, by=None, kind=Offering.OFFER,
                     items={"conservation": {"text": "", "capacity": None}})
    museum_set_areas(museum=world.helped_museum, by=None, kind=Offering.NEED,
                     items={a: {"text": "", "capacity": None} for a in ("conservation", "education")})


@pytest.mark.parametrize("stored", [
    {"distance_weight": 1e308, "fit_weight": 1e308},
    {"distance_weight": 1e20, "fit_weight": -1e20},
    {"distance_weight": math.nan, "fit_weight": math.inf},
    {"max_helped_per_helper": 100000, "max_distance_km": 10**12},
    {"max_helped_per_helper": 0, "distance_weight": 0, "fit_weight": 0},
])
def test_the_suggestions_page_survives_any_stored_rules(world, login, monkeypatch, stored):
    """Rows saved before the limits (or written around them) are read clamped into the ranges, never a 500."""
    _needs_and_offers(world)
    extreme = ProgrammeRules(pk=1, **stored)
    monkeypatch.setattr(ProgrammeRules, "current", classmethod(lambda cls: extreme))
    response = login(world.admin).get(reverse("pairings:suggestions"))
    assert response.status_code == 200
    body = response.content.decode()
    weights = response.context["proposal"].weights
    for name in ("distance_weight", "fit_weight"):
        low, high = RULE_LIMITS[name]
        assert low <= weights[name] <= high
    assert "e+" not in body and "代价" not in body
    assert all(len(w) < 12 for w in body.split() if w.replace(".", "").isdigit())


def test_the_suggestions_page_speaks_of_kilometres_and_fit(world, login):
    _needs_and_offers(world)
    body = login(world.admin).get(reverse("pairings:suggestions")).content.decode()
    assert "平均距离" in body and "公里" in body and "匹配度" in body and "满足 1/2 项需求" in body
    assert "代价" not in body and "目标值" not in body


def test_the_solver_gives_a_helper_no_more_slots_than_there_are_museums_to_place():
    helper = Helper(1, "大馆", 37.0, 112.0, frozenset({"conservation"}), capacity=10**9)
    helped = [Candidate(10 + i, f"小馆{i}", 37.0 + i / 10, 112.0, frozenset({"conservation"})) for i in range(3)]
    proposal = solve(helped, [helper], distance_weight=1e308, fit_weight=math.nan)
    assert len(proposal.suggestions) == 3
    assert proposal.weights["distance_weight"] == RULE_LIMITS["distance_weight"][1]
    assert [s.fit for s in proposal.suggestions] == [1, 1, 1]


def test_the_solver_skips_museums_whose_stored_position_is_not_a_number():
    helper = Helper(1, "大馆", math.nan, 112.0, frozenset(), capacity=1)
    good = Helper(2, "好馆", 37.0, 112.0, frozenset(), capacity=1)
    small = Candidate(10, "小馆", 37.1, math.inf, frozenset())
    fine = Candidate(11, "县馆", 37.1, 112.0, frozenset())
    proposal = solve([small, fine], [helper, good], distance_weight=1.0, fit_weight=60.0)
    assert [(s.helper_id, s.helped_id) for s in proposal.suggestions] == [(2, 11)]
