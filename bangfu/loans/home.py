"""Loans on the home pages (registered in module.py): the association's overdue loans, a museum's overdue loans
and those waiting for its side's step. A fixed number of queries each."""

from __future__ import annotations

from django.db.models import Case, F, Func, IntegerField, Q, Subquery, Value, When
from django.utils import timezone

from .models import OUT_STATUSES, Loan, LoanStatus
from .services import WAITING

HOME_LIST = 6

# Whose move it is, by status: the services' `ACTIONS` (`services.WAITING`). While the objects are at the borrower
# the loan waits for its end date rather than for a side (the overdue list above names it once it is late).
AWAY = (LoanStatus.ON_LOAN, LoanStatus.RETURNING)


def _waiting_for(side: str) -> tuple[str, ...]:
    return tuple(status for status, (who, _) in WAITING.items() if who == side and status not in AWAY)


LENDER_WAITING = _waiting_for("lender")
BORROWER_WAITING = _waiting_for("borrower")
EITHER_WAITING = _waiting_for("either")


def attention(user) -> dict:
    """The association's to-do line: every overdue loan (the count and the first few, most overdue first)."""
    today = timezone.localdate()
    # One query: the first rows, each carrying the count of them all (an uncorrelated scalar subquery, evaluated
    # once on the (status, end) index; a window would read every overdue row).
    total = Loan.objects.overdue(today).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    # The page's ids chosen first, then joined with the museums (SQLite would join every overdue row before
    # sorting them).
    first = Loan.objects.overdue(today).order_by("end", "pk").values("pk")[:HOME_LIST]
    rows = list(Loan.objects.filter(pk__in=Subquery(first)).select_related("lender", "borrower")
                .annotate(total=Subquery(total)).order_by("end", "pk"))
    for loan in rows:
        loan.days_overdue = (today - loan.end).days
    return {"loans_overdue": rows, "loans_overdue_count": rows[0].total if rows else 0}


def mine(user) -> dict:
    """A museum's loans that need it (one query): overdue ones (in and out) first, then those waiting for its
    side's next step."""
    today = timezone.localdate()
    museum = user.museum_id
    overdue = Q(status__in=OUT_STATUSES, end__lt=today)
    waiting = (Q(lender_id=museum, status__in=LENDER_WAITING) | Q(borrower_id=museum, status__in=BORROWER_WAITING)
               | Q(status__in=EITHER_WAITING))
    ours = Loan.objects.filter(Q(lender_id=museum) | Q(borrower_id=museum))
    # The first few of each list chosen by id in subqueries, then joined with the museums in one query.
    first_late = ours.filter(overdue).order_by("end", "pk").values("pk")[:HOME_LIST]
    first_waiting = ours.filter(waiting).exclude(overdue).order_by("updated_at", "pk").values("pk")[:HOME_LIST]
    late = Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = list(Loan.objects.filter(Q(pk__in=Subquery(first_late)) | Q(pk__in=Subquery(first_waiting)))
                .select_related("lender", "borrower").annotate(late=late).order_by("late", "end", "updated_at", "pk"))
    for loan in rows:
        loan.days_overdue = (today - loan.end).days
        loan.side = "lender" if loan.lender_id == museum else "borrower"
    return {"loans_overdue_mine": [loan for loan in rows if loan.late == 0][:HOME_LIST],
            "loans_waiting": [loan for loan in rows if loan.late == 1][:HOME_LIST]}
