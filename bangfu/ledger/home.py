"""The ledger on the home pages: entries waiting for the user's confirmation, and a supervisor's year in figures."""

from django.db.models import Sum
from django.utils import timezone

from .models import Confirmation, LedgerEntry, LedgerSummary


def awaiting(user) -> dict:
    return {"awaiting": LedgerEntry.objects.awaiting_confirmation_by(user).count()}


def supervisor(user) -> dict:
    """The confirmed entries of this year in the supervisor's jurisdiction, from the ledger summary."""
    year = timezone.localdate().year
    count = LedgerSummary.objects.visible_to(user).filter(
        state=Confirmation.CONFIRMED, month__year=year).aggregate(n=Sum("entries"))["n"] or 0
    return {"ledger_count": count, "year": year}
