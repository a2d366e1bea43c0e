"""Pairings on the home pages: how many are running in the user's sight."""

from django.db.models import Count

from .models import OPEN_STATUSES, Pairing, PairingStatus


def counts(user) -> dict:
    """Pairings in the user's sight by status (one query)."""
    counts = dict(Pairing.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("id")))
    return {"pairing_counts": {
        "running": sum(counts.get(s, 0) for s in OPEN_STATUSES),
        "active": counts.get(PairingStatus.ACTIVE, 0),
        "proposed": counts.get(PairingStatus.PROPOSED, 0) + counts.get(PairingStatus.AGREED, 0),
        "finished": counts.get(PairingStatus.COMPLETED, 0) + counts.get(PairingStatus.ENDED, 0),
    }}
