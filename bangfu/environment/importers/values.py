"""Reading the cells of a logger export: numbers (full-width digits, decimal commas of European files, "--" for a
value not measured), times (ISO, 2026/3/15 14:00, US 03/15/26 02:00:00 PM and its Chinese-Windows form with
上午/下午, day-first UK dates, Excel serial numbers and real date cells) and the header text that names a column's
parameter and unit."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from bangfu.core.text import ascii_width

CHINA = ZoneInfo("Asia/Shanghai")
MISSING = {"", "-", "--", "---", "—", "——", "n/a", "na", "null", "none", "无", "/"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # Excel's day 0 (after its 1900 leap-year bug)


class CellError(ValueError):
    """A cell that cannot be read; the message (Chinese) becomes the bad line's reason."""


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def quoted(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def normal(text: str) -> str:
    """Header text compared loosely: NFKC (full-width forms, ℃ → °C), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text_of(text)).lower().split())


# --- numbers ---------------------------------------------------------------------------------------------------


def number(value: Any, *, decimal_comma: bool = False) -> float | None:
    """The number in a value cell, None for a value not measured; `CellError` for anything else."""
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER.fullmatch(value):  # the usual cell: a plain ASCII number
        return float(value)
    text = ascii_width(text_of(value)).strip()
    if text.lower() in MISSING:
        return None
    plain = text.replace(" ", "")
    if decimal_comma and _DECIMAL_COMMA.fullmatch(plain):
        plain = plain.replace(",", ".")
    if not plain.isascii() or not _NUMBER.fullmatch(plain):
        raise CellError(f"“{quoted(text)}”不是数字")
    return float(plain)


# --- times -----------------------------------------------------------------------------------------------------

_ISO = re.compile(
    r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:[ T]+(?P<ap1>AM|PM)?\s*(?P<H>\d{1,2})[:时](?P<M>\d{1,2})(?:[:分](?P<S>\d{1,2})(?:\.\d+)?秒?)?"
    r"\s*(?P<ap2>AM|PM)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?")
_SLASHED = re.compile(
    r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{4}|\d{2})"
    r"(?:[ T]+(?P<ap1>AM|PM)?\s*(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:\.\d+)?)?\s*(?P<ap2>AM|PM)?)?")
_MERIDIEM = (("上午", "AM"), ("下午", "PM"), ("午前", "AM"), ("午後", "PM"), ("a.m.", "AM"), ("p.m.", "PM"))


_MERIDIEM_SPACED = tuple((word, f" {meridiem} ") for word, meridiem in _MERIDIEM)
_SPACES = re.compile(r"\s+")


def _clock_text(text: str) -> str:
    if not text.isascii():  # ASCII text is its own NFKC and ASCII-width form, and holds no 上午/下午
        text = ascii_width(unicodedata.normalize("NFKC", text))
    text = text.strip()
    for word, spaced in _MERIDIEM_SPACED:
        if word in text:
            text = text.replace(word, spaced)
    return _SPACES.sub(" ", text.replace("am", "AM").replace("pm", "PM")).strip()


def order_of(samples: Iterable[Any], default: str) -> str:
    """Which of month/day comes first in the slashed dates of a file ("mdy" or "dmy"): a first number above 12
    settles it, a second above 12 the other way; else `default` (the format's usual order)."""
    for value in samples:
        if not isinstance(value, str):
            continue
        match = _SLASHED.match(_clock_text(value))
        if match:
            a, b = int(match["a"]), int(match["b"])
            if a > 12 >= b:
                return "dmy"
            if b > 12 >= a:
                return "mdy"
    return default


def _hour(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour
    if not 1 <= hour <= 12:
        raise CellError("12 小时制的钟点应在 1～12 之间")
    return hour % 12 + (12 if meridiem == "PM" else 0)


def _offset(text: str) -> datetime.tzinfo:
    if text == "Z":
        return datetime.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return datetime.timezone(sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def moment(value: Any, *, tz: datetime.tzinfo = CHINA, order: str = "mdy", clock: Any = None) -> datetime.datetime:
    """The aware time of a time cell (and of a separate clock cell, for files with the date and the time in two
    columns). Naive times are in `tz`; `order` says whether slashed dates are month or day first. `CellError`
    when it cannot be read."""
    if clock is not None and text_of(clock):
        day = moment(value, tz=tz, order=order)
        return moment(f"{day:%Y-%m-%d} {_clock_of(clock)}", tz=tz, order=order)
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 20_000 <= value <= 80_000:  # 1954 … 2119: an Excel date serial
            raise CellError(f"无法识别时间“{quoted(text_of(value))}”")
        naive = EXCEL_EPOCH + datetime.timedelta(seconds=round(value * 86400))
        return naive.replace(tzinfo=tz)
    raw = text_of(value)
    if not raw:
        raise CellError("缺少时间")
    text = _clock_text(raw)
    try:
        return _parse(text, tz=tz, order=order)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, CellError) and str(exc) != "":
            raise CellError(f"无法识别时间“{quoted(raw)}”：{exc}") from None
        raise CellError(f"无法识别时间“{quoted(raw)}”") from None


def _clock_of(clock: Any) -> str:
    if isinstance(clock, datetime.time):
        return clock.strftime("%H:%M:%S")
    if isinstance(clock, datetime.datetime):
        return clock.strftime("%H:%M:%S")
    if isinstance(clock, float) and 0 <= clock < 1:  # an Excel time of day
        seconds = round(clock * 86400)
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return text_of(clock)


def _parse(text: str, *, tz, order: str) -> datetime.datetime:
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    else:
        match = _SLASHED.fullmatch(text)
        if not match:
            raise CellError("")
        a, b, c = int(match["a"]), int(match["b"]), match["c"]
        year = int(c) + (2000 if len(c) == 2 else 0)
        month, day = (a, b) if order == "mdy" else (b, a)
    meridiem = match["ap1"] or match["ap2"]
    hour = _hour(int(match["H"] or 0), meridiem) if match["H"] is not None else 0
    zone = _offset(match["tz"]) if match.groupdict().get("tz") else tz
    return datetime.datetime(year, month, day, hour, int(match["M"] or 0), int(match["S"] or 0), tzinfo=zone)


# --- headers ---------------------------------------------------------------------------------------------------

GMT_OFFSET = re.compile(r"(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
CHINA_NAMES = {"cst", "china standard time", "beijing", "北京时间", "中国标准时间", "asia/shanghai", "gmt+8"}


def zone_of(text: str) -> datetime.tzinfo | None:
    """The time zone a header names: GMT+08:00, UTC+8, CST (China Standard Time in a Chinese museum's files),
    北京时间; None when it names none."""
    match = GMT_OFFSET.search(text)
    if match:
        sign = -1 if match[1] == "-" else 1
        hours, minutes = int(match[2]), int(match[3] or 0)
        if hours > 14 or minutes >= 60:
            return None
        offset = datetime.timedelta(hours=hours, minutes=minutes)
        return CHINA if sign == 1 and offset == datetime.timedelta(hours=8) else datetime.timezone(sign * offset)
    lowered = normal(text)
    if any(re.search(rf"(^|[^a-z]){re.escape(name)}([^a-z]|$)", lowered) for name in CHINA_NAMES):
        return CHINA
    if lowered in ("utc", "gmt") or re.search(r"\((utc|gmt)\)", lowered):
        return datetime.UTC
    return None


def f_to_c(value: float) -> float:
    return round((value - 32) * 5 / 9, 3)


def lum_ft2_to_lux(value: float) -> float:
    return round(value * 10.7639, 3)  # 1 lm/ft² = 10.7639 lx


# Columns of derived or other values, never imported as a measurement.
_DERIVED_WORDS = ("露点", "绝对湿度", "电池", "电量", "信号", "湿球", "最高", "最低", "平均", "报警", "状态",
                  "二氧化碳", "气压", "露點")
_DERIVED = re.compile(r"(^|[^a-z])(dew|dewpt|absolute|heat index|vpd|battery|voltage|signal|wet bulb|max|min|avg|"
                      r"mean|mkt|alarm|status|co2|pressure)([^a-z]|$)")


def classify(header: str) -> tuple[str, str, str] | None:
    """(parameter, unit written, unit key) for a measurement column's header, None for anything else (time, event,
    serial number, a derived value such as the dew point)."""
    text = normal(header)
    if not text or any(word in text for word in _DERIVED_WORDS) or _DERIVED.search(text):
        return None
    unit = _unit_in(text)
    if re.search(r"(^|[^a-z])(temp|temperature|t)([^a-z]|$)", text) or "温度" in text or unit in ("°c", "°f"):
        return "temperature", {"°f": "°F"}.get(unit, "°C"), unit or "°c"
    if (re.search(r"(^|[^a-z])(rh|humidity|hum|humi)([^a-z]|$)", text) or "湿度" in text or text == "湿"
            or unit in ("%rh",)):
        return "rh", "%", "%"
    if re.search(r"(^|[^a-z])uv([^a-z]|$)", text) or "紫外" in text or "ultraviolet" in text:
        return "uv", unit or "µW/lm", unit or "µw/lm"
    if (re.search(r"(^|[^a-z])(lux|lx|light|intensity|illuminance|illum)([^a-z]|$)", text) or "照度" in text
            or "光照" in text or unit in ("lx", "lux", "lum/ft²")):
        return "lux", unit or "lx", unit or "lx"
    return None


_UNIT_PATTERNS = (
    ("°f", r"°\s*f\b|(^|[^a-z])degf|\(f\)|\bfahrenheit"),
    ("°c", r"°\s*c\b|(^|[^a-z])degc|\(c\)|celsius|摄氏"),
    ("%rh", r"%\s*rh"),
    ("µw/lm", r"[µμu]w/lm"),
    ("µw/cm²", r"[µμu]w/cm\s*(2|²|\^2)"),
    ("mw/cm²", r"mw/cm\s*(2|²|\^2)"),
    ("w/m²", r"(^|[^mµμu])w/m\s*(2|²|\^2)"),
    ("lum/ft²", r"lum/ft|lm/ft"),
    ("lx", r"(^|[^a-z])(lx|lux)([^a-z]|$)"),
    ("%", r"%"),
)


def _unit_in(text: str) -> str:
    for key, pattern in _UNIT_PATTERNS:
        if re.search(pattern, text):
            return key
    return ""


def is_time_header(header: str) -> bool:
    text = normal(header)
    return bool(text) and (any(word in text for word in ("时间", "日期", "時刻", "日付", "timestamp")) or bool(
        re.match(r"(date|time|date[ /-]?time)([ ,(]|$)", text)))
