"""Demo data for the learning record: the association's continuing-education target of this year and of last year
(90 学时, the default written down, so the target page has a history). The people modules' demos write the hours
and certificates through `bangfu.learning.services`. Built through the service as the association's demo account;
idempotent (a year already set is left as it is)."""

from __future__ import annotations

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.learning.models import HoursTarget
from bangfu.learning.services import target_set

TARGETS = {0: 90, -1: 90}  # years from this one → 学时


def load_learning() -> int:
    """Set the targets not set yet; returns how many were set."""
    admin = User.objects.filter(username="xiehui").first()
    if admin is None:
        return 0
    this_year = timezone.localdate().year
    added = 0
    for offset, hours in TARGETS.items():
        year = this_year + offset
        if not HoursTarget.objects.filter(year=year).exists():
            target_set(by=admin, year=year, hours=hours)
            added += 1
    return added
