"""A Chinese cloud platform's export re-saved by Excel (.xlsx, or CSV in GBK): `设备名称,采集时间,温度(℃),湿度(%RH)`
or just `时间,温度,湿度`; dates like 2026/3/15 14:00, or Excel date serials / date cells in .xlsx. Also the fallback
for any table with one time column and measurement columns (English headers included)."""

from __future__ import annotations

from .layout import MAX_HEADER_ROWS, Layout, date_and_clock, measurement_columns, row_texts
from .values import is_time_header, normal

CODE, LABEL = "cloud", "云平台导出 / 通用表格"
PREFERRED = ("采集时间", "记录时间", "数据时间", "上报时间", "时间", "日期时间", "date/time", "time")


def detect(rows) -> Layout | None:
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        times = [i for i, t in texts.items() if is_time_header(t)]
        if not times:
            continue
        split = date_and_clock(texts, normal=normal)  # 日期,时间,… : the day and the time of day apart
        time, clock = split if split else (next((i for p in PREFERRED for i in times if normal(texts[i]) == p),
                                                times[0]), None)
        columns, ignored, _ = measurement_columns(texts, skip=set(times) | ({clock} - {None}))
        if columns:
            return Layout(CODE, LABEL, data_from=position + 1, time=time, clock=clock, columns=columns,
                          ignored=ignored)
    return None
