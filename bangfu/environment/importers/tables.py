"""An uploaded file as a table of rows, whatever it is: a CSV (UTF-8 with or without BOM, UTF-16, GB18030/GBK;
comma, semicolon or tab), an .xlsx (through the platform's checked reader) or an old .xls (xlrd). What the file is
comes from its content, not its name; a file that is none of these — binary junk, an empty file, a broken
workbook, an ".xls" that is really a web page — is one `ImportFileError` with a Chinese message."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from bangfu.core.spreadsheet_uploads import OLE_MAGIC, ZIP_MAGIC, SpreadsheetError, xlsx_sheets

MAX_BYTES = settings.UPLOAD_MAX_IMPORT_MB * 1024 * 1024  # the platform's limit for imported files (nginx's too)
MAX_ROWS = 200_000  # two years of 5-minute readings, seven of 15-minute ones
XLS_BROKEN = "无法读取该 .xls 文件，文件可能已损坏"
XLS_HINT = "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the user (Chinese)."""


@dataclass
class Table:
    rows: list[tuple[int, tuple]]  # (1-based line in the file, cells)
    kind: str  # "csv", "xlsx", "xls"
    encoding: str = ""
    delimiter: str = ","
    sheet: str = ""

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError("文件是空的。")
    if size > MAX_BYTES:
        raise ImportFileError(f"文件大小为 {size / 1024 / 1024:.1f} MB，超过了 {MAX_BYTES // 1024 // 1024} MB 的上限，"
                              "请按时间拆分后分批导入。")


def read_tables(data: bytes) -> list[Table]:
    """The tables of a file (the sheets of a workbook, the one table of a CSV), in order."""
    check_size(len(data))
    head = data[:4]
    if head == ZIP_MAGIC:
        return _xlsx(data)
    if head == OLE_MAGIC:
        return _xls(data)
    if _is_html(data):
        raise ImportFileError("这个文件实际上是网页（HTML）格式，并不是 Excel 或 CSV 文件"
                              "（一些软件导出的 .xls 就是这样）。"
                              "请用 Excel 或 WPS 打开后“另存为” .xlsx 或 CSV 再上传。")
    return [_csv(data)]


def _is_html(data: bytes) -> bool:
    start = data[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    return start.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta", b"<head"))


# --- CSV -------------------------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-16 by its BOM (or its zero bytes), else UTF-8 (BOM or not),
    else GB18030 (a superset of GBK and GB2312: what Chinese Windows and Excel save)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = ["utf-16"]
    elif data[:3] == b"\xef\xbb\xbf":
        candidates = ["utf-8-sig"]
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0] != 0:
        candidates = ["utf-16-le"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text.lstrip("\ufeff"), {"utf-8-sig": "UTF-8（带 BOM）", "utf-8": "UTF-8", "gb18030": "GB18030/GBK",
                                        "utf-16": "UTF-16", "utf-16-le": "UTF-16"}[encoding]
    else:
        # A text file with a few broken bytes (a GBK export cut or damaged on one line): read it with those bytes
        # replaced by U+FFFD, so that the lines they fall in are listed as bad lines and the rest is kept.
        best = min(((data.decode(e, errors="replace"), e) for e in candidates), key=lambda p: p[0].count("\ufffd"))
        text, encoding = best
        if text.count("\ufffd") <= max(1, len(text) // 1000) and not _looks_binary(text):
            label = "GB18030/GBK" if encoding == "gb18030" else "UTF-8"
            return text.lstrip("\ufeff"), f"{label}（含无法识别的字节）"
    raise ImportFileError("文件内容不是文本表格（CSV），也不是 Excel 文件，可能已损坏或不是记录仪导出的数据文件。")


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t") or 0x7F <= ord(c) < 0xA0)
    return "\x00" in sample or controls > len(sample) // 100


def _delimiter(lines: list[str]) -> str:
    """The separator under which most of the first lines split into the same number (≥ 2) of cells."""
    best, score = ",", -1
    for candidate in (",", ";", "\t"):
        counts = Counter(len(row) for row in csv.reader(lines, delimiter=candidate))
        modal = max((n for n in counts if n > 1), key=lambda n: (counts[n], n), default=None)
        value = counts[modal] if modal else 0
        if value > score:
            best, score = candidate, value
    return best


def _csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if not text.strip():
        raise ImportFileError("文件是空的。")
    sample = [line for line in text[:200_000].splitlines()[:60] if line.strip()]
    delimiter = _delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, tuple]] = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, _trimmed(cells)))
            line = reader.line_num + 1
            if len(rows) > MAX_ROWS + 100:
                raise ImportFileError(f"文件超过 {MAX_ROWS} 行的上限，请按时间拆分后分批导入。")
    except csv.Error as exc:
        raise ImportFileError(f"第 {line} 行无法读取（{exc}），文件可能已损坏。") from None
    return Table(rows=rows, kind="csv", encoding=encoding, delimiter=delimiter)


def _trimmed(cells) -> tuple:
    end = len(cells)
    while end and (cells[end - 1] is None or (isinstance(cells[end - 1], str) and not cells[end - 1].strip())):
        end -= 1
    return tuple(cells[:end])


# --- workbooks -------------------------------------------------------------------------------------------------


def _xlsx(data: bytes) -> list[Table]:
    found = []
    try:
        for sheet in xlsx_sheets(data, max_rows=MAX_ROWS + 100):
            found.append(Table(rows=[(line, _trimmed(cells)) for line, cells in sheet], kind="xlsx",
                               encoding="Excel（.xlsx）"))
    except SpreadsheetError as exc:
        raise ImportFileError(str(exc).replace("请拆分后分批导入", "请按时间拆分后分批导入")) from None
    return found


def _xls(data: bytes) -> list[Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises many kinds of error on broken files; none may become a 500
        raise ImportFileError(f"{XLS_BROKEN}（或已加密）。{XLS_HINT}") from exc
    found = []
    try:
        for index in range(min(book.nsheets, 20)):
            sheet = book.sheet_by_index(index)
            if sheet.nrows > MAX_ROWS + 100:
                raise ImportFileError(f"文件超过 {MAX_ROWS} 行的上限，请按时间拆分后分批导入。")
            rows = [(r + 1, _trimmed([_xls_value(cell, book.datemode) for cell in sheet.row(r)[:200]]))
                    for r in range(sheet.nrows)]
            found.append(Table(rows=rows, kind="xls", encoding="Excel 97-2003（.xls）", sheet=sheet.name))
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"{XLS_BROKEN}。{XLS_HINT}") from exc
    finally:
        book.release_resources()
    return found


def _xls_value(cell, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_BOOLEAN):
        return str(cell.value)
    return cell.value


def excel_time(value: Any) -> bool:
    return isinstance(value, datetime.datetime | datetime.date)
