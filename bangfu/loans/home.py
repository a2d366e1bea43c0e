"""Loans on the home pages (registered in module.py): the association's overdue loans, a museum's overdue loans
and those waiting for its side's step. A fixed number of queries each."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from .models import Loan, LoanStatus

HOME_LIST = 6

# The steps each side takes, by status (the services' `ACTIONS`, read as "waiting for").
LENDER_WAITING = (LoanStatus.REQUESTED, LoanStatus.EXPERT_REVIEW, LoanStatus.FACILITY_REVIEW, LoanStatus.TRANSPORT,
                  LoanStatus.RETURNED)
BORROWER_WAITING = (LoanStatus.DISPATCHED,)
EITHER_WAITING = (LoanStatus.FILING, LoanStatus.AGREEMENT)


def attention(user) -> dict:
    """The association's to-do line: every overdue loan (the count and the first few, most overdue first)."""
    today = timezone.localdate()
    overdue = Loan.objects.overdue(today).select_related("lender", "borrower").order_by("end", "pk")
    rows = list(overdue[:HOME_LIST])
    for loan in rows:
        loan.days_overdue = (today - loan.end).days
    return {"loans_overdue": rows, "loans_overdue_count": overdue.count()}


def mine(user) -> dict:
    """A museum's loans that need it: overdue ones (in and out) and those waiting for its side's next step."""
    today = timezone.localdate()
    museum = user.museum_id
    ours = Loan.objects.filter(Q(lender_id=museum) | Q(borrower_id=museum)).select_related("lender", "borrower")
    overdue = list(ours.overdue(today).order_by("end", "pk")[:HOME_LIST])
    for loan in overdue:
        loan.days_overdue = (today - loan.end).days
    waiting = list(ours.filter(
        Q(lender_id=museum, status__in=LENDER_WAITING) | Q(borrower_id=museum, status__in=BORROWER_WAITING)
        | Q(status__in=EITHER_WAITING)).order_by("updated_at", "pk")[:HOME_LIST])
    for loan in waiting:
        loan.side = "lender" if loan.lender_id == museum else "borrower"
    return {"loans_overdue_mine": overdue, "loans_waiting": waiting}
