"""What the loan pages read: the list of my museum's loans (a fixed number of queries whatever the rows), the loan
page's context (items with their reports, the workflow stages, filings, the climate of the borrower's venue), an
object's loan history."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from bangfu.core.attachments import may_remove
from bangfu.core.models import Attachment
from bangfu.core.registry import climate_compliance
from bangfu.objects.models import ObjectGrade

from . import services
from .models import (
    OUT_STATUSES,
    VOID_STATUSES,
    ConditionCheck,
    Direction,
    Loan,
    LoanItem,
    LoanRule,
    LoanStatus,
)

# The stages of the stepper, in order (the end states of a void loan are shown instead of the stepper's end).
STAGES = (
    (LoanStatus.REQUESTED, "藏品审查"),
    (LoanStatus.EXPERT_REVIEW, "专家评估"),
    (LoanStatus.FACILITY_REVIEW, "场馆评估"),
    (LoanStatus.FILING, "备案审批"),
    (LoanStatus.AGREEMENT, "签订协议"),
    (LoanStatus.TRANSPORT, "保险运输"),
    (LoanStatus.DISPATCHED, "运输途中"),
    (LoanStatus.ON_LOAN, "借展中"),
    (LoanStatus.RETURNING, "归还"),
    (LoanStatus.RETURNED, "已归还"),
    (LoanStatus.CLOSED, "结束"),
)
STAGE_INDEX = {code: i for i, (code, _) in enumerate(STAGES)}
TABS = {"in": "借入", "out": "借出"}


# --- the list ---------------------------------------------------------------------------------------------


def loan_list(user, *, tab: str = "", status: str = "", lender: int | None = None, borrower: int | None = None,
              overdue: bool = False):
    """The loans `user` sees, newest first, with both museums (prefetched for the page: SQLite would join them to
    every row before sorting) and the count of objects of the page's rows. Museum staff see their own museum's
    (借入 = borrowed by it, 借出 = lent by it); the association and supervisors everything in their scope, filtered
    by lender or borrower."""
    today = timezone.localdate()
    loans = Loan.objects.visible_to(user).prefetch_related("lender", "borrower").with_object_count("item_count")
    museum_id = getattr(user, "museum_id", None)
    if museum_id and tab == "in":
        loans = loans.filter(borrower_id=museum_id)
    elif museum_id and tab == "out":
        loans = loans.filter(lender_id=museum_id)
    if status in LoanStatus.values:
        loans = loans.filter(status=status)
    if lender:
        loans = loans.filter(lender_id=lender)
    if borrower:
        loans = loans.filter(borrower_id=borrower)
    if overdue:
        loans = loans.overdue(today)
    return loans.order_by("-pk")  # newest first: ids grow with the requests (the primary key's index)


def decorate_rows(loans, user) -> list[Loan]:
    """Each row's overdue flag and the current user's next action (from the status: no query per row)."""
    today = timezone.localdate()
    museum_id = getattr(user, "museum_id", None)
    rows = list(loans)
    for loan in rows:
        loan.is_overdue = loan.status in OUT_STATUSES and loan.end < today
        loan.overdue_days = (today - loan.end).days if loan.is_overdue else 0
        side = "lender" if museum_id == loan.lender_id else "borrower" if museum_id == loan.borrower_id else ""
        loan.my_side = side
        loan.next_step = row_next_step(loan.status, side)
    return rows


def row_next_step(status: str, side: str) -> dict | None:
    """Who moves the loan on and what they do, from the services' `ACTIONS` (`services.WAITING`)."""
    step = services.WAITING.get(status)
    if step is None:
        return None
    who, actions = step
    return {"label": "、".join(services.ACTION_LABELS[a] for a in actions),
            "mine": bool(side) and who in ("either", side),
            "who": {"lender": "出借方", "borrower": "借入方", "either": "双方"}[who]}


# --- the loan page ----------------------------------------------------------------------------------------


def loan_items(loan: Loan) -> list[LoanItem]:
    """The loan's items with their objects and both condition reports (`outgoing`, `incoming`) and the photos
    of each report, in three queries."""
    photos = Prefetch("attachments", queryset=Attachment.objects.select_related("added_by"))
    items = list(loan.items.select_related("obj").prefetch_related(
        Prefetch("checks", queryset=ConditionCheck.objects.prefetch_related(photos))))
    for item in items:
        checks = {c.direction: c for c in item.checks.all()}
        item.outgoing = checks.get(Direction.OUTGOING)
        item.incoming = checks.get(Direction.INCOMING)
    return items


def stages(loan: Loan, items) -> list[dict]:
    """The stepper: each stage done, current or to come; the expert stage only when an object needed it."""
    needs_expert = loan.status == LoanStatus.EXPERT_REVIEW or any(i.expert_verdict for i in items)
    current = STAGE_INDEX.get(loan.status)
    result = []
    for index, (code, label) in enumerate(STAGES):
        if code == LoanStatus.EXPERT_REVIEW and not needs_expert:
            continue
        if code == LoanStatus.RETURNING and loan.status != LoanStatus.RETURNING:
            continue
        if current is None:
            state = "void"
        elif index < current or loan.status == LoanStatus.CLOSED:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        result.append({"code": code, "label": label, "state": state})
    return result


CLIMATE_DAYS = 90


def climate_of(loan: Loan, items) -> list:
    """How well the borrower kept the climate over the last 90 days for the materials of the objects still in the
    loan, as the monitoring modules know it (`core.registry.climate_compliance`; [] when none monitors the
    borrower: the page says "no monitoring data")."""
    classes = sorted({i.obj.material_class for i in items if i.in_loan})
    return climate_compliance(loan.borrower, classes, CLIMATE_DAYS) if classes else []


def loan_page(loan: Loan, user) -> dict:
    prefetch_related_objects([loan], Prefetch("items", queryset=LoanItem.objects.select_related("obj")), "filings")
    items = loan_items(loan)
    in_loan = [i for i in items if i.in_loan]
    today = timezone.localdate()
    return {
        "loan": loan, "items": items, "in_loan": in_loan, "stages": stages(loan, items),
        "filings": services.required_filings(loan),
        "recorded_filings": list(loan.filings.all()),
        "actions": services.next_actions(loan, user),
        "warnings": services.rule_warnings(loan, today=today),
        "shortfall": services.shortfall_warning(loan),
        "climate": climate_of(loan, items),
        "attachments": _documents(loan, user),
        "is_overdue": loan.status in OUT_STATUSES and loan.end < today,
        "overdue_days": (today - loan.end).days,
        "can_change": user.has_perm("loans.change_loan", loan),
        "is_lender": user.has_perm("loans.lender_act", loan),
        "is_borrower": user.has_perm("loans.borrower_act", loan),
        "differs": any(i.incoming and i.incoming.differs for i in items),
        "today": today,
    }


def applying_rules() -> list[LoanRule]:
    """The rules in force, as the association keeps them (the law's defaults where a row is missing)."""
    return sorted((r for r in services.rules_in_force().values() if r.enabled), key=lambda r: r.order)


def all_rules() -> list[LoanRule]:
    """Every rule for the rules table, the saved rows first in their order (a missing row shows the default)."""
    return sorted(services.rules_in_force().values(), key=lambda r: (r.pk is None, r.order, r.pk or 0))


# --- an object's history ------------------------------------------------------------------------------------


def object_history(obj, user) -> dict:
    """Every loan of the object the user may see, oldest first, the cumulative days on loan and the chained cap."""
    items = list(LoanItem.objects.filter(obj=obj, loan__in=Loan.objects.visible_to(user)).select_related(
        "loan__lender", "loan__borrower").order_by("loan__start", "loan_id"))
    rules = services.rules_in_force()
    cap = rules["chain_cap"]
    applies = cap.enabled and (obj.grade == ObjectGrade.FIRST or rules["chain_cap_all_grades"].enabled)
    periods = services.counted_periods(obj)
    first = min((start for start, _ in periods), default=timezone.localdate())
    cap_days = services.cap_days(first, cap.value) if applies and cap.value else None
    days = services.object_loan_days(obj)
    now = timezone.localdate()
    for item in items:  # the time the object was actually away, beside the agreed period the cap counts
        back = item.returned_on or item.loan.returned_on
        item.away_days = ((back or now) - item.loan.dispatched_on).days + 1 if item.loan.dispatched_on else None
        item.away_until = back
    chart = [{"name": f"{i.loan.borrower.name}", "start": i.loan.start.isoformat(), "end": i.loan.end.isoformat(),
              "status": i.loan.get_status_display(), "void": i.loan.status in VOID_STATUSES} for i in items]
    return {"items": items, "days": days, "cap": cap, "cap_days": cap_days,
            "share": min(100, round(100 * days / cap_days)) if cap_days else None, "chart": chart}


# --- the rules table ------------------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def _documents(loan: Loan, user) -> list[Attachment]:
    """The loan's documents, each marked whether the user may remove it (whoever uploaded it, while a side)."""
    documents = list(Attachment.objects.for_object(loan))
    for document in documents:
        document.owner = loan  # (known: no query per file)
        document.removable = may_remove(user, document)
    return documents
