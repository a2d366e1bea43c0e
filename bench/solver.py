"""The pairing solver at national scale: how long one optimal proposal takes.

    .venv/bin/python bench/solver.py [--helped 4763] [--helpers 777] [--capacity 3] [--seed 2024]

A national instance like the bench fixture's (DESIGN.md: ~7,000 museums): helped museums and helpers placed at
random over the mainland's extent, needs and offers in the seven areas, a few exclusions, each helper with 0–3
spare places. Times `bangfu.pairings.suggest.solve` (cost matrix + scipy's linear_sum_assignment), the same
function `propose()` and `suggest_pairings` call after reading the database. Prints the figures; not a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AREAS = ["exhibition", "loan", "conservation", "creative", "education", "research", "people"]


def instance(args):
    from bangfu.pairings.suggest import Candidate, Helper

    rng = random.Random(args.seed)

    def place():
        return rng.uniform(22.0, 45.0), rng.uniform(98.0, 125.0)

    helped = [Candidate(100_000 + i, f"受援馆{i}", *place(), frozenset(rng.sample(AREAS, rng.randint(0, 3))))
              for i in range(args.helped)]
    helpers = [Helper(1 + j, f"帮扶馆{j}", *place(), frozenset(rng.sample(AREAS, rng.randint(1, 4))),
                      capacity=rng.randint(0, args.capacity)) for j in range(args.helpers)]
    excluded = {(rng.choice(helpers).id, rng.choice(helped).id) for _ in range(args.helped // 20)}
    return helped, helpers, excluded


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helped", type=int, default=4763)
    parser.add_argument("--helpers", type=int, default=777)
    parser.add_argument("--capacity", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--max-km", type=float, default=None)
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from bangfu.pairings.suggest import solve

    helped, helpers, excluded = instance(args)
    slots = sum(h.capacity for h in helpers)
    started = time.perf_counter()
    proposal = solve(helped, helpers, distance_weight=1.0, fit_weight=60.0, excluded=excluded, max_km=args.max_km)
    seconds = time.perf_counter() - started
    print(f"pairing solver, national instance: {len(helped)} helped museums × {slots} helper places "
          f"({len(helpers)} helpers, {len(excluded)} exclusions)")
    print(f"  solved in {seconds:.2f} s: {len(proposal.suggestions)} suggestions, "
          f"objective {proposal.objective:,.1f}, mean distance "
          f"{sum(s.km for s in proposal.suggestions) / max(1, len(proposal.suggestions)):.0f} km")


if __name__ == "__main__":
    main()
