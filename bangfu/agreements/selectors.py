"""Reads for the agreement pages: the pairing page in a fixed number of queries, the timeline, quarters; the
association's overview of the pairings, which reads both pairings and agreements."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bangfu.core.params import int_param
from bangfu.core.scopes import museum_scope
from bangfu.ledger.models import Confirmation, LedgerEntry, LedgerSummary
from bangfu.ledger.selectors import cards as ledger_cards
from bangfu.ledger.selectors import summary_totals as ledger_totals
from bangfu.museums.models import Museum, MuseumArea, Offering
from bangfu.pairings.models import OPEN_STATUSES, Pairing, ProgrammeRules
from bangfu.pairings.selectors import status_counts
from bangfu.parties import side_of

from .models import Agreement, AgreementStatus, AgreementTask, ProgressReport, Side, TaskStatus
from .services import (
    agreement_content,
    area_order,
    confirming_side,
    content_changes,
    nobody_to_confirm,
    quarter_of,
    terms_fingerprint,
)

BOARD_COLUMNS = [TaskStatus.TODO, TaskStatus.DOING, TaskStatus.DONE, TaskStatus.CANCELLED]
LEDGER_ROWS = 30


def current_quarter_initial() -> dict[str, int]:
    year, quarter = quarter_of(timezone.localdate())
    return {"year": year, "quarter": quarter}


def requested_quarter(params) -> tuple[int, int]:
    """?year=&quarter= when both are sensible, else the current quarter."""
    wanted = int_param(params, "year", minimum=2000, maximum=2100), int_param(params, "quarter", minimum=1, maximum=4)
    return wanted if None not in wanted else quarter_of(timezone.localdate())


def awaiting_confirmation_by(user):
    """Agreements submitted for confirmation that wait for the user's museum: for its museum admins (who confirm),
    of running pairings, not yet confirmed by that museum."""
    if not (user.is_authenticated and user.is_active and user.role == "museum_admin" and user.museum_id):
        return Agreement.objects.none()
    museum = user.museum_id
    return Agreement.objects.filter(status=AgreementStatus.AWAITING, pairing__status__in=OPEN_STATUSES).filter(
        Q(pairing__helper_id=museum, helper_confirmed_at__isnull=True)
        | Q(pairing__helped_id=museum, helped_confirmed_at__isnull=True),
    ).select_related("pairing__helper", "pairing__helped").order_by("updated_at", "pk")


def report_of(*, pairing: Pairing, user, year: int, quarter: int) -> ProgressReport | None:
    side = side_of(user, pairing)
    if side is None:
        return None
    return ProgressReport.objects.filter(pairing=pairing, side=side, year=year, quarter=quarter).first()


def timeline(agreement: Agreement, tasks: list[AgreementTask]) -> dict:
    """What the timeline chart draws: each task from when it was planned to its due date, its completion,
    the agreement's term and today."""
    today = timezone.localdate()
    rows = []
    for task in tasks:
        planned = max(agreement.term_start, min(timezone.localdate(task.created_at), task.due_date))
        rows.append({
            "id": task.pk, "name": task.title, "start": planned.isoformat(), "due": task.due_date.isoformat(),
            "done": timezone.localdate(task.completed_at).isoformat() if task.completed_at else None,
            "status": task.status, "status_label": task.get_status_display(), "overdue": task.is_overdue,
            "progress": task.progress, "url": reverse("agreements:task", args=[task.pk]),
        })
    return {"today": today.isoformat(), "term": [agreement.term_start.isoformat(), agreement.term_end.isoformat()],
            "tasks": rows}


def _reports_by_quarter(pairing: Pairing) -> list[dict]:
    """Newest quarter first, each with the helper's and the helped museum's report (or None)."""
    found: dict[tuple[int, int], dict[str, ProgressReport]] = {}
    for report in pairing.reports.select_related("author"):
        found.setdefault((report.year, report.quarter), {})[report.side] = report
    return [{"year": year, "quarter": quarter,
             "sides": [{"key": side, "label": Side(side).label, "report": found[year, quarter].get(side)}
                       for side in ("helper", "helped")]}
            for year, quarter in sorted(found, reverse=True)]


def pairing_page(*, pairing: Pairing, user) -> dict:
    """The context of the pairing page."""
    today = timezone.localdate()
    agreement = Agreement.objects.select_related("helper_confirmed_by", "helped_confirmed_by").filter(
        pairing=pairing).first()
    goals, tasks, versions, changes = [], [], [], {}
    if agreement is not None:
        agreement.pairing = pairing
        goals = sorted(agreement.goals.all(), key=lambda g: (area_order(g.area), g.pk))
        tasks = list(agreement.tasks.select_related("responsible").annotate(evidence_count=Count("evidence")))
        versions = list(agreement.versions.defer("content"))
        if versions and agreement.status != AgreementStatus.CONFIRMED:
            latest = agreement.versions.only("content").get(pk=versions[0].pk)
            changes = content_changes(latest.content, agreement_content(agreement, goals=goals, tasks=tasks))
    board = [{"status": s.value, "label": s.label, "tasks": [t for t in tasks if t.status == s]}
             for s in BOARD_COLUMNS]
    if not board[-1]["tasks"]:
        board.pop()  # no cancelled tasks: no empty column for them
    side = side_of(user, pairing)
    year, quarter = quarter_of(today)
    reports = _reports_by_quarter(pairing)
    my_report = next((s["report"] for r in reports if (r["year"], r["quarter"]) == (year, quarter)
                      for s in r["sides"] if s["key"] == side), None)
    ledger = LedgerEntry.objects.filter(pairing=pairing)
    ledger_rows = list(ledger.select_related("recorded_by")[:LEDGER_ROWS])
    totals = ledger_totals(LedgerSummary.objects.filter(pairing=pairing, state=Confirmation.CONFIRMED))
    can_edit = user.has_perm("agreements.edit_agreement", pairing) and pairing.is_open
    may_confirm = confirming_side(user, pairing)
    confirm_side = None
    if agreement is not None and agreement.status == AgreementStatus.AWAITING and may_confirm and pairing.is_open \
            and not getattr(agreement, f"{may_confirm}_confirmed_at"):
        confirm_side = may_confirm
    return {
        "pairing": pairing, "agreement": agreement, "goals": goals, "tasks": tasks, "board": board,
        "overdue_count": sum(1 for t in tasks if t.is_overdue), "versions": versions, "amendment_changes": changes,
        "timeline": timeline(agreement, tasks) if agreement is not None else None,
        "reports": reports, "my_report": my_report, "my_side": side, "current_quarter": (year, quarter),
        "ledger_entries": ledger_rows,
        "ledger_totals": totals, "ledger_cards": ledger_cards(totals),
        "terms_fingerprint": terms_fingerprint(agreement) if confirm_side else "",  # what counts, as on the ledger page
        "ledger_pending": sum(1 for e in ledger_rows if e.confirmation in ("pending", "rejected")),
        "can_edit": can_edit, "can_update": user.has_perm("agreements.update_task", pairing) and pairing.is_open,
        "can_report": user.has_perm("agreements.write_report", pairing),
        "can_manage": user.has_perm("pairings.manage_pairings"),
        "confirmations": [
            {"key": key, "label": Side(key).label, "museum": museum, "by": getattr(agreement, f"{key}_confirmed_by"),
             "at": getattr(agreement, f"{key}_confirmed_at")}
            for key, museum in (("helper", pairing.helper), ("helped", pairing.helped))] if agreement else [],
        "confirm_side": confirm_side, "confirm_side_label": Side(confirm_side).label if confirm_side else "",
        # who could not confirm, while the agreement still needs confirmations
        "nobody_to_confirm": nobody_to_confirm(pairing) if agreement is not None and pairing.is_open
        and agreement.status != AgreementStatus.CONFIRMED else "",
        "today": today,
    }


# --- the association's overview of the pairings (supervisors: their jurisdiction) ------------------------------

ENDING_SOON_DAYS = 60
OVERVIEW_LIST_LIMIT = 100


def _scoped_museums(user) -> QuerySet[Museum]:
    """The museums whose pairing situation the user oversees: the association all, a supervisor the
    jurisdiction, anyone else none."""
    if user.is_association_admin:
        return Museum.objects.all()
    if getattr(user, "role", None) == "supervisor" and user.jurisdiction_id:
        return Museum.objects.in_division(user.jurisdiction)
    return Museum.objects.none()


@dataclass
class Overview:
    open_count: int
    unpaired_count: int
    unpaired: list[Museum]
    spare_count: int
    spare_slots: int
    spare: list[Museum]
    overdue_count: int
    overdue: list
    ending_count: int
    ending: list
    rules: ProgrammeRules
    status_counts: dict[str, int]


def overview(user, *, today: datetime.date | None = None) -> Overview:
    """What the association (or a supervisor, for their jurisdiction) watches: helped museums without a primary
    helper, helpers with spare capacity, overdue tasks, agreements near their end. A fixed number of queries."""
    today = today or timezone.localdate()
    rules = ProgrammeRules.current()
    museums = _scoped_museums(user)
    open_pairings = Pairing.objects.open()

    unpaired_qs = (museums.helped().exclude(pk__in=open_pairings.filter(is_primary=True).values("helped_id"))
                   .with_places().prefetch_related(Prefetch(
                       "areas", queryset=MuseumArea.objects.filter(kind=Offering.NEED), to_attr="needs"))
                   .order_by("city__code", "pinyin"))
    spare_qs = (museums.helpers()
                .annotate(load=Count("pairings_as_helper", filter=Q(pairings_as_helper__status__in=OPEN_STATUSES)))
                .filter(load__lt=rules.max_helped_per_helper))
    loads = list(spare_qs.order_by().values_list("load", flat=True))
    spare = list(spare_qs.with_places().prefetch_related(Prefetch(
        "areas", queryset=MuseumArea.objects.filter(kind=Offering.OFFER), to_attr="offers"))
        .order_by("load", "pinyin")[:OVERVIEW_LIST_LIMIT])
    for museum in spare:
        museum.spare = rules.max_helped_per_helper - museum.load

    overdue_qs = AgreementTask.objects.visible_to(user).agreed().overdue(today).filter(
        agreement__pairing__status__in=OPEN_STATUSES)
    ending_qs = (Agreement.objects.filter(museum_scope_q(user, "pairing__helper", "pairing__helped"))
                 .filter(pairing__status__in=OPEN_STATUSES,
                         term_end__gte=today, term_end__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS))
                 .select_related("pairing__helper", "pairing__helped").order_by("term_end", "id"))
    return Overview(
        open_count=Pairing.objects.visible_to(user).open().count(),
        unpaired_count=unpaired_qs.count(),
        unpaired=list(unpaired_qs[:OVERVIEW_LIST_LIMIT]),
        spare_count=len(loads),
        spare_slots=len(loads) * rules.max_helped_per_helper - sum(loads),
        spare=spare,
        overdue_count=overdue_qs.count(),
        overdue=list(overdue_qs.with_pairing().order_by("due_date", "id")[:OVERVIEW_LIST_LIMIT]),
        ending_count=ending_qs.count(),
        ending=list(ending_qs[:OVERVIEW_LIST_LIMIT]),
        rules=rules,
        status_counts=status_counts(user),
    )


def museum_scope_q(user, *fields: str) -> Q:
    scope = museum_scope(user, *fields)
    return Q() if scope is None else scope
