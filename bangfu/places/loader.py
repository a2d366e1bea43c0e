"""Loading the divisions from the project's copy of the reference data (idempotent)."""

import csv
from pathlib import Path

from django.db import transaction

from .models import Division, Level

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_divisions(path: Path = DATA_DIR / "shanxi_divisions.csv") -> int:
    """Create or update every division of the file; returns how many rows were read."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {}
    for level in (Level.PROVINCE, Level.CITY, Level.COUNTY):
        for row in (r for r in rows if r["level"] == level):
            division, _ = Division.objects.update_or_create(
                code=row["adcode"],
                defaults={
                    "name": row["name"],
                    "level": level,
                    "parent": by_code.get(row["parent_adcode"]),
                    "kind": row["division_type"],
                    "lng": float(row["lng"]),
                    "lat": float(row["lat"]),
                },
            )
            by_code[division.code] = division
    return len(rows)
