"""Hourly and daily roll-ups of a sensor's readings (SKELETON: the ingest work writes `refresh`)."""

from __future__ import annotations

import datetime


def refresh(*, sensor_id: int, start: datetime.datetime, end: datetime.datetime) -> None:
    """Recompute the hour and day roll-ups of `sensor_id` that overlap [start, end] from the raw readings."""
