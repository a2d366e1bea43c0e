"""Keeping the ledger's summary (`LedgerSummary`, `LedgerMonthTotal`, `LedgerMuseumTotal`) in step with its entries.

Each service that changes whether or how an entry counts takes the entry's `contribution` before the change and
calls `change(before=…, after=entry)` after it, inside its transaction: the rows the entry left lose its figures,
the rows it joined gain them. Increments are `F()` updates (atomic under concurrency on PostgreSQL; SQLite writes
one at a time), a missing row is inserted in a savepoint and, if another transaction inserted it first, updated
instead; rows are touched in key order so two transactions never wait for each other in a circle. A row whose
count reaches zero is deleted. `recount` rebuilds both tables from the entries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth

from .models import (
    PLACES,
    QUANTITY_FIELDS,
    SUMMARISED,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerMuseumTotal,
    LedgerSummary,
)

FIGURES = ["entries", *QUANTITY_FIELDS]
SUMMARY_KEY = ("month", "area", "helper_id", "helped_id", "pairing_id", "state")
MONTH_KEY = ("month", "area", "state")
MUSEUM_KEY = ("museum_id", "side", "state")


@dataclass(frozen=True)
class Contribution:
    """What one entry adds to the summary: its row's key and its figures (`entries` is 1)."""

    month: datetime.date
    area: str
    helper_id: int
    helped_id: int
    pairing_id: int | None
    state: str
    figures: tuple

    def keys(self, names) -> list[tuple]:
        """The keys of the rows of a table (`names`) the entry is in: one, or two in the per-museum table (its
        helper's and its helped museum's)."""
        if names == MUSEUM_KEY:
            return [(self.helper_id, "helper", self.state), (self.helped_id, "helped", self.state)]
        return [tuple(getattr(self, name) for name in names)]


def contribution(entry: LedgerEntry) -> Contribution | None:
    """The entry's share of the summary now (None for a void or withdrawn entry: it is in no row)."""
    if entry.confirmation not in SUMMARISED:
        return None
    return Contribution(
        month=entry.date.replace(day=1), area=entry.area, helper_id=entry.helper_id, helped_id=entry.helped_id,
        pairing_id=entry.pairing_id, state=str(entry.confirmation),
        # as the columns store them (a float from a caller is rounded to the field's places, as the save did)
        figures=(1, *(Decimal(str(getattr(entry, name) or 0)).quantize(PLACES.get(name, Decimal(1)))
                      for name in QUANTITY_FIELDS)),
    )


def change(*, before: Contribution | None, after: LedgerEntry | None) -> None:
    """Move the entry's figures from the rows of `before` (taken before the change) to those of `after` (the entry as
    saved; None when it was deleted). Nothing is written when neither its key nor its figures changed."""
    now = contribution(after) if after is not None else None
    if before == now:
        return
    for model, names in ((LedgerSummary, SUMMARY_KEY), (LedgerMonthTotal, MONTH_KEY), (LedgerMuseumTotal, MUSEUM_KEY)):
        deltas: dict[tuple, list[Decimal]] = {}
        for part, sign in ((before, -1), (now, 1)):
            if part is None:
                continue
            for key in part.keys(names):
                row = deltas.setdefault(key, [Decimal(0)] * len(FIGURES))
                for i, value in enumerate(part.figures):
                    row[i] += sign * value
        for key in sorted(deltas, key=_sortable):
            if any(deltas[key]):
                _apply(model, dict(zip(names, key, strict=True)), deltas[key])


def _sortable(key: tuple) -> tuple:
    return tuple((value is None, value if value is not None else 0) for value in key)


def _apply(model, key: dict, delta: list[Decimal]) -> None:
    updates = {name: F(name) + _plain(name, value) for name, value in zip(FIGURES, delta, strict=True) if value}
    rows = model.objects.filter(**_lookup(key))
    if rows.update(**updates):
        if delta[0] < 0:
            model.objects.filter(**_lookup(key), entries=0).delete()
        return
    if delta[0] < 0:  # removing from a row that is not there: the summary was already wrong; a recount fixes it
        raise RuntimeError(f"ledger summary row missing for {key}: run recount_ledger_summary")
    try:
        with transaction.atomic():
            model.objects.create(**key, **{name: _plain(name, value) for name, value in zip(FIGURES, delta,
                                                                                              strict=True)})
    except IntegrityError:  # another transaction inserted the row since our update found none
        rows.update(**updates)


def _lookup(key: dict) -> dict:
    return {(f"{name}__isnull" if value is None else name): (True if value is None else value)
            for name, value in key.items()}


def _plain(name: str, value: Decimal):
    return value if name in PLACES else int(value)


# --- rebuilding ---------------------------------------------------------------------------------------------


SUMS = {name: Sum(name) for name in QUANTITY_FIELDS}


def expected_rows() -> list[dict]:
    """The summary's rows as a full recount of the entries gives them (one GROUP BY query)."""
    rows = (LedgerEntry.objects.filter(confirmation__in=SUMMARISED).order_by()
            .annotate(month=TruncMonth("date"))
            .values("month", "area", "helper_id", "helped_id", "pairing_id", "confirmation")
            .annotate(entries=Count("id"), **SUMS))
    return [{"month": _as_date(r["month"]), "area": r["area"], "helper_id": r["helper_id"],
             "helped_id": r["helped_id"], "pairing_id": r["pairing_id"], "state": r["confirmation"],
             **{name: r[name] or 0 for name in FIGURES}} for r in rows]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def month_rows(rows: list[dict]) -> list[dict]:
    """The per-month totals of summary rows."""
    return _rolled_up(rows, MONTH_KEY, lambda row: [(row["month"], row["area"], row["state"])])


def museum_rows(rows: list[dict]) -> list[dict]:
    """The per-museum totals of summary rows (each row counts for its helper and for its helped museum)."""
    return _rolled_up(rows, MUSEUM_KEY, lambda row: [(row["helper_id"], "helper", row["state"]),
                                                     (row["helped_id"], "helped", row["state"])])


def _rolled_up(rows: list[dict], names, keys_of) -> list[dict]:
    found: dict[tuple, dict] = {}
    for row in rows:
        for key in keys_of(row):
            total = found.setdefault(key, {**dict(zip(names, key, strict=True)), **dict.fromkeys(FIGURES, 0)})
            for name in FIGURES:
                total[name] += row[name]
    return list(found.values())


@transaction.atomic
def recount() -> int:
    """Rebuild the summary tables from the entries; returns the number of per-museum rows. Writes to the ledger
    wait while it runs (a few seconds for a country's ten years); on SQLite, which writes one transaction at a
    time, a write committed meanwhile makes this transaction fail rather than count a stale snapshot."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {LedgerEntry._meta.db_table} IN SHARE MODE")
    rows = expected_rows()
    for model in (LedgerSummary, LedgerMonthTotal, LedgerMuseumTotal):
        model.objects.all().delete()
    LedgerSummary.objects.bulk_create([LedgerSummary(**row) for row in rows], batch_size=2000)
    LedgerMonthTotal.objects.bulk_create([LedgerMonthTotal(**row) for row in month_rows(rows)], batch_size=2000)
    LedgerMuseumTotal.objects.bulk_create([LedgerMuseumTotal(**row) for row in museum_rows(rows)], batch_size=2000)
    return len(rows)


def stored_rows() -> tuple[list[dict], list[dict], list[dict]]:
    """The three tables' rows as plain dicts (for the comparison with a recount)."""
    return (list(LedgerSummary.objects.values(*SUMMARY_KEY, *FIGURES)),
            list(LedgerMonthTotal.objects.values(*MONTH_KEY, *FIGURES)),
            list(LedgerMuseumTotal.objects.values(*MUSEUM_KEY, *FIGURES)))


def _normalised(rows: list[dict], names) -> dict[tuple, tuple]:
    """Rows by key, their figures exact to the fields' places (SQLite adds decimals as floating point)."""
    return {tuple(r[n] for n in names): tuple(Decimal(str(r[f])).quantize(PLACES.get(f, Decimal(1))) for f in FIGURES)
            for r in rows if r["entries"]}


def differences() -> int:
    """How many rows of the stored summary differ from a full recount (0 when it is exact)."""
    expected = expected_rows()
    fine, months, museums = stored_rows()
    count = 0
    for stored, wanted, names in ((fine, expected, SUMMARY_KEY), (months, month_rows(expected), MONTH_KEY),
                                  (museums, museum_rows(expected), MUSEUM_KEY)):
        have, want = _normalised(stored, names), _normalised(wanted, names)
        count += sum(1 for key in have.keys() | want.keys() if have.get(key) != want.get(key))
    return count
