"""The ledger on the home pages: entries waiting for the user's confirmation, and a supervisor's year in figures."""

from django.utils import timezone

from .models import LedgerEntry


def awaiting(user) -> dict:
    return {"awaiting": LedgerEntry.objects.awaiting_confirmation_by(user).count()}


def supervisor(user) -> dict:
    year = timezone.localdate().year
    return {"ledger_count": LedgerEntry.objects.visible_to(user).confirmed().filter(date__year=year).count(),
            "year": year}
