"""Suggested pairings: an optimal assignment of unpaired helped museums to helpers with spare capacity.

Each helper with spare capacity c becomes c identical "slots"; the cost of putting helped museum i in a slot of
helper j is  distance_weight × km(i, j) − fit_weight × fit(i, j), where fit is the number of areas in which i's
needs meet j's offers. Forbidden pairs (exclusions, beyond the distance limit, no position) cost BIG, larger than
any sum of real costs, so the solver first assigns as many museums as it can with allowed pairs, then minimises the
total cost among those assignments. scipy's linear_sum_assignment solves the rectangular problem exactly.

The cost is internal: pages and the command speak of kilometres and fit (匹配度: the helped museum's needs that the
helper offers). Whatever the rules row holds, the solver reads it clamped into RULE_LIMITS, and a helper never gets
more slots than there are museums to place, so no stored value can make it fail or run out of memory.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from bangfu.core.areas import Area
from bangfu.museums.models import Museum, MuseumArea, Offering

from .models import RULE_LIMITS, Pairing, PairingExclusion, ProgrammeRules


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    lat: float | None
    lng: float | None
    areas: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Helper(Candidate):
    capacity: int = 0


@dataclass
class Suggestion:
    helper_id: int
    helped_id: int
    helper_name: str
    helped_name: str
    km: float
    fit: int
    areas: list[str]
    cost: float
    needs: int = 0  # how many needs the helped museum has entered (fit of needs)

    @property
    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas]


@dataclass
class Proposal:
    suggestions: list[Suggestion] = field(default_factory=list)
    objective: float = 0.0
    unassigned: list[dict] = field(default_factory=list)
    weights: dict = field(default_factory=dict)
    # Helpers with free places the solver could not use because their position is unknown.
    helpers_without_position: list[dict] = field(default_factory=list)

    @property
    def total_km(self) -> float:
        return round(sum(s.km for s in self.suggestions), 1)

    @property
    def average_km(self) -> float | None:
        return round(self.total_km / len(self.suggestions), 1) if self.suggestions else None

    @property
    def total_fit(self) -> int:
        """Needs met, summed over the suggestions."""
        return sum(s.fit for s in self.suggestions)

    def as_json(self) -> dict:
        return {
            "suggestions": [
                {"helper_id": s.helper_id, "helped_id": s.helped_id, "helper": s.helper_name, "helped": s.helped_name,
                 "km": s.km, "fit": s.fit, "needs": s.needs, "areas": s.areas, "cost": round(s.cost, 3)}
                for s in self.suggestions
            ],
            "objective": round(self.objective, 3),
            "total_km": self.total_km,
            "total_fit": self.total_fit,
            "count": len(self.suggestions),
            "unassigned": self.unassigned,
            "weights": self.weights,
        }


def _km_matrix(helped: list[Candidate], helpers: list[Helper]) -> np.ndarray:
    """Great-circle distances (haversine, mean Earth radius), vectorised."""
    lat1 = np.radians(np.array([h.lat for h in helped], dtype=float))[:, None]
    lng1 = np.radians(np.array([h.lng for h in helped], dtype=float))[:, None]
    lat2 = np.radians(np.array([h.lat for h in helpers], dtype=float))[None, :]
    lng2 = np.radians(np.array([h.lng for h in helpers], dtype=float))[None, :]
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def bounded(name: str, value, default):
    """`value` clamped into RULE_LIMITS[name]; `default` when it is missing or not a finite number."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    if not math.isfinite(value):
        return default
    low, high = RULE_LIMITS[name]
    return min(max(value, low), high)


def _placed(museum: Candidate) -> bool:
    return (museum.lat is not None and museum.lng is not None and math.isfinite(museum.lat)
            and math.isfinite(museum.lng))


def solve(
    helped: list[Candidate], helpers: list[Helper], *, distance_weight: float, fit_weight: float,
    excluded: set[tuple[int, int]] = frozenset(), max_km: float | None = None,
) -> Proposal:
    """The optimal assignment for the given candidates (pure function: no database)."""
    distance_weight = bounded("distance_weight", distance_weight, 1.0)
    fit_weight = bounded("fit_weight", fit_weight, 60.0)
    max_km = bounded("max_distance_km", max_km, None)
    weights = {"distance_weight": distance_weight, "fit_weight": fit_weight, "max_distance_km": max_km}
    helped = [h for h in helped if _placed(h)]
    helpers = [h for h in helpers if h.capacity > 0 and _placed(h)]
    if not helped or not helpers:
        return Proposal(weights=weights)
    km = _km_matrix(helped, helpers)
    fit = np.array([[len(i.areas & j.areas) for j in helpers] for i in helped], dtype=float)
    cost = distance_weight * km - fit_weight * fit
    allowed = np.ones_like(cost, dtype=bool)
    if max_km is not None:
        allowed &= km <= max_km
    index_helped = {h.id: n for n, h in enumerate(helped)}
    index_helper = {h.id: n for n, h in enumerate(helpers)}
    for helper_id, helped_id in excluded:
        if helped_id in index_helped and helper_id in index_helper:
            allowed[index_helped[helped_id], index_helper[helper_id]] = False
    for museum_id in index_helped.keys() & index_helper.keys():  # a museum that both helps and is helped
        allowed[index_helped[museum_id], index_helper[museum_id]] = False
    big = (np.abs(cost).max() + 1.0) * (len(helped) + 1) * 10.0
    # More slots than museums to place are never used: this keeps the matrix small whatever the capacity.
    slots = np.repeat(np.arange(len(helpers)), [min(h.capacity, len(helped)) for h in helpers])
    matrix = np.where(allowed, cost, big)[:, slots]
    rows, cols = linear_sum_assignment(matrix)
    proposal = Proposal(weights=weights)
    for r, c in zip(rows, cols, strict=True):
        j = slots[c]
        if not allowed[r, j]:
            continue
        i_m, j_m = helped[r], helpers[j]
        common = sorted(i_m.areas & j_m.areas)
        proposal.suggestions.append(Suggestion(
            helper_id=j_m.id, helped_id=i_m.id, helper_name=j_m.name, helped_name=i_m.name,
            km=round(float(km[r, j]), 1), fit=len(common), areas=common, cost=float(cost[r, j]),
            needs=len(i_m.areas),
        ))
        proposal.objective += float(cost[r, j])
    proposal.suggestions.sort(key=lambda s: (s.helper_name, s.km))
    return proposal


def _areas_by_museum(kind: str, museum_ids) -> dict[int, frozenset[str]]:
    found = defaultdict(set)
    for museum_id, area in MuseumArea.objects.filter(kind=kind, museum_id__in=museum_ids).values_list(
            "museum_id", "area"):
        found[museum_id].add(area)
    return {k: frozenset(v) for k, v in found.items()}


def propose(*, rules: ProgrammeRules | None = None) -> Proposal:
    """Suggestions from the current registry and pairings (reads only; saves nothing)."""
    rules = rules or ProgrammeRules.current()
    capacity = int(bounded("max_helped_per_helper", rules.max_helped_per_helper, 3))
    open_pairings = Pairing.objects.open()
    paired = set(open_pairings.filter(is_primary=True).values_list("helped_id", flat=True))
    load = defaultdict(int)
    for helper_id in open_pairings.values_list("helper_id", flat=True):
        load[helper_id] += 1
    helped_rows = list(Museum.objects.helped().exclude(pk__in=paired).values_list("id", "name", "lat", "lng"))
    helper_rows = list(Museum.objects.helpers().values_list("id", "name", "lat", "lng"))
    needs = _areas_by_museum(Offering.NEED, [r[0] for r in helped_rows])
    offers = _areas_by_museum(Offering.OFFER, [r[0] for r in helper_rows])
    helped = [Candidate(i, n, la, ln, needs.get(i, frozenset())) for i, n, la, ln in helped_rows]
    helpers = [Helper(i, n, la, ln, offers.get(i, frozenset()), capacity=capacity - load[i])
               for i, n, la, ln in helper_rows]
    excluded = set()
    for a, b in PairingExclusion.objects.values_list("museum_a_id", "museum_b_id"):
        excluded |= {(a, b), (b, a)}
    excluded |= set(open_pairings.values_list("helper_id", "helped_id"))  # already paired (e.g. not as primary)
    proposal = solve(helped, helpers, distance_weight=rules.distance_weight, fit_weight=rules.fit_weight,
                     excluded=excluded, max_km=rules.max_distance_km)
    proposal.weights["max_helped_per_helper"] = capacity
    proposal.helpers_without_position = [
        {"id": h.id, "name": h.name, "capacity": h.capacity} for h in helpers if h.capacity > 0 and not _placed(h)]
    assigned = {s.helped_id for s in proposal.suggestions}
    for candidate in helped:
        if candidate.id not in assigned:
            reason = "位置未知" if not _placed(candidate) else "没有可用的帮扶方名额（或均被排除、超出距离）"
            proposal.unassigned.append({"helped_id": candidate.id, "helped": candidate.name, "reason": reason})
    return proposal


