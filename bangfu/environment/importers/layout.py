"""What a format's detector finds in a file: where the data rows start, which cell holds the time (and in which
zone and date order), which columns hold which parameter in which unit, which columns are logger events."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import UNITS, Parameter
from .values import CHINA, classify, f_to_c, lum_ft2_to_lux, text_of

MAX_HEADER_ROWS = 40  # a format's header is found among the first rows of a table

# UV given as irradiance (T&D TR-74Ui writes mW/cm²) is turned into the UV proportion museums limit (µW/lm) by its
# definition: irradiance ÷ illuminance measured at the same moment (1 mW/cm² = 10,000,000 µW/m²; 1 lx = 1 lm/m²).
# Below UV_MIN_LUX the ratio means nothing (the dark), so no UV value is kept for that reading.
UV_MIN_LUX = 10.0
UV_TO_MICROWATT_PER_M2 = {"mw/cm²": 10_000_000.0, "µw/cm²": 10_000.0, "w/m²": 1_000_000.0}


@dataclass
class Column:
    index: int
    header: str
    parameter: str  # temperature, rh, lux, uv
    unit: str  # the unit as the file writes it
    convert: Callable[[float], float] | None = None
    irradiance: float = 0.0  # µW/m² per unit written: UV turned into µW/lm with the same row's illuminance

    def describe(self) -> dict:
        note = ""
        if self.convert is f_to_c:
            note = "华氏度已换算为摄氏度"
        elif self.convert is lum_ft2_to_lux:
            note = "lum/ft² 已换算为 lx"
        elif self.irradiance:
            note = f"紫外辐照度按同一时刻照度换算为 µW/lm（照度低于 {UV_MIN_LUX:g} lx 时不计）"
        return {"header": self.header, "parameter": self.parameter, "label": Parameter(self.parameter).label,
                "unit": self.unit, "stored_unit": UNITS[self.parameter], "note": note}


@dataclass
class Layout:
    format: str
    label: str
    data_from: int  # position in the table's rows of the first data row
    time: int  # column of the time (or of the date, with `clock`)
    columns: list[Column]
    clock: int | None = None
    events: list[int] = field(default_factory=list)
    tz: datetime.tzinfo = CHINA
    order: str = "ymd"  # of slashed dates without a four-digit year first: "mdy" or "dmy" ("ymd": guess mdy)
    ignored: list[dict] = field(default_factory=list)  # [{header, reason}]
    notes: list[str] = field(default_factory=list)


def measurement_columns(headers: dict[int, str], *, skip: set[int]) -> tuple[list[Column], list[dict], list[int]]:
    """The measurement columns among `headers` ({index: text}), the columns not imported (with why) and the other
    columns (events, serial numbers…) by index. A parameter found twice keeps its first column."""
    columns: list[Column] = []
    ignored: list[dict] = []
    others: list[int] = []
    seen: set[str] = set()
    for index, header in sorted(headers.items()):
        if index in skip or not text_of(header):
            continue
        found = classify(header)
        if found is None:
            others.append(index)
            continue
        parameter, unit, key = found
        column, problem = _column(index, text_of(header), parameter, unit, key)
        if problem:
            ignored.append({"header": text_of(header), "reason": problem})
        elif parameter in seen:
            ignored.append({"header": text_of(header), "reason": f"已有一列{Parameter(parameter).label}，只导入第一列"})
        else:
            seen.add(parameter)
            columns.append(column)
    uv = next((c for c in columns if c.parameter == "uv" and c.irradiance), None)
    if uv and "lux" not in seen:
        columns.remove(uv)
        ignored.append({"header": uv.header,
                        "reason": f"紫外单位为 {uv.unit}（辐照度），文件中没有照度列，无法换算为 µW/lm"})
    return columns, ignored, others


def _column(index: int, header: str, parameter: str, unit: str, key: str) -> tuple[Column | None, str]:
    if parameter == "temperature":
        return Column(index, header, parameter, unit, f_to_c if key == "°f" else None), ""
    if parameter == "rh":
        return Column(index, header, parameter, "%"), ""
    if parameter == "lux":
        if key == "lum/ft²":
            return Column(index, header, parameter, "lum/ft²", lum_ft2_to_lux), ""
        if key not in ("lx", "lux"):
            return None, f"照度单位“{unit}”无法识别，只支持 lx"
        return Column(index, header, parameter, "lx"), ""
    if key == "µw/lm":
        return Column(index, header, parameter, "µW/lm"), ""
    if key in UV_TO_MICROWATT_PER_M2:
        written = {"mw/cm²": "mW/cm²", "µw/cm²": "µW/cm²", "w/m²": "W/m²"}[key]
        return Column(index, header, parameter, written, irradiance=UV_TO_MICROWATT_PER_M2[key]), ""
    return None, f"紫外单位“{unit}”无法识别，只支持 µW/lm 或辐照度（mW/cm²、µW/cm²）"


DATE_HEADERS = ("date", "日期")
CLOCK_HEADERS = ("time", "时间", "时刻", "clock")


def date_and_clock(texts: dict[int, str], *, normal) -> tuple[int, int] | None:
    """(date column, time-of-day column) when a header row writes the date and the time in two columns
    (`Date,Time,…`, `日期,时间,…`), else None. Headers compared in `normal` form, units in brackets ignored."""
    def bare(text: str) -> str:
        return normal(text).split("(")[0].split("（")[0].strip()

    date = next((i for i, t in sorted(texts.items()) if bare(t) in DATE_HEADERS), None)
    clock = next((i for i, t in sorted(texts.items()) if bare(t) in CLOCK_HEADERS), None)
    return (date, clock) if date is not None and clock is not None and date != clock else None


def row_texts(cells: tuple) -> dict[int, str]:
    return {i: text_of(c) for i, c in enumerate(cells)}
