"""Importing objects from a 藏品账 export: header detection, every kind of bad row with its Excel line number, the
two modes (all or nothing; only the correct rows), broken files, the template and the pages."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.objects import imports
from bangfu.objects.models import CollectionObject, ImportStatus, ObjectImport
from bangfu.objects.services import object_create, objects_import

pytestmark = pytest.mark.django_db

HEADER = ["藏品总登记号", "藏品名称", "年代", "类别", "质地", "文物级别", "尺寸", "件数", "保存状态", "是否建档",
          "估值", "是否可借展"]
GOOD = [
    ["SX-1001", "晋侯鸟尊", "西周", "铜器", "铜", "一级", "通高 39 厘米", 1, "完整", "是", 500000000, "是"],
    ["SX-1002", "彩绘陶鹰", "北魏", "陶器", "陶", "二级文物", "", "2件", "基本完好", "有", "", "否"],
    ["SX-1003", "北魏石刻", "北魏", "石器、石刻、砖瓦", "石", "", "", None, "残缺", "无", None, None],
]


def xlsx(rows, *, title_rows=0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["山西博物院藏品总账（导出）"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(rows, **kwargs):
    return imports.read_rows(data=xlsx(rows, **kwargs), file_name="藏品账.xlsx")


def test_the_usual_headers_are_found_below_a_title_row_and_cells_are_mapped(world):
    rows = read([HEADER, *GOOD], title_rows=2)
    assert [r.line for r in rows] == [4, 5, 6]
    first, second, third = (r.values for r in rows)
    assert first["grade"] == "一级" and first["condition"] == "good" and first["has_record"] is True
    assert first["offered"] is True and str(first["insurance_value"]) == "500000000.00"
    assert second["grade"] == "二级" and second["quantity"] == 2 and second["condition"] == "fair"
    assert third["grade"] == "未定级" and third["condition"] == "poor" and third["has_record"] is False
    assert not any(r.errors for r in rows)


def test_the_other_header_names_are_understood():
    header = ["总登记号", "名称", "级别", "质地", "数量", "完残程度", "档案", "保险估值"]
    rows = read([header, ["A-1", "铜镜", "三级", "青铜", "3", "修复中", "是", "1,200"]])
    values = rows[0].values
    assert values["material"] == "铜" and values["condition"] == "under_treatment"
    assert values["quantity"] == 3 and str(values["insurance_value"]) == "1200.00"


BAD_ROWS = [
    (["", "无号藏品", "", "", "铜", "", "", 1, "完整", "是", "", ""], "总登记号"),
    (["SX-2", "", "", "", "铜", "", "", 1, "完整", "是", "", ""], "名称"),
    (["SX-3", "定级有误", "", "", "铜", "特级", "", 1, "完整", "是", "", ""], "级别"),
    (["SX-4", "类别有误", "", "青铜器类", "铜", "", "", 1, "完整", "是", "", ""], "类别"),
    (["SX-5", "质地有误", "", "", "塑料", "", "", 1, "完整", "是", "", ""], "质地"),
    (["SX-6", "质地空白", "", "", "", "", "", 1, "完整", "是", "", ""], "质地"),
    (["SX-7", "数量有误", "", "", "铜", "", "", "三件", "完整", "是", "", ""], "数量"),
    (["SX-8", "数量为零", "", "", "铜", "", "", 0, "完整", "是", "", ""], "数量"),
    (["SX-9", "状态有误", "", "", "铜", "", "", 1, "很好", "是", "", ""], "完残程度"),
    (["SX-10", "建档有误", "", "", "铜", "", "", 1, "完整", "也许", "", ""], "档案"),
    (["SX-11", "估值有误", "", "", "铜", "", "", 1, "完整", "是", "很贵", ""], "保险估值"),
    (["SX-12", "估值过大", "", "", "铜", "", "", 1, "完整", "是", 10 ** 13, ""], "保险估值"),
    (["SX-13", "估值为负", "", "", "铜", "", "", 1, "完整", "是", -5, ""], "保险估值"),
    (["SX-14", "借展有误", "", "", "铜", "", "", 1, "完整", "是", "", "看情况"], "是否可借展"),
    (["SX-15", "名" * 101, "", "", "铜", "", "", 1, "完整", "是", "", ""], "名称"),
    (["SX-16", "控制_x000B_字符", "", "", "铜", "", "", 1, "完整", "是", "", ""], "名称"),
    (["SX-1001", "与已有重复", "", "", "铜", "", "", 1, "完整", "是", "", ""], "已有"),
    (["SX-1002", "文件内重复", "", "", "铜", "", "", 1, "完整", "是", "", ""], "第 3 行"),
]


def test_every_kind_of_bad_row_is_reported_with_its_excel_line_and_nothing_is_written(world):
    object_create(museum=world.helper_museum, by=world.helper_staff, name="已有", registration_number="SX-1001")
    data_rows = [GOOD[1]] + [row for row, _ in BAD_ROWS]  # GOOD[1] is SX-1002 on line 3
    rows = read([["山西博物院藏品账"], HEADER, *data_rows])
    result = objects_import(museum=world.helper_museum, by=world.helper_staff, rows=rows, all_or_nothing=True,
                            labels=imports.LABELS)
    assert not result.written and result.created == 0
    assert CollectionObject.objects.filter(museum=world.helper_museum).count() == 1
    by_line = {e["line"]: e["message"] for e in result.errors}
    assert sorted(by_line) == list(range(4, 4 + len(BAD_ROWS)))
    for offset, (_, word) in enumerate(BAD_ROWS):
        assert word in by_line[4 + offset], (offset, by_line[4 + offset])


def test_only_the_correct_rows_are_written_in_the_second_mode(world):
    rows = read([HEADER, GOOD[0], BAD_ROWS[2][0], GOOD[1]])
    result = objects_import(museum=world.helper_museum, by=world.helper_staff, rows=rows, all_or_nothing=False,
                            labels=imports.LABELS)
    assert result.created == 2 and [e["line"] for e in result.errors] == [3]
    assert set(CollectionObject.objects.values_list("registration_number", flat=True)) == {"SX-1001", "SX-1002"}


def test_a_file_without_errors_is_written_whole_in_the_first_mode(world):
    rows = read([HEADER, *GOOD])
    result = objects_import(museum=world.helper_museum, by=world.helper_staff, rows=rows, all_or_nothing=True)
    assert result.created == 3 and not result.errors
    assert CollectionObject.objects.get(registration_number="SX-1001").created_by == world.helper_staff


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"not a spreadsheet at all", "a.xlsx", "文本"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "a.xlsx", ".xls"),
    (b"PK\x03\x04broken zip", "a.xlsx", "无法读取"),
    (b"a,b\n1,2\n", "a.csv", ".xlsx"),
    (b"x", "a.xls", "旧版"),
    (b"", "a.xlsx", "空"),
])
def test_broken_or_foreign_files_get_a_clear_message(data, name, message):
    with pytest.raises(imports.ImportFileError) as refused:
        imports.read_rows(data=data, file_name=name)
    assert message in str(refused.value)


def test_a_sheet_without_the_headers_says_which_are_needed():
    with pytest.raises(imports.ImportFileError) as refused:
        read([["编号", "名字"], ["1", "x"]])
    assert "总登记号" in str(refused.value) and "名称" in str(refused.value)


def test_the_template_is_read_back_by_the_importer():
    data = imports.template_workbook().read()
    rows = imports.read_rows(data=data, file_name="模板.xlsx")
    assert rows[0].values["name"] == "晋侯鸟尊" and not rows[0].errors


# --- the pages ---------------------------------------------------------------------------------------------------


def _upload(client, rows, name="藏品账.xlsx"):
    return client.post(reverse("objects:import"), {"file": SimpleUploadedFile(name, xlsx(rows))})


def test_the_upload_page_previews_bad_rows_then_imports_only_the_correct_rows(world, login):
    client = login(world.helper_staff)
    response = _upload(client, [HEADER, GOOD[0], BAD_ROWS[2][0]])
    batch = ObjectImport.objects.get()
    assert response.status_code == 302 and batch.status == ImportStatus.PENDING
    page = client.get(reverse("objects:import_batch", args=[batch.pk]))
    html = page.content.decode()
    assert "第 3 行" in html and "特级" in html and "全部导入或全部不导入" in html
    assert not CollectionObject.objects.exists()
    client.post(reverse("objects:import_batch", args=[batch.pk]), {"mode": "valid"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.summary["created"] == 1
    assert list(CollectionObject.objects.values_list("registration_number", flat=True)) == ["SX-1001"]
    assert "已导入 1 件藏品" in client.get(reverse("objects:import_batch", args=[batch.pk])).content.decode()


def test_all_or_nothing_on_the_page_writes_nothing_when_a_row_is_bad(world, login):
    client = login(world.helper_staff)
    _upload(client, [HEADER, GOOD[0], BAD_ROWS[2][0]])
    batch = ObjectImport.objects.get()
    client.post(reverse("objects:import_batch", args=[batch.pk]), {"mode": "all"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and "未写入任何数据" in batch.error
    assert not CollectionObject.objects.exists()


def test_a_broken_upload_is_refused_beside_the_file_field(world, login):
    client = login(world.helper_staff)
    response = client.post(reverse("objects:import"), {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert response.status_code == 400 and "只能导入 Excel" in response.content.decode()
    response = _upload(login(world.helper_staff), [["x"]], name="b.xlsx")
    batch = ObjectImport.objects.get()
    assert batch.status == ImportStatus.FAILED and "没有找到表头" in batch.error


def test_a_large_file_is_read_and_imported_by_the_tasks(world, login, monkeypatch):
    monkeypatch.setattr(imports, "SYNC_MAX_BYTES", 0)
    client = login(world.helper_staff)
    _upload(client, [HEADER, *GOOD])
    batch = ObjectImport.objects.get()
    assert batch.status == ImportStatus.PENDING and batch.preview["valid"] == 3  # the immediate backend ran it
    client.post(reverse("objects:import_batch", args=[batch.pk]), {"mode": "all"})
    assert CollectionObject.objects.count() == 3


def test_the_template_downloads_as_xlsx(world, login):
    response = login(world.helped_staff).get(reverse("objects:import_template"))
    assert response["Content-Type"] == imports.XLSX_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active["A1"].value == "总登记号"


def test_another_museums_staff_cannot_see_an_import(world, login):
    _upload(login(world.helper_staff), [HEADER, *GOOD])
    batch = ObjectImport.objects.get()
    assert login(world.outsider).get(reverse("objects:import_batch", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize(("refusal", "word"), [
    (ValidationError({"registration_number": "总登记号 SX-1001 已经在本馆的藏品中。"}), "SX-1001 已经在本馆的藏品中"),
    (PermissionDenied("只能导入本馆的藏品。"), "只能导入本馆的藏品"),
])
def test_a_refusal_while_importing_puts_the_batch_back_to_pending_with_the_reason(world, login, monkeypatch,
                                                                                  refusal, word):
    client = login(world.helper_staff)
    _upload(client, [HEADER, *GOOD])
    batch = ObjectImport.objects.get()

    def refuse(**kwargs):
        raise refusal
    monkeypatch.setattr(imports, "objects_import", refuse)
    response = client.post(reverse("objects:import_batch", args=[batch.pk]), {"mode": "all"})
    assert response.status_code in (200, 302)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and word in batch.error
    assert word in client.get(reverse("objects:import_batch", args=[batch.pk])).content.decode()
    assert not CollectionObject.objects.exists()


def test_the_previews_correct_rows_are_only_the_rows_without_errors(world, login):
    client = login(world.helper_staff)
    duplicate_and_too_dear = ["SX-1001", "重复", "", "", "铜", "", "", 1, "完整", "是", 10 ** 13, ""]
    _upload(client, [HEADER, *GOOD, BAD_ROWS[0][0], duplicate_and_too_dear])
    batch = ObjectImport.objects.get()
    assert batch.preview["valid"] == 3 and [row["line"] for row in batch.preview["sample"]] == [2, 3, 4]
    messages = " ".join(e["message"] for e in batch.preview["errors"])
    assert "保险估值不能超过 1,000 亿元" in messages and "确保" not in messages
