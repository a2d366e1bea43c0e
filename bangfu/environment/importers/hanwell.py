"""Hanwell (RadioLog / EMS) CSV export. No published specification was found; what this reads is the shape of the
exports we have seen described: a few preamble lines (the software, site, sensor, period), then
`Date/Time,<sensor> Temperature (°C),<sensor> Humidity (%RH)…`, dates day first (UK: 15/03/2026 14:00:00).
European installations write semicolon-separated files with decimal commas (21,5), which are read too. The time
zone is China time unless the header names another."""

from __future__ import annotations

from .layout import MAX_HEADER_ROWS, Layout, date_and_clock, measurement_columns, row_texts
from .values import CHINA, normal, zone_of

CODE, LABEL = "hanwell", "Hanwell 导出（RadioLog/EMS）"
TIME_HEADERS = ("date/time", "date time", "date & time", "datetime", "timestamp", "date")


def detect(rows) -> Layout | None:
    hanwell = any("hanwell" in normal(" ".join(str(c) for c in cells)) for _, cells in rows[:10])
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        first = normal(texts.get(0, ""))
        if not any(first == h or first.startswith(h + " (") for h in TIME_HEADERS):
            continue
        if not (hanwell or position > 0):  # an English table without a preamble is the generic format's
            return None
        split = date_and_clock(texts, normal=normal)  # Date,Time,… : the day and the time of day apart
        clock = split[1] if split and split[0] == 0 else None
        columns, ignored, _ = measurement_columns(texts, skip={0} | ({clock} - {None}))
        if columns:
            return Layout(CODE, LABEL, data_from=position + 1, time=0, clock=clock, columns=columns, order="dmy",
                          tz=zone_of(texts[clock if clock is not None else 0]) or CHINA, ignored=ignored)
    return None
