"""Onset HOBOconnect export (CSV or .xlsx): `"#","Date-Time (CST)","Ch:1 - Temperature   (°C)","Ch:2 - RH   (%)",…`
and event columns. The zone in the date-time header is the file's: CST here is China Standard Time (UTC+8) — a
museum in China exports with its phone or PC set to China time — and HOBOconnect also writes `(UTC+08:00)`."""

from __future__ import annotations

from .layout import MAX_HEADER_ROWS, Layout, measurement_columns, row_texts
from .tables import ImportFileError
from .values import CHINA, normal, quoted, zone_of

CODE, LABEL = "hoboconnect", "HOBOconnect 导出（Onset HOBO）"


def detect(rows) -> Layout | None:
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        time = next((i for i, t in texts.items() if normal(t).startswith(("date-time", "date - time"))), None)
        if time is None:
            continue
        columns, ignored, others = measurement_columns(texts, skip={0, time})
        if not columns:
            continue
        zone_text = texts[time]
        tz = zone_of(zone_text)
        if tz is None and "(" in zone_text:
            raise ImportFileError(f"无法识别时间列“{quoted(zone_text)}”中的时区。请在 HOBOconnect 中按北京时间（UTC+8）"
                                  "导出后再上传。")
        layout = Layout(CODE, LABEL, data_from=position + 1, time=time, columns=columns,
                        events=[i for i in others if i != 0], tz=tz or CHINA, order="mdy", ignored=ignored)
        if tz is None:
            layout.notes.append("表头没有注明时区，按北京时间（UTC+8）读取。")
        return layout
    return None
