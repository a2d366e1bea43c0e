"""Alert episodes (SKELETON: the alerts work writes `evaluate`, the silence check, notifications and the digest)."""

from __future__ import annotations

import datetime


def evaluate(*, sensor, start: datetime.datetime, end: datetime.datetime) -> None:
    """Open, extend or end the alert episodes of `sensor` (and its room) for readings between `start` and `end`."""
