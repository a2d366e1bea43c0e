"""The pairing suggestions are optimal: checked against brute force on random small instances."""

import itertools
import random

import pytest

from bangfu.pairings.suggest import Candidate, Helper, solve

AREAS = ["exhibition", "conservation", "creative", "education"]


def brute_force(helped, helpers, *, distance_weight, fit_weight, excluded, max_km, km):
    """Best (assigned count, -cost) over every assignment that respects capacities and forbidden pairs."""
    best = (0, -0.0)  # (assigned count, −cost): more museums first, then the lower cost
    options = [None, *range(len(helpers))]
    for choice in itertools.product(options, repeat=len(helped)):
        used = [0] * len(helpers)
        count, cost, ok = 0, 0.0, True
        for i, j in enumerate(choice):
            if j is None:
                continue
            used[j] += 1
            pair_km = km[(helped[i].id, helpers[j].id)]
            if (used[j] > helpers[j].capacity or (helpers[j].id, helped[i].id) in excluded
                    or (max_km is not None and pair_km > max_km)):
                ok = False
                break
            count += 1
            cost += distance_weight * pair_km - fit_weight * len(helped[i].areas & helpers[j].areas)
        if ok:
            best = max(best, (count, -cost))
    return best[0], -best[1]


def random_instance(rng):
    def place():
        return rng.uniform(34.6, 40.7), rng.uniform(110.3, 114.5)

    helped = [Candidate(100 + i, f"小馆{i}", *place(), frozenset(rng.sample(AREAS, rng.randint(0, 3))))
              for i in range(rng.randint(1, 6))]
    helpers = [Helper(1 + j, f"大馆{j}", *place(), frozenset(rng.sample(AREAS, rng.randint(0, 3))),
                      capacity=rng.randint(0, 2)) for j in range(rng.randint(1, 3))]
    excluded = {(h.id, c.id) for h in helpers for c in helped if rng.random() < 0.2}
    return helped, helpers, excluded


@pytest.mark.parametrize("seed", range(40))
def test_solver_matches_brute_force_on_random_small_instances(seed):
    from bangfu.places.geo import great_circle_km

    rng = random.Random(seed)
    helped, helpers, excluded = random_instance(rng)
    distance_weight, fit_weight = rng.choice([1.0, 0.5]), rng.choice([0.0, 60.0, 300.0])
    max_km = rng.choice([None, 250.0])
    km = {(c.id, h.id): great_circle_km(c.lat, c.lng, h.lat, h.lng) for c in helped for h in helpers}
    proposal = solve(helped, helpers, distance_weight=distance_weight, fit_weight=fit_weight, excluded=excluded,
                     max_km=max_km)
    best_count, best_cost = brute_force(helped, helpers, distance_weight=distance_weight, fit_weight=fit_weight,
                                        excluded=excluded, max_km=max_km, km=km)
    assert len(proposal.suggestions) == best_count
    assert proposal.objective == pytest.approx(best_cost, abs=1e-6)
    load = {}
    for s in proposal.suggestions:
        load[s.helper_id] = load.get(s.helper_id, 0) + 1
        assert (s.helper_id, s.helped_id) not in excluded
    assert all(load[h.id] <= h.capacity for h in helpers if h.id in load)


def test_fit_pulls_a_museum_to_a_farther_helper_that_offers_what_it_needs():
    near = Helper(1, "近馆", 37.0, 112.0, frozenset(), capacity=1)
    far = Helper(2, "远馆", 37.5, 112.0, frozenset({"conservation"}), capacity=1)  # ≈ 56 km farther
    small = Candidate(10, "小馆", 37.0, 112.01, frozenset({"conservation"}))
    by_distance = solve([small], [near, far], distance_weight=1.0, fit_weight=0.0)
    by_fit = solve([small], [near, far], distance_weight=1.0, fit_weight=100.0)
    assert by_distance.suggestions[0].helper_id == 1
    assert by_fit.suggestions[0].helper_id == 2 and by_fit.suggestions[0].areas == ["conservation"]


def test_a_museum_that_both_helps_and_is_helped_is_never_paired_with_itself():
    both = Helper(7, "兼任馆", 37.0, 112.0, frozenset({"conservation"}), capacity=1)
    other = Helper(8, "远馆", 38.0, 112.0, frozenset(), capacity=1)
    proposal = solve([Candidate(7, "兼任馆", 37.0, 112.0, frozenset({"conservation"}))], [both, other],
                     distance_weight=1.0, fit_weight=100.0)
    assert [(s.helper_id, s.helped_id) for s in proposal.suggestions] == [(8, 7)]
