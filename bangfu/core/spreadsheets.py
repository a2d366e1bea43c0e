"""Writing Excel files (openpyxl, write-only mode): every cell through `safe_cell` (no control characters, never a
formula), a bold header, a stream."""

from __future__ import annotations

from collections.abc import Sequence
from tempfile import SpooledTemporaryFile
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .text import strip_control_characters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "F3E3E3"


def safe_cell(sheet, value: Any, *, font: Font | None = None):
    """Every cell the platform writes goes through here. Text loses the control characters Excel's XML cannot hold
    (records stored before input refused them must still export) and is always a string cell: one that starts
    with "=" never becomes a formula Excel would run."""
    if isinstance(value, str):
        value = strip_control_characters(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def safe_row(sheet, values: Sequence[Any]) -> list:
    """A row of plain values, each through `safe_cell`, for `sheet.append`."""
    return [safe_cell(sheet, value) for value in values]


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
        cell = safe_cell(sheet, header, font=bold)
        cell.fill = fill
        row.append(cell)
    sheet.append(row)


def bold_row(sheet, values: Sequence[Any]) -> list:
    """A row in bold (a totals row)."""
    bold = Font(bold=True)
    return [safe_cell(sheet, value, font=bold) for value in values]


def saved(workbook) -> SpooledTemporaryFile:
    """The workbook as a rewound file object, ready for a FileResponse (which closes it)."""
    stream = SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 — handed to the response
    workbook.save(stream)
    stream.seek(0)
    return stream
