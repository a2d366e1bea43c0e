"""Reads of the ledger shared by the ledger page, its chart and the Excel export."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from bangfu.core.areas import Area
from bangfu.core.params import int_param, text_param
from bangfu.core.scopes import museum_scope
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing

from .models import (
    ENDED,
    PLACES,
    QUANTITIES,
    QUANTITY_FIELDS,
    SUMMARISED,
    Confirmation,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerSummary,
)

# The state filter: (value of ?state=, label). The default (empty) is "confirmed": what counts. The totals are
# those of the listed rows, so pending entries count only when the filter asks for them; void and withdrawn
# entries are listed when asked for but never counted.
ALL_STATES = "all"
STATES = [
    ("", "已确认"),
    (Confirmation.PENDING, "待对方确认"),
    (Confirmation.REJECTED, "对方有异议"),
    (Confirmation.VOID, "已作废"),
    (Confirmation.WITHDRAWN, "已撤回"),
    (ALL_STATES, "全部状态"),
]
# What the totals, the cards and the chart measure: (key in totals, label, unit) — the count of entries, then the
# five quantities.
MEASURES = [("entries", "台账记录", "条"), *((q.name, q.label, q.unit) for q in QUANTITIES)]
SUMS = {name: Sum(name) for name in QUANTITY_FIELDS}


@dataclass
class LedgerFilters:
    """The filters of a request, cleaned: unknown or malformed values are ignored, never an error."""

    year: int | None = None
    area: str = ""
    helper: int | None = None
    helped: int | None = None
    city: int | None = None
    state: str = ""
    q: str = ""
    pairing: int | None = None

    @classmethod
    def from_params(cls, params: Mapping) -> LedgerFilters:
        state = text_param(params, "state")
        area = text_param(params, "area")
        return cls(
            year=int_param(params, "year", minimum=1901, maximum=2199),
            area=area if area in Area.values else "",
            helper=int_param(params, "helper"),
            helped=int_param(params, "helped"),
            city=int_param(params, "city"),
            state=state if state in {s for s, _ in STATES} else "",
            q=text_param(params, "q"),
            pairing=int_param(params, "pairing"),
        )

    @property
    def counts_unconfirmed(self) -> bool:
        """Whether the listed rows (and so the totals) include entries not confirmed yet."""
        return self.state in (Confirmation.PENDING, Confirmation.REJECTED, ALL_STATES)

    @property
    def lists_ended_only(self) -> bool:
        """Whether the filter lists only void or withdrawn entries: rows that never count, so nothing to total."""
        return self.state in ENDED

    @property
    def state_label(self) -> str:
        return dict(STATES)[self.state]

    def apply(self, entries: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
        if self.state == "":
            entries = entries.filter(confirmation=Confirmation.CONFIRMED)
        elif self.state != ALL_STATES:
            entries = entries.filter(confirmation=self.state)
        if self.year:
            entries = entries.filter(date__year=self.year)
        if self.area:
            entries = entries.filter(area=self.area)
        if self.helper:
            entries = entries.filter(helper_id=self.helper)
        if self.helped:
            entries = entries.filter(helped_id=self.helped)
        if self.city:  # either party in the city, as a city supervisor's jurisdiction
            entries = entries.filter(Q(helper__city_id=self.city) | Q(helped__city_id=self.city))
        if self.pairing:
            entries = entries.filter(pairing_id=self.pairing)
        if self.q:
            entries = entries.filter(
                Q(kind__icontains=self.q) | Q(description__icontains=self.q) | Q(helper__name__icontains=self.q)
                | Q(helped__name__icontains=self.q) | Q(source_label__icontains=self.q)
            )
        return entries


def filter_entries(entries: QuerySet[LedgerEntry], params: Mapping) -> tuple[QuerySet[LedgerEntry], LedgerFilters]:
    filters = LedgerFilters.from_params(params)
    return filters.apply(entries), filters


def totals(entries: QuerySet[LedgerEntry]) -> dict:
    """Count and sums of the quantities (one query); empty sums are 0. Void and withdrawn entries never count."""
    result = entries.counted().order_by().aggregate(entries=Count("id"), **SUMS)
    return rounded({key: result[key] or 0 for key, _, _ in MEASURES})


def rounded(figures: dict) -> dict:
    """`figures` with each decimal quantity rounded to its field's places."""
    return {key: (Decimal(value).quantize(PLACES[key]) if key in PLACES else value) for key, value in figures.items()}


def cards(totals: dict) -> list[tuple[str, str, str, int | Decimal]]:
    """(key, label, unit, total) of each measure, for the stat cards above a list of entries."""
    return [(key, label, unit, totals[key]) for key, label, unit in MEASURES]


def _series(rows: list[dict]) -> dict:
    rows = [rounded({key: r.get(key) or 0 for key, _, _ in MEASURES}) for r in rows]
    return {key: [_number(r[key]) for r in rows] for key, _, _ in MEASURES}


def _number(value) -> float | int:
    if value is None:
        return 0
    return float(value) if isinstance(value, Decimal) else value


def chart_data(entries: QuerySet[LedgerEntry]) -> dict:
    """The chart's data: each quantity by area (seven bars) and by month (two queries, whatever the rows). Void and
    withdrawn entries are left out, as from the totals."""
    entries = entries.counted()
    aggregates = {"entries": Count("id"), **SUMS}
    by_area = {r["area"]: r for r in entries.order_by().values("area").annotate(**aggregates)}
    area_rows = [by_area.get(a.value, {"area": a.value}) for a in Area]
    by_month = _fill_months(list(
        entries.order_by().annotate(month=TruncMonth("date")).values("month").annotate(**aggregates).order_by("month")
    ))
    return {
        "measures": [{"key": k, "label": label, "unit": unit} for k, label, unit in MEASURES],
        "areas": {"names": [a.label for a in Area], **_series(area_rows)},
        "months": {"names": [f"{r['month']:%Y-%m}" for r in by_month], **_series(by_month)},
    }


def _fill_months(rows: list[dict]) -> list[dict]:
    """Months without entries between the first and the last, as zeros, so the time axis has no jumps."""
    if not rows:
        return rows
    found = {(r["month"].year, r["month"].month): r for r in rows}
    year, month = rows[0]["month"].year, rows[0]["month"].month
    last = (rows[-1]["month"].year, rows[-1]["month"].month)
    filled = []
    while (year, month) <= last:
        filled.append(found.get((year, month)) or {"month": datetime.date(year, month, 1)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def years_of(rows, *, chosen: int | None = None, field: str = "date") -> list[int]:
    """The years the filter offers: from the first row's to the last's (one MIN/MAX query over entries, or over
    summary rows with `field="month"`), and the year `chosen` in the filter even when no entry has it, so the
    filter shows what it does."""
    span = rows.order_by().aggregate(first=Min(field), last=Max(field))
    years = [] if span["first"] is None else list(range(span["last"].year, span["first"].year - 1, -1))
    if chosen and chosen not in years:
        years = sorted([*years, chosen], reverse=True)
    return years


def default_pairing(*, helper: Museum, helped: Museum) -> Pairing | None:
    """The pairing a manual entry belongs to when none was chosen: the two museums' open pairing, if any (so the
    entry shows on the pairing's page)."""
    return Pairing.objects.open().filter(helper=helper, helped=helped).first()


# --- reading the summary --------------------------------------------------------------------------------------
#
# The totals and the chart of the list read the ledger's summary (`LedgerSummary`: month × area × helper × helped ×
# pairing × state; `LedgerMonthTotal`: month × area × state) instead of every entry. The summary answers every
# filter but the free-text search (a word in the description is in no summary row) and the lists of void or
# withdrawn entries only (never summarised: they have no totals): those two read the entries, as before.

SUMMARY_STATES = {
    "": [Confirmation.CONFIRMED],
    Confirmation.PENDING: [Confirmation.PENDING],
    Confirmation.REJECTED: [Confirmation.REJECTED],
    ALL_STATES: list(SUMMARISED),
}


def summary_rows(user, filters: LedgerFilters) -> QuerySet | None:
    """The summary rows behind the totals of what `user` sees through `filters`; None when only the entries can
    answer. The association without a filter on the museums reads the per-month table (a few hundred rows for ten
    years); everyone else the per-museum one, scoped as the entries are."""
    if filters.q or filters.lists_ended_only:
        return None
    states = SUMMARY_STATES[filters.state]
    by_museum = filters.helper or filters.helped or filters.city or filters.pairing
    if museum_scope(user, "helper", "helped") is None and not by_museum:
        rows = LedgerMonthTotal.objects.filter(state__in=states)
    else:
        rows = LedgerSummary.objects.visible_to(user).filter(state__in=states)
        if filters.helper:
            rows = rows.filter(helper_id=filters.helper)
        if filters.helped:
            rows = rows.filter(helped_id=filters.helped)
        if filters.city:
            rows = rows.filter(Q(helper__city_id=filters.city) | Q(helped__city_id=filters.city))
        if filters.pairing:
            rows = rows.filter(pairing_id=filters.pairing)
    if filters.year:
        rows = rows.filter(month__gte=datetime.date(filters.year, 1, 1),
                           month__lt=datetime.date(filters.year + 1, 1, 1))
    if filters.area:
        rows = rows.filter(area=filters.area)
    return rows


SUMMARY_SUMS = {"entries": Sum("entries"), **SUMS}


def summary_totals(rows: QuerySet) -> dict:
    """Count and sums of summary rows (one query), as `totals` gives them for entries."""
    result = rows.order_by().aggregate(**SUMMARY_SUMS)
    return rounded({key: result[key] or 0 for key, _, _ in MEASURES})


def summary_figures(rows: QuerySet, *, count=None) -> tuple[dict, dict]:
    """The totals and the chart's data (as `totals` and `chart_data` give them for entries) from summary rows, in
    one query: the rows grouped by month and area (at most 12 × 7 a year), added up here. Entries annotated with
    their `month` are grouped the same way with `count=Count("id")`."""
    sums = SUMMARY_SUMS if count is None else {"entries": count, **SUMS}
    cells = list(rows.order_by().values("month", "area").annotate(**sums))
    keys = [key for key, _, _ in MEASURES]
    total = dict.fromkeys(keys, 0)
    by_area: dict[str, dict] = {}
    by_month: dict[datetime.date, dict] = {}
    for cell in cells:
        month = cell["month"].date() if isinstance(cell["month"], datetime.datetime) else cell["month"]
        area_row = by_area.setdefault(cell["area"], {"area": cell["area"], **dict.fromkeys(keys, 0)})
        month_row = by_month.setdefault(month, {"month": month, **dict.fromkeys(keys, 0)})
        for key in keys:
            value = cell[key] or 0
            total[key] += value
            area_row[key] += value
            month_row[key] += value
    total = rounded(total)
    area_rows = [rounded(by_area[a.value]) if a.value in by_area else {"area": a.value} for a in Area]
    month_rows = _fill_months([rounded(by_month[m]) for m in sorted(by_month)])
    chart = {
        "measures": [{"key": k, "label": label, "unit": unit} for k, label, unit in MEASURES],
        "areas": {"names": [a.label for a in Area], **_series(area_rows)},
        "months": {"names": [f"{r['month']:%Y-%m}" for r in month_rows], **_series(month_rows)},
    }
    return total, chart


@dataclass
class Figures:
    """What the ledger list shows above its rows: totals, chart, and how many rows the filter lists (None: let
    the paginator count them)."""

    totals: dict
    chart: dict
    listed: int | None


def list_figures(user, entries: QuerySet[LedgerEntry], filters: LedgerFilters) -> Figures:
    """The list's totals and chart from the summary where it can answer, else from the filtered `entries`; the
    number of listed rows from the summary's count (plus the few void and withdrawn entries "all states" lists),
    so the paginator does not count every matching entry."""
    rows = summary_rows(user, filters)
    if rows is None and filters.lists_ended_only:  # void and withdrawn entries count nowhere: zeros, no query
        return Figures(*summary_figures(LedgerSummary.objects.none()), None)
    if rows is None:  # a free-text search: one pass over the matching entries, grouped as the summary is
        rows = entries.counted().annotate(month=TruncMonth("date"))
        total, chart = summary_figures(rows, count=Count("id"))
    else:
        total, chart = summary_figures(rows)
    listed = total["entries"]
    if filters.state == ALL_STATES:
        listed += entries.filter(confirmation__in=ENDED).count()
    return Figures(total, chart, listed)


def pairing_label(user, pk: int | None) -> str:
    """A pairing the user may see named by its museums, e.g. 「太原市博物馆 — 阳曲县博物馆」 (empty when there is
    none, or when the user may not see it: the filter does not tell who is paired with whom)."""
    pairing = Pairing.objects.visible_to(user).with_parties().filter(pk=pk).first() if pk else None
    return f"{pairing.helper.name} — {pairing.helped.name}" if pairing else ""


def entry_for(source_type: str, source_id: int) -> LedgerEntry | None:
    """The ledger entry a module's record wrote (source `app.model` and its id), or None: one lookup for the pages
    and services that link a completed piece of help to its entry."""
    return LedgerEntry.objects.filter(source_type=source_type, source_id=source_id).first()
