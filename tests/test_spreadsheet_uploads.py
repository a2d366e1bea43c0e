"""Uploaded spreadsheets are checked before they are parsed and read in streaming mode: zip bombs, oversized
structures and broken files are refused with a Chinese message, in bounded memory, never with a server error."""

import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.core import spreadsheet_uploads
from bangfu.core.spreadsheet_uploads import SpreadsheetError, check_xlsx, csv_rows, xlsx_sheets
from bangfu.museums.imports import DIRECTORY_HEADERS, ImportFileError, read_table
from bangfu.museums.models import ImportBatch

from .test_museum_import import GOOD_ROWS, as_csv, as_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def workbook_zip(sheet_chunks, *, sheets=1, extra=(), compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .xlsx whose first sheet's XML is streamed from `sheet_chunks` (so a test can write hundreds of
    megabytes that compress to a few hundred kilobytes without holding them in memory)."""
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
                        for n in range(1, sheets + 1))
    entries = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{PKG}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>{overrides}</Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
        + "".join(f'<sheet name="s{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">'
        + "".join(f'<Relationship Id="rId{n}" Type="{OFFICE}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                  for n in range(1, sheets + 1)) + "</Relationships>",
    }
    empty_sheet = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for chunk in sheet_chunks:
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
        for n in range(2, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", empty_sheet)
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def header_row() -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{header}</t></is></c>' for header in DIRECTORY_HEADERS)
    return f'<row r="1">{cells}</row>'.encode()


def data_row(line: int) -> bytes:
    values = [line, "山西省", f"第{line}博物馆", "文化文物系统国有博物馆", "未定级", "是", 1, 0, 0, 0, 0]
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' if isinstance(v, str) else f"<c><v>{v}</v></c>"
                    for v in values)
    return f'<row r="{line}">{cells}</row>'.encode()


def repeated(chunk: bytes, total: int):
    """`chunk` repeated in 1 MB pieces until about `total` bytes."""
    piece = chunk * max(1, (1024 * 1024) // len(chunk))
    for _ in range(max(1, total // len(piece))):
        yield piece


def peak_memory(function):
    """Run `function` and return (its outcome, the peak of Python memory allocated meanwhile, in MB)."""
    tracemalloc.start()
    try:
        try:
            outcome = function()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test checks
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


# --- zip bombs -------------------------------------------------------------------------------------------------


def test_a_small_xlsx_that_expands_to_hundreds_of_megabytes_is_refused_before_parsing(db):
    # Like the file that took the server to 3.6 GB: a few hundred KB expanding to about 280 MB of rows.
    rows = [header_row(), *repeated(b'<row><c t="inlineStr"><is><t>x</t></is></c></row>', 280 * 1024 * 1024)]
    data = workbook_zip(iter(rows))
    assert len(data) < 2 * 1024 * 1024
    outcome, peak = peak_memory(lambda: read_table(data=data, file_name="名录.xlsx"))
    assert isinstance(outcome, ImportFileError)
    assert "解压后的内容与文件大小极不相称" in str(outcome) and "未导入任何数据" in str(outcome)
    assert peak < 20


def test_a_part_that_compresses_more_than_a_hundredfold_is_refused(db):
    data = workbook_zip(iter([header_row(), *repeated(data_row(2), 8 * 1024 * 1024)]))
    with pytest.raises(SpreadsheetError, match="解压后的内容与文件大小极不相称"):
        check_xlsx(data)


def test_rows_that_reach_the_last_excel_column_are_read_in_bounded_memory(db):
    # A cell in column XFD on every row: openpyxl used to return 16,384 values for each row and the importer kept
    # them all (2,000 rows took 250 MB); only the first columns are read now, and empty ones are trimmed.
    rows = [header_row()] + [data_row(n)[:-6] + b'<c r="XFD%d"><v>1</v></c></row>' % n for n in range(2, 2002)]
    data = workbook_zip(iter(rows))
    table, peak = peak_memory(lambda: read_table(data=data, file_name="名录.xlsx"))
    assert len(table.rows) == 2000 and table.rows[0][1][2] == "第2博物馆"
    assert max(len(cells) for _, cells in table.rows) == len(DIRECTORY_HEADERS)
    assert peak < 40


def test_elements_that_openpyxl_would_keep_in_memory_are_refused(db, monkeypatch):
    monkeypatch.setattr(spreadsheet_uploads, "MAX_KEPT_ELEMENTS", 1_000)
    data = workbook_zip(iter([header_row(), b"<x/>" * 2_000]))
    with pytest.raises(SpreadsheetError, match="结构过于复杂"):
        check_xlsx(data)


def test_a_row_with_more_cells_than_excel_allows_is_refused(db):
    data = workbook_zip(iter([header_row(), b'<row r="2">' + b"<c/>" * 16_385 + b"</row>"]))
    with pytest.raises(SpreadsheetError, match="16384 列上限"):
        check_xlsx(data)


def test_a_cell_longer_than_excel_allows_is_refused(db):
    data = workbook_zip(iter([header_row(), b'<row r="2"><c t="inlineStr"><is><t>' + os.urandom(20_000).hex().encode()
                              + b"</t></is></c></row>"]))
    with pytest.raises(SpreadsheetError, match="32767 个字符"):
        check_xlsx(data)


def test_a_row_number_beyond_excel_is_refused_without_reading_a_million_empty_rows(db):
    data = workbook_zip(iter([header_row(), b'<row r="99999999"><c><v>1</v></c></row>']))
    with pytest.raises(ImportFileError, match="1048576 行上限"):
        read_table(data=data, file_name="名录.xlsx")


def test_xml_entities_are_refused(db):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<worksheet xmlns="' + MAIN.encode() + b'"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t>'
              b"</is></c></row></sheetData></worksheet>")
    data = workbook_zip(iter([]), sheets=2, extra=[("xl/worksheets/sheet3.xml", laughs)])
    with pytest.raises(SpreadsheetError, match="无法读取该 Excel 文件"):
        check_xlsx(data)


def test_too_many_sheets_or_parts_are_refused(db, monkeypatch):
    with pytest.raises(SpreadsheetError, match="51 张工作表"):
        check_xlsx(workbook_zip(iter([]), sheets=51))
    monkeypatch.setattr(spreadsheet_uploads, "MAX_ENTRIES", 10)
    with pytest.raises(SpreadsheetError, match="个内部文件"):
        check_xlsx(workbook_zip(iter([]), extra=[(f"xl/media/{n}.png", b"x") for n in range(10)]))


def test_an_encrypted_part_is_refused(db):
    data = bytearray(workbook_zip(iter([header_row(), data_row(2)]), compression=zipfile.ZIP_STORED))
    # Set the "encrypted" flag of every entry in the central directory.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    with pytest.raises(SpreadsheetError, match="已加密"):
        check_xlsx(bytes(data))


def test_a_well_formed_workbook_is_still_read_in_full(db):
    data = as_xlsx(GOOD_ROWS, title_rows=["山西省博物馆名录"])
    [lines] = [list(rows) for rows in xlsx_sheets(data, max_rows=100)]
    assert lines[0] == (1, ("山西省博物馆名录",)) and lines[1][1] == tuple(DIRECTORY_HEADERS)
    assert len(lines) == 2 + len(GOOD_ROWS)


def test_the_row_limit_stops_reading_early(db):
    data = workbook_zip(iter([header_row()] + [data_row(n) for n in range(2, 60)]))
    with pytest.raises(SpreadsheetError, match="超过 10 行的上限"):
        [list(rows) for rows in xlsx_sheets(data, max_rows=10)]


# --- CSV -------------------------------------------------------------------------------------------------------


def test_a_csv_line_longer_than_the_limit_is_refused(db):
    data = as_csv(GOOD_ROWS) + b"," * 200_000 + b"\n"
    with pytest.raises(ImportFileError, match="第 5 行超过 100000 个字符"):
        read_table(data=data, file_name="名录.csv")


def test_csv_rows_are_counted_and_capped(db):
    with pytest.raises(SpreadsheetError, match="超过 2 行的上限"):
        list(csv_rows(as_csv(GOOD_ROWS), max_rows=2))


# --- broken files never reach the user as a server error --------------------------------------------------------


def upload(client, data: bytes, name: str):
    return client.post(reverse("museums:import"), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(("name", "data", "message"), [
    ("名录.xlsx", os.urandom(4096), "不是 Excel（.xlsx）格式"),
    ("名录.xlsx", b"PK\x03\x04" + os.urandom(4096), "无法读取该 Excel 文件"),
    ("名录.xlsx", as_csv(GOOD_ROWS), "如果这是 CSV 文件，请把扩展名改为 .csv"),
    ("名录.xlsx", as_csv(GOOD_ROWS, encoding="gb18030"), "如果这是 CSV 文件，请把扩展名改为 .csv"),
    ("名录.xlsx", b"", "文件是空的"),
    ("名录.csv", as_xlsx(GOOD_ROWS), "扩展名改为 .xlsx"),
])
def test_a_broken_upload_gets_a_message_beside_the_file_field(world, login, name, data, message):
    response = upload(login(world.admin), data, name)
    page = response.content.decode()
    assert response.status_code == 400 and 'id="id_file_errors"' in page
    assert message in page
    assert not ImportBatch.objects.exists()


def test_a_zip_bomb_upload_gets_a_message_beside_the_file_field(world, login):
    data = workbook_zip(iter([header_row(), *repeated(data_row(2), 50 * 1024 * 1024)]))
    response = upload(login(world.admin), data, "名录.xlsx")
    assert response.status_code == 400 and "解压后的内容与文件大小极不相称" in response.content.decode()
