"""Reads of accounts the modules share: who acts for a museum and hears of what concerns it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bangfu.parties import MUSEUM_ROLES

from .models import User


def museum_staff(museum_id: int) -> list[User]:
    """The active admins and staff of a museum (one query), in the order they joined."""
    return list(User.objects.filter(museum_id=museum_id, role__in=MUSEUM_ROLES, is_active=True).order_by("pk"))


def museums_staff(museum_ids: Iterable[int]) -> dict[int, list[User]]:
    """`museum_staff` of several museums at once (one query): {museum id: users}, empty lists left out."""
    staff = defaultdict(list)
    for user in User.objects.filter(museum_id__in=set(museum_ids), role__in=MUSEUM_ROLES,
                                    is_active=True).order_by("pk"):
        staff[user.museum_id].append(user)
    return staff
