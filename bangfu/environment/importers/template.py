"""The platform's own template (downloadable as CSV and .xlsx from the import page): `时间,温度,相对湿度,照度,紫外`,
China time, `2026-03-15 14:00` or ISO 8601; units °C, %, lx, µW/lm."""

from __future__ import annotations

from .layout import MAX_HEADER_ROWS, Layout, measurement_columns, row_texts
from .values import normal

CODE, LABEL = "template", "本平台模板"
HEADERS = ("时间", "温度", "相对湿度", "照度", "紫外")
EXAMPLE = ("2026-03-15 14:00", 21.5, 52.0, 45, 12)
NOTES = ("时间为北京时间，写作 2026-03-15 14:00 或 2026-03-15T14:00:00+08:00；温度 °C，相对湿度 %，照度 lx，"
         "紫外 µW/lm；没有测的值留空。")


def detect(rows) -> Layout | None:
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        names = [normal(t) for t in texts.values()]
        if not names or names[0] != "时间" or not set(names) <= set(HEADERS) or len(names) < 2:
            continue
        columns, ignored, _ = measurement_columns(texts, skip={0})
        if columns and any(n in names for n in ("相对湿度", "照度", "紫外")):
            return Layout(CODE, LABEL, data_from=position + 1, time=0, columns=columns, ignored=ignored)
    return None
