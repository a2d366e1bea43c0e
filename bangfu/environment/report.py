"""The monthly environment report of a room or of a museum's rooms: the month's figures per room (temperature and
RH min/mean/max, time in range, dew point, light exposure), each day's extremes, the alerts and the pest count;
written as an Excel workbook (openpyxl, every cell through `core.spreadsheets`) and as a PDF (reportlab, Chinese
in the built-in CID font STSong-Light — no font file shipped; the reader's PDF viewer supplies the glyphs — and a
chart of the daily extremes drawn with reportlab.graphics).

A month of one museum is small (a few dozen rooms, ~3,000 readings per sensor, aggregated in the database), so the
file is written while the page waits; the background export machinery (`core.exports`) is for lists of many
thousand rows."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook

from bangfu.core.spreadsheets import safe_row, saved, write_header
from bangfu.core.text import strip_control_characters

from . import limits as limits_module
from .metrics import room_metrics
from .models import Alert, PestRecord, Room
from .summaries import daily_extremes

PDF_FONT = "STSong-Light"


@dataclass
class RoomMonth:
    room: Room
    limits: limits_module.Limits
    metrics: dict
    days: list[dict]
    alerts: list[Alert]
    pests: int
    notes: list[str] = field(default_factory=list)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the month and of the next, China time."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(month.year, month.month, 1, tzinfo=tz)
    following = datetime.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
    return start, following


def parse_month(text: str) -> datetime.date | None:
    """"2026-11" as the month's first day; None when it is not a month between 2000 and next year."""
    try:
        year, month = (int(part) for part in text.split("-"))
        day = datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return None
    return day if 2000 <= year <= timezone.localdate().year + 1 and text.isascii() else None


def month_data(rooms, month: datetime.date) -> list[RoomMonth]:
    """Each room's month (a fixed number of queries per room: a museum has a few dozen)."""
    start, end = month_bounds(month)
    table = limits_module.limit_table()
    out = []
    for room in rooms:
        lims = limits_module.limits_for(room, table)
        alerts = list(Alert.objects.filter(room=room, start__lt=end).exclude(end__lt=start).select_related("sensor")
                      .order_by("start"))
        pests = PestRecord.objects.filter(room=room, date__gte=start.date(), date__lt=end.date()).aggregate(
            n=Sum("count"))["n"] or 0
        out.append(RoomMonth(room=room, limits=lims, metrics=room_metrics(room, start=start, end=end, table=table),
                             days=daily_extremes(room, start, end), alerts=alerts, pests=pests))
    return out


def _n(value, digits: int = 1):
    return None if value is None else round(value, digits)


def _share(value):
    return None if value is None else round(value * 100, 1)


SUMMARY_HEADERS = ["博物馆", "点位", "名称", "类型", "温度最低", "温度平均", "温度最高", "湿度最低", "湿度平均",
                   "湿度最高", "温度达标 %", "湿度达标 %", "平均露点", "曝光量 lx·h", "报警次数", "虫害数量"]


def _summary_values(m: RoomMonth) -> list:
    t, rh = m.metrics["temperature"], m.metrics["rh"]
    return [m.room.museum.name, m.room.site.name, m.room.name, m.room.get_kind_display(), _n(t["min"]),
            _n(t["mean"]), _n(t["max"]), _n(rh["min"]), _n(rh["mean"]), _n(rh["max"]),
            _share(m.metrics["time_in_range"]["temperature"]), _share(m.metrics["time_in_range"]["rh"]),
            _n(m.metrics["dew_point"]["mean"]), _n(m.metrics["light_exposure_lxh"], 0), len(m.alerts), m.pests]


def workbook(data: list[RoomMonth], *, title: str, month: datetime.date):
    """The report as an .xlsx stream: 概况 (one row per room), 逐日 (each day's extremes), 报警 (the alerts)."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("概况")
    write_header(summary, SUMMARY_HEADERS, [18, 12, 14, 8] + [10] * 12)
    for m in data:
        summary.append(safe_row(summary, _summary_values(m)))
    summary.append(safe_row(summary, []))
    summary.append(safe_row(summary, [f"{title} · {month:%Y年%m月} · 生成于 {timezone.localtime():%Y-%m-%d %H:%M}"]))
    days = book.create_sheet("逐日")
    write_header(days, ["点位", "名称", "日期", "温度最低", "温度最高", "温度日较差", "湿度最低", "湿度最高",
                        "湿度日波动"], [12, 14, 12] + [10] * 6)
    for m in data:
        for d in m.days:
            t_range = d["t_max"] - d["t_min"] if d["t_max"] is not None else None
            rh_range = d["rh_max"] - d["rh_min"] if d["rh_max"] is not None else None
            days.append(safe_row(days, [m.room.site.name, m.room.name, d["day"].isoformat(), _n(d["t_min"]),
                                        _n(d["t_max"]), _n(t_range), _n(d["rh_min"]), _n(d["rh_max"]),
                                        _n(rh_range)]))
    alerts = book.create_sheet("报警")
    write_header(alerts, ["名称", "传感器", "类型", "开始", "结束", "峰值", "限值", "超限读数", "处置说明"],
                 [14, 12, 14, 17, 17, 8, 8, 8, 40])
    for m in data:
        for a in m.alerts:
            alerts.append(safe_row(alerts, [
                m.room.name, a.sensor.name if a.sensor else "", a.get_kind_display(), _local(a.start),
                _local(a.end) if a.end else "未结束", _n(a.peak, 2), _n(a.limit, 2), a.readings, a.acknowledgement]))
    return saved(book)


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- PDF --------------------------------------------------------------------------------------------------


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def _text(value) -> str:
    """Text for a PDF paragraph: no control characters, markup escaped (reportlab reads a mini-HTML)."""
    from xml.sax.saxutils import escape

    return escape(strip_control_characters(str(value)))


def _chart(m: RoomMonth):
    """Daily min and max of temperature (left) and RH (right, as a second plot) over the month."""
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    drawing = Drawing(480, 170)
    series_sets = [
        ("温度（°C）", 0, [("t_min", colors.HexColor("#2b6cb0")), ("t_max", colors.HexColor("#c53030"))]),
        ("相对湿度（%）", 250, [("rh_min", colors.HexColor("#2f855a")), ("rh_max", colors.HexColor("#b7791f"))]),
    ]
    for label, x, keys in series_sets:
        plot = LinePlot()
        plot.x, plot.y, plot.width, plot.height = x + 30, 30, 190, 110
        data = [[(d["day"].day, d[key]) for d in m.days if d[key] is not None] for key, _ in keys]
        data = [line if line else [(1, 0)] for line in data]
        plot.data = data
        for index, (_, color) in enumerate(keys):
            plot.lines[index].strokeColor = color
            plot.lines[index].strokeWidth = 1.2
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 1, 31
        plot.xValueAxis.valueSteps = [1, 8, 15, 22, 29]
        plot.xValueAxis.labels.fontName = plot.yValueAxis.labels.fontName = PDF_FONT
        plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
        drawing.add(plot)
        drawing.add(String(x + 30, 150, label, fontName=PDF_FONT, fontSize=9))
        legend = Legend()
        legend.x, legend.y = x + 130, 160
        legend.fontName, legend.fontSize = PDF_FONT, 7
        legend.columnMaximum, legend.dx, legend.dy = 1, 6, 6
        legend.alignment = "right"
        legend.colorNamePairs = [(keys[0][1], "日最低"), (keys[1][1], "日最高")]
        drawing.add(legend)
    return drawing


def pdf(data: list[RoomMonth], *, title: str, month: datetime.date) -> io.BytesIO:
    """The report as a PDF: a title, then per room its figures, its chart of daily extremes and its alerts."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=9, leading=13, wordWrap="CJK")
    heading = ParagraphStyle("h1", parent=body, fontSize=16, leading=22, spaceAfter=6)
    subheading = ParagraphStyle("h2", parent=body, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
    stream = io.BytesIO()
    doc = SimpleDocTemplate(stream, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=strip_control_characters(f"{title} {month:%Y-%m}"))
    story = [Paragraph(_text(f"{title} · {month.year}年{month.month}月 环境监测月报"), heading),
             Paragraph(_text(f"生成于 {timezone.localtime():%Y-%m-%d %H:%M}；共 {len(data)} 个库房/展厅/展柜。"
                             "达标率按本平台材质环境指标表计算。"), body)]
    if not data:
        story.append(Paragraph("没有在用的库房、展厅或展柜。", body))
    grid = TableStyle([("FONT", (0, 0), (-1, -1), PDF_FONT, 8), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e3e3")),
                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    for m in data:
        t, rh, tir = m.metrics["temperature"], m.metrics["rh"], m.metrics["time_in_range"]
        t_low, t_high = m.limits.range_of("temperature")
        rh_low, rh_high = m.limits.range_of("rh")
        rows = [["", "最低", "平均", "最高", "目标范围", "达标"],
                ["温度（°C）", _fmt(t["min"]), _fmt(t["mean"]), _fmt(t["max"]), _range(t_low, t_high),
                 _pct(tir["temperature"])],
                ["相对湿度（%）", _fmt(rh["min"]), _fmt(rh["mean"]), _fmt(rh["max"]), _range(rh_low, rh_high),
                 _pct(tir["rh"])]]
        table = Table([[_cell(v, body) for v in row] for row in rows], colWidths=[28 * mm] + [26 * mm] * 5)
        table.setStyle(grid)
        extra = (f"平均露点 {_fmt(m.metrics['dew_point']['mean'])} °C；曝光量 "
                 f"{_fmt(m.metrics['light_exposure_lxh'], 0)} lx·h；报警 {len(m.alerts)} 次；虫害 {m.pests} 只。")
        part = [Paragraph(_text(f"{m.room.site.name} · {m.room.name}（{m.room.get_kind_display()}）"), subheading),
                table, Spacer(1, 4), Paragraph(_text(extra), body)]
        if m.days:
            part.append(_chart(m))
        story.append(KeepTogether(part))
        if m.alerts:
            alert_rows = [["类型", "开始", "结束", "峰值", "处置说明"]] + [
                [a.get_kind_display(), _local(a.start), _local(a.end) if a.end else "未结束", _fmt(a.peak, 2),
                 a.acknowledgement[:120]] for a in m.alerts[:30]]
            alerts = Table([[_cell(v, body) for v in row] for row in alert_rows],
                           colWidths=[26 * mm, 30 * mm, 30 * mm, 16 * mm, 52 * mm], repeatRows=1)
            alerts.setStyle(grid)
            story += [Spacer(1, 4), alerts]
    doc.build(story)
    stream.seek(0)
    return stream


def _cell(value, style):
    from reportlab.platypus import Paragraph

    return Paragraph(_text(value), style)


def _fmt(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _range(low, high) -> str:
    if low is None and high is None:
        return "未设"
    return f"{'' if low is None else f'{low:g}'}～{'' if high is None else f'{high:g}'}"
