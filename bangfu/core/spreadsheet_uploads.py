"""Reading uploaded spreadsheets (.xlsx and .csv) without letting a file take the server's memory.

An .xlsx file is a zip of XML parts. A small upload can expand a thousandfold (a "zip bomb"), and openpyxl keeps
some of what it parses in memory even in read-only mode (the shared strings, the styles, every element of a sheet
outside its rows, each row while it is read). So before openpyxl opens a file, `check_xlsx` inspects it:

- the zip directory: number of parts, worksheets, encryption, total unzipped size and each part's ratio;
- every XML part, streamed through expat in small chunks: no DTD or entities, no text longer than an Excel cell
  holds, no row with more cells than Excel allows, and a bound on the elements openpyxl would keep at once.

Then `sheet_rows` reads the workbook in streaming mode (read-only, values only, at most `MAX_COLUMNS` columns) and
stops at a row limit. CSV files get a line-length and a row limit. Every refusal is a `SpreadsheetError` whose
message is for the user, in Chinese; broken files of any kind become one too, never another exception.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any
from xml.parsers import expat

import openpyxl

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # unzipped / zipped, for parts larger than RATIO_FROM_BYTES (real sheets compress 5-20×)
RATIO_FROM_BYTES = 1024 * 1024
MAX_ENTRIES = 1_000
MAX_SHEETS = 50
MAX_COLUMNS = 200  # cells further right are not read (every format we import has far fewer columns)
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767
MAX_TEXT_CHARS = 1_000_000  # one text run in a part other than a sheet or the shared strings
MAX_KEPT_ELEMENTS = 300_000  # elements openpyxl keeps: a whole part, or a sheet's elements outside its rows
MAX_ROW_ELEMENTS = 100_000  # elements of one row (or one shared string), held while it is parsed
MAX_SHARED_STRINGS = 1_000_000
MAX_CSV_LINE_CHARS = 100_000
SCAN_CHUNK = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"
BROKEN_XLSX = (
    "无法读取该 Excel 文件，文件可能已损坏或并非 .xlsx 格式。请用 Excel 或 WPS 打开后重新保存为 .xlsx 再上传。"
)
TOO_BIG_UNZIPPED = (
    "该 Excel 文件解压后的内容与文件大小极不相称（解压后约 {size} MB），可能是恶意构造的文件，已拒绝读取。"
    "请用 Excel 或 WPS 打开后重新保存，或删除多余的工作表、格式和空白行后再上传。"
)


class SpreadsheetError(Exception):
    """The file cannot be read; the message says why, for the user."""


# --- .xlsx -----------------------------------------------------------------------------------------------------


def check_xlsx(data: bytes) -> None:
    """Refuse an .xlsx file whose content is not a workbook or would expand out of proportion, before any part
    of it is parsed by openpyxl. Raises `SpreadsheetError`."""
    if data[:4] == OLE_MAGIC:
        raise SpreadsheetError("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传。")
    if data[:4] != ZIP_MAGIC:
        if _looks_like_text(data):
            raise SpreadsheetError(
                "文件内容是文本，不是 Excel（.xlsx）格式。如果这是 CSV 文件，请把扩展名改为 .csv 后再上传。")
        raise SpreadsheetError("文件内容不是 Excel（.xlsx）格式，请确认文件没有损坏、扩展名与内容一致。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _checked_directory(archive)
            for info in parts:
                _scan_part(archive, info)
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, expat.ExpatError, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        raise SpreadsheetError(BROKEN_XLSX) from exc


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if not sample or b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
                return True
            continue
        return True
    return False


def _checked_directory(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Check the zip directory (zipfile never inflates a part beyond the size it declares, so the declared sizes
    are a safe bound); returns the XML parts to scan."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise SpreadsheetError(
            f"该 Excel 文件包含 {len(infos)} 个内部文件，超过了 {MAX_ENTRIES} 个的上限，已拒绝读取。")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise SpreadsheetError(BROKEN_XLSX)
    if any(info.flag_bits & 0x1 for info in infos):
        raise SpreadsheetError("该 Excel 文件已加密（设置了打开密码），请取消密码后重新保存再上传。")
    sheets = [n for n in names if n.startswith(("xl/worksheets/", "xl/chartsheets/")) and n.count("/") == 2]
    if len(sheets) > MAX_SHEETS:
        raise SpreadsheetError(
            f"该 Excel 文件有 {len(sheets)} 张工作表，超过了 {MAX_SHEETS} 张的上限，请删除多余的工作表。")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(TOO_BIG_UNZIPPED.format(size=total // (1024 * 1024)))
    for info in infos:
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SpreadsheetError(TOO_BIG_UNZIPPED.format(size=max(1, total // (1024 * 1024))))
    return [info for info in infos if info.filename.endswith((".xml", ".rels")) and not info.is_dir()]


class _Limits:
    """What one XML part may contain, by the way openpyxl reads it."""

    def __init__(self, name: str):
        self.sheet = name.startswith(("xl/worksheets/", "xl/chartsheets/"))
        self.strings = name == "xl/sharedStrings.xml"
        self.text = EXCEL_MAX_CELL_CHARS if self.sheet or self.strings else MAX_TEXT_CHARS


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Stream one XML part through expat, keeping only counters, and refuse what would blow up openpyxl."""
    limits = _Limits(info.filename)
    parser = expat.ParserCreate()
    state = {"kept": 0, "in_row": 0, "depth_row": None, "depth": 0, "cells": 0, "text": 0, "items": 0}
    item = "si" if limits.strings else "row"

    def start(name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        state["depth"] += 1
        state["text"] = 0
        if state["depth_row"] is not None:
            state["in_row"] += 1
            if state["in_row"] > MAX_ROW_ELEMENTS:
                raise SpreadsheetError(_too_complex(info.filename))
            if limits.sheet and name == "c":
                state["cells"] += 1
                if state["cells"] > EXCEL_MAX_COLUMNS:
                    raise SpreadsheetError(
                        f"该 Excel 文件的某一行超过了 Excel 的 {EXCEL_MAX_COLUMNS} 列上限，文件可能已损坏。")
            return
        if (limits.sheet or limits.strings) and name == item:
            # openpyxl clears each row (each shared string) once read: only an empty shell of it stays.
            state["depth_row"], state["in_row"], state["cells"] = state["depth"], 0, 0
            state["items"] += 1
            if state["items"] > (EXCEL_MAX_ROWS if limits.sheet else MAX_SHARED_STRINGS):
                raise SpreadsheetError(_too_complex(info.filename))
            row = attrs.get("r", "1")
            if limits.sheet and not (row.isascii() and row.isdigit() and 0 < int(row) <= EXCEL_MAX_ROWS):
                raise SpreadsheetError(f"该 Excel 文件的行号超出了 Excel 的 {EXCEL_MAX_ROWS} 行上限，文件可能已损坏。")
            return
        state["kept"] += 1
        if state["kept"] > MAX_KEPT_ELEMENTS:
            raise SpreadsheetError(_too_complex(info.filename))

    def end(name: str) -> None:
        if state["depth"] == state["depth_row"]:
            state["depth_row"] = None
        state["depth"] -= 1
        state["text"] = 0

    def text(data: str) -> None:
        state["text"] += len(data)
        if state["text"] > limits.text:
            raise SpreadsheetError(
                f"该 Excel 文件中有超过 {EXCEL_MAX_CELL_CHARS} 个字符的单元格，超出了 Excel 的上限，文件可能已损坏。")

    def refuse_dtd(*args: Any) -> None:
        raise SpreadsheetError(BROKEN_XLSX)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    with archive.open(info) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _too_complex(part: str) -> str:
    return (f"该 Excel 文件的结构过于复杂（{part}），超出了可以安全读取的范围。"
            "请用 Excel 或 WPS 打开，只复制需要的数据到新文件后再上传。")


@contextmanager
def checked_workbook(data: bytes) -> Iterator[Any]:
    """The workbook of an uploaded .xlsx, checked by `check_xlsx` and opened read-only (streaming); closed on
    exit. Raises `SpreadsheetError` for a refused or broken file."""
    check_xlsx(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on broken files; none may become a 500
        raise SpreadsheetError(BROKEN_XLSX) from exc
    try:
        yield workbook
    finally:
        workbook.close()


def xlsx_sheets(data: bytes, *, max_rows: int) -> Iterator[Iterator[tuple[int, tuple]]]:
    """Each sheet of an uploaded .xlsx as (line number, values) pairs, values trimmed of empty trailing cells."""
    with checked_workbook(data) as workbook:
        for sheet in workbook.worksheets:
            if getattr(sheet, "reset_dimensions", None):
                sheet.reset_dimensions()  # some programs write wrong sheet dimensions; read what is there
            yield _limited(_xlsx_rows(sheet), max_rows=max_rows)


# Excel writes a character XML cannot hold (a control character, such as a vertical tab pasted into a cell) as the
# escape _xHHHH_, and a literal "_x" that would read as one as _x005F_x…; openpyxl leaves the escapes as they are.
# Those of control characters (C0, DEL, C1) and of the underscore are read back, so that "QA_x000B_馆" is the
# control character it stands for (and is refused as one), not eight visible characters; others are left alone
# (files written by other programs may hold such text literally).
_OOXML_ESCAPE = re.compile(r"_x(00[0-1][0-9A-Fa-f]|007[Ff]|008[0-9A-Fa-f]|009[0-9A-Fa-f]|005[Ff])_")


def _unescaped(value: Any) -> Any:
    if isinstance(value, str) and "_x" in value:
        return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
    return value


def _xlsx_rows(sheet) -> Iterator[tuple]:
    try:
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield tuple(_unescaped(value) for value in row)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a broken sheet (bad cell values, bad XML further down)
        raise SpreadsheetError(BROKEN_XLSX) from exc


# --- .csv ------------------------------------------------------------------------------------------------------


def csv_rows(data: bytes, *, max_rows: int) -> Iterator[tuple[int, tuple]]:
    """The rows of an uploaded CSV (UTF-8 with or without BOM, UTF-16 with BOM, or GB18030; comma or tab) as
    (line number, values) pairs. Raises `SpreadsheetError`."""
    if data[:4] == ZIP_MAGIC:
        raise SpreadsheetError("该文件实际上是 Excel 文件，请把扩展名改为 .xlsx 后再上传。")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("无法识别文件的文字编码，请以 UTF-8 或 GBK 编码保存 CSV 文件后再上传。") from exc
    elif b"\x00" in data:
        raise SpreadsheetError("文件内容不是文本格式的 CSV，请确认文件没有损坏。")
    else:
        text = _decode(data)
    for number, line in enumerate(io.StringIO(text), start=1):
        if len(line) > MAX_CSV_LINE_CHARS:
            raise SpreadsheetError(
                f"文件第 {number} 行超过 {MAX_CSV_LINE_CHARS} 个字符，文件可能已损坏，请检查后再上传。")
        if "\x00" in line:  # decoded from UTF-16 (other encodings are refused above): no text holds one
            raise SpreadsheetError(f"文件第 {number} 行含有空字符（NUL），不是文本格式的 CSV，请确认文件没有损坏。")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line and "，" not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _limited(_csv_reader_rows(reader), max_rows=max_rows)


def _csv_reader_rows(reader) -> Iterator[tuple]:
    try:
        for row in reader:
            yield tuple(row[:MAX_COLUMNS])
    except csv.Error as exc:
        raise SpreadsheetError(f"无法读取该 CSV 文件：{exc}。") from exc


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Excel in Chinese saves as CSV)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("无法识别文件的文字编码，请以 UTF-8 或 GBK 编码保存 CSV 文件后再上传。")


# --- both ------------------------------------------------------------------------------------------------------


def sheets(data: bytes, *, file_name: str, max_rows: int) -> Iterator[Iterator[tuple[int, tuple]]]:
    """The sheets of an uploaded .xlsx or .csv (one sheet) by its extension, each as (line, values) pairs, with
    at most `max_rows` non-blank rows; raises `SpreadsheetError` (also while iterating)."""
    extension = PurePath(file_name or "").suffix.lower()
    if extension == ".xlsx":
        return xlsx_sheets(data, max_rows=max_rows)
    if extension == ".csv":
        return iter([csv_rows(data, max_rows=max_rows)])
    raise SpreadsheetError("只能读取 Excel（.xlsx）或 CSV（.csv）文件。")


def _limited(rows: Iterator[tuple], *, max_rows: int) -> Iterator[tuple[int, tuple]]:
    """Number the rows, trim empty trailing cells and stop at `max_rows` non-blank rows (and at Excel's last
    row: a sheet may claim its rows start a million lines down, and every line above is one empty row)."""
    filled = 0
    for line, values in enumerate(rows, start=1):
        if line > EXCEL_MAX_ROWS:
            raise SpreadsheetError(f"文件超过了 Excel 的 {EXCEL_MAX_ROWS} 行上限，文件可能已损坏。")
        end = len(values)
        while end and (values[end - 1] is None or values[end - 1] == ""):
            end -= 1
        if end:
            filled += 1
            if filled > max_rows:
                raise SpreadsheetError(f"文件的数据超过 {max_rows} 行的上限，请拆分后分批导入。")
        yield line, tuple(values[:end])
