"""Elitech ElitechLog (RC-4HC, RC-5+, GSP-6…): the .xls export and the report CSV — a preamble with the device's
details (`Device Name`, `Serial Number`, `Model`…; 设备名称、序列号… in the Chinese version), then
`No.,Time,Temperature(°C),Humidity(%RH)` or `序号,时间,温度(℃),湿度(%RH)`. Times are China time, year first."""

from __future__ import annotations

from .layout import MAX_HEADER_ROWS, Layout, measurement_columns, row_texts
from .values import is_time_header, normal

CODE, LABEL = "elitech", "精创 ElitechLog 导出"
NUMBER_HEADERS = ("no.", "no", "序号", "编号", "记录号")


def detect(rows) -> Layout | None:
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        if normal(texts.get(0, "")) not in NUMBER_HEADERS or not is_time_header(texts.get(1, "")):
            continue
        columns, ignored, _ = measurement_columns(texts, skip={0, 1})
        if columns:
            return Layout(CODE, LABEL, data_from=position + 1, time=1, columns=columns, order="ymd", ignored=ignored)
    return None
