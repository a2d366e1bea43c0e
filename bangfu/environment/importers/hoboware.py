"""Onset HOBOware CSV export: an optional `"Plot Title: …"` line, then the header
`"#","Date Time, GMT+08:00","Temp, °C (LGR S/N: …, SEN S/N: …)","RH, % (LGR S/N: …)",…` followed by event columns
("Coupler Detached", "Host Connected", "End Of File"…) whose rows carry only the event. The date column may be
split in two ("Date","Time, GMT+08:00"). Dates are month first by default (`03/15/26 02:00:00 PM`; Chinese Windows
writes 上午/下午); the header's GMT offset is the file's time zone; °F is converted."""

from __future__ import annotations

from .layout import MAX_HEADER_ROWS, Layout, measurement_columns, row_texts
from .values import CHINA, normal, zone_of

CODE, LABEL = "hoboware", "HOBOware 导出（Onset HOBO）"
TIME_HEADERS = ("date time", "日期 时间", "日期时间")  # the Chinese edition translates the headers


def detect(rows) -> Layout | None:
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        time = next((i for i, t in texts.items() if normal(t).startswith(TIME_HEADERS)), None)
        clock = None
        if time is None:
            date = next((i for i, t in texts.items() if normal(t) == "date"), None)
            clock = next((i for i, t in texts.items() if normal(t).startswith("time,")), None)
            if date is None or clock is None:
                continue
            time = date
        zone_text = texts[clock if clock is not None else time]
        if "gmt" not in normal(zone_text) and normal(texts.get(0, "")) != "#":
            continue
        columns, ignored, others = measurement_columns(texts, skip={0, time, clock} - {None})
        if not columns:
            continue
        tz = zone_of(zone_text)
        layout = Layout(CODE, LABEL, data_from=position + 1, time=time, clock=clock, columns=columns,
                        events=[i for i in others if i != 0], tz=tz or CHINA, order="mdy", ignored=ignored)
        if tz is None:
            layout.notes.append("表头没有注明时区，按北京时间（UTC+8）读取。")
        return layout
    return None
