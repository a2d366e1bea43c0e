"""Writing Excel files (openpyxl, write-only mode): a bold header, cells that never become formulas, a stream."""

from __future__ import annotations

from collections.abc import Sequence
from tempfile import SpooledTemporaryFile
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "F3E3E3"


def safe_cell(sheet, value: Any) -> Any:
    """Text that starts with "=" is written as text, never as a formula Excel would run. (openpyxl stores every
    other string as a string cell, which Excel never evaluates, so "+", "-" and "@" need no escaping.)"""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_header(sheet, headers: Sequence[str], widths: Sequence[int] = ()) -> None:
    """The first row, bold on a light fill, with column widths, kept in view while scrolling (frozen) and with
    Excel's filter buttons; call before appending rows."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers)))}1"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    row = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill = bold, fill
        row.append(cell)
    sheet.append(row)


def bold_row(sheet, values: Sequence[Any]) -> list:
    """A row in bold (a totals row), with the same formula guard."""
    bold = Font(bold=True)
    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        cell.font = bold
        row.append(cell)
    return row


def saved(workbook) -> SpooledTemporaryFile:
    """The workbook as a rewound file object, ready for a FileResponse (which closes it)."""
    stream = SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 — handed to the response
    workbook.save(stream)
    stream.seek(0)
    return stream
