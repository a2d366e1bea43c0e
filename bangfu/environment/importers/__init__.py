"""Logger exports read into readings: `parse(data, filename)` detects the format from the content (one module per
format: HOBOware, HOBOconnect, T&D, Elitech, Hanwell, the platform's template, a cloud platform's export), reads
every data row into a `ReadingIn` with an aware time, and reports the rest — the columns found, the time span,
the gaps, every bad line with its 1-based line number and reason, whether the file was newest first.

Nothing is written here. A bad line is refused for the reason `readings.check` gives (the same check the writer
applies), so what the preview lists is exactly what saving refuses. Rules:
- a blank line, or a line with a time and only logger events (HOBO's "Host Connected"…) is skipped, not bad;
- a value written `--`, `-` or left empty is a value not measured; a line with no value at all is bad;
- a second line with the same time as an earlier one is bad (the first is kept);
- a gap is an interval between consecutive readings longer than GAP_FACTOR × the file's median interval.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils import timezone

from ..models import Parameter
from ..readings import VALUES, ReadingIn, check
from . import cloud, elitech, hanwell, hoboconnect, hoboware, tandd, template
from .layout import UV_MIN_LUX, Column, Layout
from .tables import MAX_BYTES, MAX_ROWS, ImportFileError, Table, check_size, read_tables
from .values import CellError, moment, order_of, quoted, text_of
from .values import number as read_number

__all__ = ["FORMATS", "MAX_BYTES", "MAX_ROWS", "ImportFileError", "ParseResult", "check_size", "parse"]

# Tried in this order: the specific formats first, the generic table last.
DETECTORS = (hoboware, hoboconnect, tandd, elitech, hanwell, template, cloud)
FORMATS = {m.CODE: m.LABEL for m in DETECTORS}
GAP_FACTOR = 2.5
MAX_BAD_LINES = 1_000  # listed (the count says how many more)
MAX_GAPS = 200


@dataclass
class ParseResult:
    format: str
    format_label: str
    encoding: str
    columns: list[dict]
    ignored: list[dict] = field(default_factory=list)
    readings: list[ReadingIn] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # each reading's line in the file
    bad_lines: list[dict] = field(default_factory=list)  # [{line, reason}]
    bad_count: int = 0
    gaps: list[dict] = field(default_factory=list)  # [{start, end}]
    newest_first: bool = False
    events: int = 0  # lines of logger events only, skipped
    notes: list[str] = field(default_factory=list)
    median_interval: datetime.timedelta | None = None

    @property
    def first(self) -> datetime.datetime | None:
        return self.readings[0].time if self.readings else None

    @property
    def last(self) -> datetime.datetime | None:
        return self.readings[-1].time if self.readings else None

    def summary(self) -> dict:
        """What a preview shows and the API answers (JSON-ready; times ISO 8601 in China time)."""
        return {
            "format": self.format, "format_label": self.format_label, "encoding": self.encoding,
            "columns": self.columns, "ignored": self.ignored, "readings": len(self.readings),
            "first": _iso(self.first), "last": _iso(self.last),
            "gaps": [{"start": _iso(g["start"]), "end": _iso(g["end"])} for g in self.gaps],
            "bad_lines": self.bad_lines, "bad_count": self.bad_count, "newest_first": self.newest_first,
            "events": self.events, "notes": self.notes,
            "interval_minutes": round(self.median_interval.total_seconds() / 60, 2) if self.median_interval else None,
        }


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def parse(data: bytes, filename: str = "") -> ParseResult:
    """Read a logger export. Raises `ImportFileError` (a Chinese message) for a file that cannot be read at all
    or whose format is not recognised."""
    found = None
    for table in read_tables(data):
        for detector in DETECTORS:
            layout = detector.detect(table.rows)
            if layout is not None:
                found = (table, layout)
                break
        if found:
            break
    if found is None:
        name = PurePath(filename or "").name
        raise ImportFileError(
            f"无法识别{('“' + quoted(name) + '”') if name else '该文件'}的格式："
            "没有找到时间列和温度、湿度、照度或紫外列。"
            "支持 HOBOware、HOBOconnect、T&D、精创 ElitechLog、Hanwell 的导出文件，云平台导出的表格和本平台的模板。")
    return _read(*found)


def _read(table: Table, layout: Layout) -> ParseResult:
    rows = table.rows[layout.data_from:]
    result = ParseResult(format=layout.format, format_label=layout.label, encoding=table.encoding,
                         columns=[c.describe() for c in layout.columns], ignored=layout.ignored,
                         notes=list(layout.notes))
    if len(rows) > MAX_ROWS and sum(1 for _, cells in rows if any(text_of(c) for c in cells)) > MAX_ROWS:
        raise ImportFileError(f"文件超过 {MAX_ROWS} 行的上限，请按时间拆分后分批导入。")
    samples = (cells[layout.time] for _, cells in rows[:5000] if layout.time < len(cells))
    order = order_of(samples, "dmy" if layout.order == "dmy" else "mdy")
    now = timezone.now()
    seen: dict[datetime.datetime, int] = {}
    good: list[tuple[datetime.datetime, int, ReadingIn]] = []
    uv = next((c for c in layout.columns if c.parameter == "uv" and c.irradiance), None)
    for line, cells in rows:
        item = _row(cells, layout, order=order, decimal_comma=table.decimal_comma, uv=uv)
        if item is None:
            continue
        if item == "events":
            result.events += 1
            continue
        if isinstance(item, str):
            _bad(result, line, item)
            continue
        reason = _chinese(check(item, now=now))
        if reason:
            _bad(result, line, reason)
            continue
        if item.time in seen:
            when = f"{timezone.localtime(item.time):%Y-%m-%d %H:%M:%S}"
            _bad(result, line, f"与第 {seen[item.time]} 行的时间相同（{when}）")
            continue
        seen[item.time] = line
        good.append((item.time, line, item))
    decreasing = sum(1 for a, b in zip(good, good[1:], strict=False) if b[0] < a[0])
    result.newest_first = len(good) > 1 and decreasing > (len(good) - 1) / 2
    if result.newest_first:
        result.notes.append("文件按时间倒序（最新的在前），已按时间顺序排列。")
    good.sort(key=lambda g: g[0])
    result.readings = [g[2] for g in good]
    result.lines = [g[1] for g in good]
    result.gaps, result.median_interval = _gaps([g[0] for g in good])
    if result.events:
        result.notes.append(f"跳过了 {result.events} 行只有记录仪事件（如连接、结束）的行。")
    return result


def _bad(result: ParseResult, line: int, reason: str) -> None:
    result.bad_count += 1
    if len(result.bad_lines) < MAX_BAD_LINES:
        result.bad_lines.append({"line": line, "reason": reason})


def _chinese(reason: str) -> str:
    """`check`'s reason with the value's Chinese name."""
    for name in VALUES:
        if reason.startswith(name + " "):
            return Parameter(name).label + reason[len(name):]
    return reason


def _row(cells: tuple, layout: Layout, *, order: str, decimal_comma: bool,
         uv: Column | None = None) -> ReadingIn | str | None:
    """A data row as a reading; a reason (str) when it is bad; "events" for a row of logger events only; None
    for a row to skip (blank, or a note without time or values). `uv`: the layout's UV column given as
    irradiance, if any (turned into µW/lm with the row's illuminance)."""
    def cell(index):
        return cells[index] if index is not None and index < len(cells) else None

    values: dict[str, float | None] = {}
    problems = []
    for column in layout.columns:
        try:
            values[column.parameter] = _value(column, cell(column.index), decimal_comma)
        except CellError as exc:
            problems.append(f"{Parameter(column.parameter).label}{exc}")
    present = any(v is not None for v in values.values()) or problems
    raw_time = cell(layout.time)
    if not text_of(raw_time):
        if not present:
            return None
        return "缺少时间"
    try:
        time = moment(raw_time, tz=layout.tz, order=order, clock=cell(layout.clock))
    except CellError as exc:
        return str(exc) if present else None  # a note or a footer without values is not a reading
    if problems:
        return "；".join(problems)
    if not present:
        if any(text_of(cell(i)) for i in layout.events):
            return "events"
        return "没有任何读数"
    if uv and values.get("uv") is not None:
        lux = values.get("lux")
        values["uv"] = round(values["uv"] * uv.irradiance / lux, 2) if lux and lux >= UV_MIN_LUX else None
    return ReadingIn(time=time, **values)


def _value(column: Column, raw, decimal_comma: bool) -> float | None:
    value = read_number(raw, decimal_comma=decimal_comma)
    if value is not None and column.convert is not None:
        value = column.convert(value)
    return value


def _gaps(times: list[datetime.datetime]) -> tuple[list[dict], datetime.timedelta | None]:
    """Intervals longer than GAP_FACTOR × the median interval between consecutive readings."""
    steps = [b - a for a, b in zip(times, times[1:], strict=False)]
    if len(steps) < 2:
        return [], steps[0] if steps else None
    median = statistics.median(steps)
    limit = median * GAP_FACTOR
    gaps = [{"start": a, "end": b} for a, b in zip(times, times[1:], strict=False) if b - a > limit]
    return gaps[:MAX_GAPS], median
