"""The ledger as an Excel file: the filtered rows, a totals row, and a sheet saying what was filtered."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing
from decimal import Decimal
from operator import attrgetter
from tempfile import SpooledTemporaryFile

import openpyxl
from django.utils import timezone

from bangfu.core.areas import Area
from bangfu.core.spreadsheets import bold_row, safe_cell, safe_row, saved, write_header
from bangfu.museums.models import Museum
from bangfu.places.models import Division

from . import selectors
from .models import QUANTITIES, LedgerEntry

# (header, width, value of an entry)
COLUMNS = [
    ("编号", 8, lambda e: e.pk),
    ("日期", 12, lambda e: e.date),
    ("帮扶方", 26, lambda e: e.helper.name),
    ("受援方", 26, lambda e: e.helped.name),
    ("受援方所在市", 12, lambda e: e.helped.city.name if e.helped.city_id else ""),
    ("领域", 10, lambda e: e.get_area_display()),
    ("帮扶形式", 12, lambda e: e.kind),
    *((q.heading, 14, attrgetter(q.name)) for q in QUANTITIES),
    ("内容", 50, lambda e: e.description),
    # The pairing's museums are the entry's (ledger_record holds them equal): named without another query.
    ("所属结对", 30, lambda e: f"{e.helper.name} — {e.helped.name}" if e.pairing_id else ""),
    ("来源", 24, lambda e: "平台外帮扶（手工登记）" if e.is_manual else (e.source_label or e.source_type)),
    ("状态", 12, lambda e: e.get_confirmation_display()),
    ("异议", 30, lambda e: e.objection),
    ("作废/撤回理由", 30, lambda e: e.end_reason if e.is_ended else ""),
    ("更正理由", 30, lambda e: e.correction_reason),
    ("佐证链接", 30, lambda e: e.evidence_link),
    ("佐证材料", 10, lambda e: "有" if e.has_evidence_file else ""),
]
SUMMED = {q.heading: q.name for q in QUANTITIES}
DATE_FORMAT = "yyyy-mm-dd"


def _totals_row(count: int, ended: int, sums: dict) -> list:
    row = []
    for header, _, _ in COLUMNS:
        if header == "编号":
            row.append("合计")
        elif header == "日期":
            row.append(f"{count} 条" + (f"（另有 {ended} 条已作废或撤回，不计入）" if ended else ""))
        else:
            row.append(sums[SUMMED[header]] if header in SUMMED else None)
    return row


def export_workbook(entries: Iterable[LedgerEntry], *, conditions: list[tuple[str, str]]) -> SpooledTemporaryFile:
    """Write the entries (with helper, helped and the helped museum's city selected) and a totals row."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("帮扶台账")
    write_header(sheet, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])
    sheet.freeze_panes = "C2"
    sums = dict.fromkeys(SUMMED.values(), Decimal(0))
    count = ended = 0
    for entry in entries:
        row = []
        for header, _, value in COLUMNS:
            cell = safe_cell(sheet, value(entry))
            if header == "日期":
                cell.number_format = DATE_FORMAT
            row.append(cell)
        sheet.append(row)
        if entry.is_ended:  # listed, never counted
            ended += 1
            continue
        for name in sums:
            sums[name] += getattr(entry, name)
        count += 1
    sheet.append(bold_row(sheet, _totals_row(count, ended, sums)))
    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 70
    notes.append(safe_row(notes, ["筛选条件", "值"]))
    for label, value in conditions:
        notes.append(safe_row(notes, [label, value]))
    notes.append([])
    notes.append(safe_row(notes, ["说明", "合计为本表所列记录之和。默认只列出已确认的记录；"
                                          "筛选“待对方确认”“对方有异议”或“全部状态”时，合计包含尚未确认的记录。"
                                          "已作废、已撤回的记录列出但不计入合计。"]))
    return saved(workbook)


def export_conditions(user, filters: selectors.LedgerFilters) -> list[tuple[str, str]]:
    """The filters in words, for the export's notes sheet (also written by the export task)."""
    names = dict(Museum.objects.filter(pk__in=[i for i in (filters.helper, filters.helped) if i])
                 .values_list("id", "name"))
    city = Division.objects.filter(pk=filters.city).values_list("name", flat=True).first() if filters.city else None
    rows = [
        ("年度", f"{filters.year}年" if filters.year else "全部"),
        ("领域", Area(filters.area).label if filters.area else "全部"),
        ("帮扶方", names.get(filters.helper, "全部")),
        ("受援方", names.get(filters.helped, "全部")),
        ("所在市（任一方）", city or "全部"),
        ("确认状态", dict(selectors.STATES)[filters.state]),
        ("关键词", filters.q or "无"),
        ("导出人", user.display_name),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    if filters.pairing:
        rows.insert(5, ("结对", selectors.pairing_label(user, filters.pairing) or "（无此结对）"))
    return rows


def export_file(entries, *, user, filters: selectors.LedgerFilters, count=None) -> tuple:
    """The entries as .xlsx with a totals row and the filters in words, and the download name. `count(rows,
    total)` wraps the rows to report progress (an export written by a task)."""
    # closing(): see the museum export — no server-side cursor left open after a failure.
    chosen = entries.select_related("helper", "helped", "helped__city").prefetch_related("evidence")
    with closing(chosen.iterator(chunk_size=2000)) as rows:
        stream = export_workbook(count(rows, entries.count()) if count else rows,
                                 conditions=export_conditions(user, filters))
    return stream, f"帮扶台账-{timezone.localdate():%Y%m%d}.xlsx"
