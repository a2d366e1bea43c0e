"""Reads across apps for environment monitoring: which museums a user watches as their helper."""

from __future__ import annotations

from bangfu.pairings.models import Pairing, PairingStatus

WATCHING = (PairingStatus.AGREED, PairingStatus.ACTIVE)  # a helper watches its partners' rooms once agreed


def watched_museum_ids(user) -> list[int]:
    """The museums whose rooms a museum user watches as their helper (an agreed or running pairing); [] else."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.museum_id
            and user.role in ("museum_admin", "museum_staff")):
        return []
    cached = getattr(user, "_watched_museum_ids", None)
    if cached is None:
        cached = list(Pairing.objects.filter(helper_id=user.museum_id, status__in=WATCHING)
                      .values_list("helped_id", flat=True))
        user._watched_museum_ids = cached
    return cached


def helper_ids_of(museum_id: int) -> list[int]:
    """The museums helping `museum_id` under an agreed or running pairing (who an alert may also notify)."""
    return list(Pairing.objects.filter(helped_id=museum_id, status__in=WATCHING).values_list("helper_id", flat=True))
