"""T&D (TR-7 / TR-72 / TR-74Ui series; T&D Graph and the loggers' CSV export): three header rows, channel / name /
unit — `Date/Time,No.1,No.2` / `,Temperature,Humidity` / `,°C,%` — also with illuminance (lx) and UV channels. UV
in mW/cm² or µW/cm² (irradiance) is turned into µW/lm with the same moment's illuminance (layout.py says how); a
file without an illuminance channel keeps no UV. A column of Excel serial values beside the date is ignored."""

from __future__ import annotations

import re

from .layout import MAX_HEADER_ROWS, Layout, measurement_columns, row_texts
from .values import normal

CODE, LABEL = "tandd", "T&D 记录仪导出（TR-7/TR-72 等）"
TIME_HEADERS = ("date/time", "date time", "日付/時刻", "日付 時刻", "日期/时间", "日期时间")
CHANNEL = re.compile(r"(no\.?\s*\d+|ch\.?\s*\d+|channel\s*\d+|通道\s*\d+)")
IRRADIANCE = re.compile(r"w/(cm|m)\s*(2|²|\^2)")


def _name_of(unit: str) -> str:
    """What a channel measures when its name row says nothing useful (Ch2 / %): a T&D logger writes RH in %, UV
    as irradiance (mW/cm²)."""
    unit = normal(unit)
    if unit in ("%", "%rh"):
        return "Humidity"
    return "UV" if IRRADIANCE.search(unit) else ""


def detect(rows) -> Layout | None:
    for position, (_, cells) in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = row_texts(cells)
        if normal(texts.get(0, "")) not in TIME_HEADERS:
            continue
        channels = {i: t for i, t in texts.items() if i and CHANNEL.fullmatch(normal(t))}
        if not channels or position + 1 >= len(rows):
            continue
        names = row_texts(rows[position + 1][1])
        units = row_texts(rows[position + 2][1]) if position + 2 < len(rows) else {}
        unit_row = bool(units) and not normal(units.get(0, "")) and any(units.get(i) for i in channels)
        if not unit_row:  # two rows only: channel / unit
            names, units = {}, names
        headers = {i: f"{_name_of(units.get(i, ''))} {names.get(i, '')} ({units.get(i, '')}) {channel}".strip()
                   for i, channel in channels.items()}
        columns, ignored, others = measurement_columns(headers, skip=set())
        if not columns:
            continue
        ignored += [{"header": f"{channels[i]} {names.get(i, '')} {units.get(i, '')}".strip(),
                     "reason": "无法识别这一通道测量的是什么（名称和单位都不是温度、湿度、照度或紫外），未导入"}
                    for i in others]
        return Layout(CODE, LABEL, data_from=position + (3 if unit_row else 2), time=0, columns=columns,
                      order="ymd", ignored=ignored)
    return None
