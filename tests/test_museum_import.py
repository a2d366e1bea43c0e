"""Importing museums: the national directory's format and the platform's own, checks, matching, the pages, the CLI."""

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bangfu.core.models import AuditEntry
from bangfu.museums import imports
from bangfu.museums.imports import DIRECTORY_HEADERS, ImportFileError, build_preview, read_table
from bangfu.museums.models import ImportBatch, ImportStatus, Museum

from .factories import division, make_museum

pytestmark = pytest.mark.django_db

STATE = "文化文物系统国有博物馆"
PRIVATE = "非国有博物馆"



def row(number, name, *, province="山西省", sector=STATE, grade="未定级", free="是",
        collections=100, precious=5, exhibitions=2, activities=3, visitors="1.25"):
    return [number, province, name, sector, grade, free, collections, precious, exhibitions, activities, visitors]


def as_csv(rows, *, headers=DIRECTORY_HEADERS, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(rows, *, headers=DIRECTORY_HEADERS, title_rows=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(data: bytes, name="名录.csv", *, all_provinces=False):
    return build_preview(table=read_table(data=data, file_name=name), all_provinces=all_provinces)


def run_import(data: bytes, name="名录.csv", *, by=None, all_provinces=False, confirm=(), skip_bad=False):
    batch, preview = imports.import_upload(by=by, file=ContentFile(data, name=name), all_provinces=all_provinces)
    confirmed = [r.line for r in preview.flagged] if confirm == "all" else confirm
    return imports.import_commit(batch=batch, by=by, confirmed=confirmed, skip_bad=skip_bad)


GOOD_ROWS = [
    row(4860, "安泽县博物馆", grade="二级", collections=1298, precious=103, visitors="0.3256"),
    row(4870, "太原市民俗博物馆", sector=PRIVATE, free="否"),
    row(4861, "八路军太行纪念馆", grade="一级", visitors="69.6605"),
]


# --- reading the national directory ---------------------------------------------------------------------------


def test_a_good_directory_csv_creates_the_shanxi_museums(db):
    summary = run_import(as_csv(GOOD_ROWS))
    assert summary | {"seconds": 0} == summary | {
        "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "bad": 0, "seconds": 0}
    anze = Museum.objects.get(name="安泽县博物馆")
    assert (anze.grade, anze.collections, anze.precious_relics, anze.visitors_10k) == (
        "二级", 1298, 103, Decimal("0.3256"))
    assert anze.directory_row == 4860 and anze.province == "山西省" and anze.ownership == "国有"
    private = Museum.objects.get(name="太原市民俗博物馆")
    assert private.ownership == "非国有" and private.sector == PRIVATE and private.free_admission is False


def test_city_and_county_are_inferred_from_the_name_and_placeless_museums_need_review(db):
    run_import(as_csv(GOOD_ROWS))
    anze = Museum.objects.get(name="安泽县博物馆")
    assert anze.county == division("141026") and anze.city == division("141000") and not anze.needs_review
    assert anze.lat is not None  # placed at the county's centre until someone sets the position
    taiyuan = Museum.objects.get(name="太原市民俗博物馆")
    assert taiyuan.city == division("140100") and taiyuan.county is None
    placeless = Museum.objects.get(name="八路军太行纪念馆")
    assert placeless.city is None and placeless.needs_review
    assert list(Museum.objects.needing_review()) == [placeless]


def test_a_good_directory_xlsx_is_read_like_the_csv_even_below_a_title_row(db):
    rows = [[4860, "山西省", "安泽县博物馆", STATE, "二级", "是", 1298, 103, 1, 0, 0.3256]]
    preview = preview_of(as_xlsx(rows, title_rows=["2024年全国博物馆名录"]), "名录.xlsx")
    assert preview.format == "directory" and preview.bad == []
    [plan] = preview.creates
    assert plan.line == 3 and plan.fields["visitors_10k"] == Decimal("0.3256") and plan.fields["collections"] == 1298


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk_is_read(db, encoding):
    preview = preview_of(as_csv(GOOD_ROWS, encoding=encoding))
    assert [r.name for r in preview.creates] == ["安泽县博物馆", "太原市民俗博物馆", "八路军太行纪念馆"]


def test_headers_with_half_width_brackets_and_spaces_are_accepted(db):
    headers = [h.replace("（", "(").replace("）", ")") for h in DIRECTORY_HEADERS]
    headers[2] = " 博物馆名称 "
    assert len(preview_of(as_csv(GOOD_ROWS, headers=headers)).creates) == 3


def test_wrong_headers_name_the_missing_ones_and_import_nothing(db):
    headers = [h for h in DIRECTORY_HEADERS if h not in ("性质", "质量等级")]
    with pytest.raises(ImportFileError) as caught:
        imports.import_upload(by=None, file=ContentFile(as_csv([], headers=headers), name="名录.csv"))
    assert "缺少：性质、质量等级" in str(caught.value)
    assert not ImportBatch.objects.exists() and not Museum.objects.exists()


def test_a_header_only_file_is_refused(db):
    with pytest.raises(ImportFileError, match="没有数据行"):
        preview_of(as_csv([]))


# --- bad rows --------------------------------------------------------------------------------------------------


BAD_ROWS = [
    row(1, "甲博物馆", grade="特级"),  # line 2
    row(2, ""),  # line 3
    row(3, "乙博物馆", collections="一百"),  # line 4
    row(4, "丙博物馆", precious=-3, visitors="-1"),  # line 5
    row(5, "丁博物馆", free="也许", exhibitions="2.5"),  # line 6
    row(6, "戊博物馆"),  # line 7: good
]


def test_every_bad_row_is_reported_with_its_line_number_and_reason(db):
    preview = preview_of(as_csv(BAD_ROWS))
    reasons = {p.line: p.reason for p in preview.bad}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert "质量等级“特级”无效" in reasons[2]
    assert "博物馆名称为空" in reasons[3]
    assert "藏品数（件/套）应为数字，实际为“一百”" in reasons[4]
    assert "珍贵文物（件/套）不能为负数" in reasons[5] and "参观人数（万人次）不能为负数" in reasons[5]
    assert "是否免费开放" in reasons[6] and "展览（个）应为整数" in reasons[6]
    assert [r.line for r in preview.creates] == [7]


def test_a_blank_grade_means_ungraded(db):
    [plan] = preview_of(as_csv([row(1, "己博物馆", grade="")])).creates
    assert plan.fields["grade"] == "未定级"


def test_with_bad_rows_nothing_is_imported_unless_told_to_skip_them(db):
    with pytest.raises(ValidationError, match="5 行有误，未导入任何数据"):
        run_import(as_csv(BAD_ROWS))
    assert not Museum.objects.exists()
    summary = run_import(as_csv(BAD_ROWS), skip_bad=True)
    assert (summary["created"], summary["skipped"], summary["bad"]) == (1, 5, 5)
    assert list(Museum.objects.values_list("name", flat=True)) == ["戊博物馆"]


def test_a_failure_mid_commit_leaves_nothing(db, monkeypatch):
    real_create, calls = imports.museum_create, []

    def failing_create(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(imports, "museum_create", failing_create)
    batch, _ = imports.import_upload(by=None, file=ContentFile(as_csv(GOOD_ROWS + [row(9, "庚博物馆")]), name="a.csv"))
    with pytest.raises(RuntimeError):
        imports.import_commit(batch=batch, by=None)
    assert len(calls) == 3
    assert not Museum.objects.exists() and not AuditEntry.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING


def test_a_row_the_registry_refuses_aborts_the_whole_import_with_its_line_number(db, monkeypatch):
    monkeypatch.setattr(imports, "_model_errors", lambda data: [])  # let a too-long sector through the checks
    rows = [row(1, "甲博物馆"), row(2, "乙博物馆", sector="性" * 41)]
    with pytest.raises(ValidationError, match="第 3 行（乙博物馆）无法保存"):
        run_import(as_csv(rows))
    assert not Museum.objects.exists()


def test_overlong_text_is_a_bad_row(db):
    bad = preview_of(as_csv([row(1, "甲博物馆", sector="性" * 41), row(2, "馆" * 101)])).bad
    assert [p.line for p in bad] == [2, 3]
    assert bad[0].reason.startswith("性质：") and bad[1].reason.startswith("博物馆名称：")


# --- re-import and matching -------------------------------------------------------------------------------------


def test_reimporting_the_same_file_creates_no_duplicates(db):
    run_import(as_csv(GOOD_ROWS))
    summary = run_import(as_csv(GOOD_ROWS))
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 3)
    assert Museum.objects.count() == 3


def test_reimporting_a_changed_row_updates_that_museum_only(db):
    run_import(as_csv(GOOD_ROWS))
    anze = row(4860, "安泽县博物馆", grade="一级", collections=1300, precious=103, visitors="0.3256")
    changed = [anze, *GOOD_ROWS[1:]]
    preview = preview_of(as_csv(changed))
    [update] = preview.updates
    assert update.changes["质量等级"] == ["二级", "一级"] and update.changes["藏品数（件/套）"] == ["1298", "1300"]
    run_import(as_csv(changed))
    anze = Museum.objects.get(name="安泽县博物馆")
    assert (anze.grade, anze.collections, Museum.objects.count()) == ("一级", 1300, 3)
    assert AuditEntry.objects.filter(action="修改博物馆", object_id=str(anze.pk), note="导入：名录.csv").exists()


def test_the_directory_never_overwrites_a_place_an_administrator_corrected(world):
    # 山西博物院's place cannot be inferred from its name; it matches and keeps its place.
    run_import(as_csv([row(7, "山西博物院", grade="一级")]))
    museum = Museum.objects.get(name="山西博物院")
    assert museum.county == division("140109") and museum.directory_row == 7


def test_rows_of_other_provinces_are_skipped_unless_all_provinces(db):
    rows = GOOD_ROWS + [row(1, "故宫博物院", province="北京市", grade="一级"), row(2, "河北博物院", province="河北")]
    preview = preview_of(as_csv(rows))
    assert [(p.line, p.name) for p in preview.skipped] == [(5, "故宫博物院"), (6, "河北博物院")]
    assert "其他省份（北京市）" in preview.skipped[0].reason
    summary = run_import(as_csv(rows))
    assert (summary["created"], summary["skipped"]) == (3, 2)
    summary = run_import(as_csv(rows), all_provinces=True)
    assert (summary["created"], summary["unchanged"]) == (2, 3)
    palace = Museum.objects.get(name="故宫博物院")
    assert (palace.province, palace.city, palace.county, palace.needs_review) == ("北京市", None, None, False)
    assert Museum.objects.get(name="河北博物院").province == "河北省"


def test_bad_rows_of_skipped_provinces_do_not_block_the_import(db):
    preview = preview_of(as_csv(GOOD_ROWS + [row(1, "某馆", province="北京市", grade="特级")]))
    assert preview.bad == [] and len(preview.skipped) == 1


def test_a_namesake_in_another_province_is_flagged_and_never_merged(db):
    beijing = make_museum("鲁迅纪念馆", province="北京市")
    preview = preview_of(as_csv([row(50, "鲁迅纪念馆")]))
    [flag] = preview.flagged
    assert flag.line == 2 and flag.reason.startswith("同名博物馆，需确认") and "北京市" in flag.reason
    summary = run_import(as_csv([row(50, "鲁迅纪念馆")]))
    assert (summary["created"], summary["skipped"]) == (0, 1)
    assert list(Museum.objects.all()) == [beijing]
    summary = run_import(as_csv([row(50, "鲁迅纪念馆")]), confirm="all")
    assert summary["created"] == 1 and summary["confirmed"] == 1
    beijing.refresh_from_db()
    assert beijing.directory_row is None and Museum.objects.filter(name="鲁迅纪念馆").count() == 2


def test_a_namesake_in_a_different_place_is_flagged_in_the_platform_format(db):
    make_museum("革命纪念馆", county="140222")
    headers = ["编号", "博物馆名称", "省份", "所在市", "所在县（区、市）", "质量等级"]
    data = as_csv([["", "革命纪念馆", "山西省", "太原市", "小店区", "未定级"]], headers=headers)
    [flag] = preview_of(data).flagged
    assert "天镇县" in flag.reason and flag.place == "太原市 · 小店区"


def test_several_namesakes_a_row_could_be_are_flagged_as_ambiguous(db):
    make_museum("革命纪念馆", county="140222")
    make_museum("革命纪念馆", county="141026")
    [flag] = preview_of(as_csv([row(1, "革命纪念馆")])).flagged
    assert "有多家同名博物馆与此行相符" in flag.reason


def test_two_rows_with_one_name_need_confirming_and_the_directory_row_tells_them_apart_later(db):
    rows = [row(11, "革命纪念馆", collections=1), row(12, "革命纪念馆", collections=2)]
    preview = preview_of(as_csv(rows))
    assert [f.line for f in preview.flagged] == [2, 3] and "文件第 3 行与此行同名" in preview.flagged[0].reason
    summary = run_import(as_csv(rows), confirm=[2])
    assert (summary["created"], summary["skipped"]) == (1, 1)
    assert Museum.objects.get(name="革命纪念馆").directory_row == 11
    summary = run_import(as_csv(rows), confirm="all")  # row 11 matches its museum, row 12 still needs confirming
    assert (summary["created"], summary["unchanged"]) == (1, 1)
    summary = run_import(as_csv(rows))
    assert (summary["created"], summary["unchanged"], summary["skipped"]) == (0, 2, 0)
    assert sorted(Museum.objects.values_list("directory_row", "collections")) == [(11, 1), (12, 2)]


def test_one_audit_entry_summarises_the_import(world):
    run_import(as_csv(GOOD_ROWS), by=world.admin)
    [entry] = AuditEntry.objects.filter(action="导入博物馆")
    assert entry.actor == world.admin and entry.object_type == "museums.importbatch"
    # The world already holds 安泽县博物馆 (same name, same county): it is updated, not duplicated.
    assert entry.changes["新增"] == [None, 2] and entry.changes["更新"] == [None, 1]
    assert entry.note == "导入：名录.csv"
    assert AuditEntry.objects.filter(action="创建博物馆", note="导入：名录.csv").count() == 2
    assert Museum.objects.filter(name="安泽县博物馆").count() == 1


# --- broken and oversized files --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), [
    ("名录.xlsx", b"this is not a spreadsheet", "不是 Excel（.xlsx）格式"),
    ("名录.xlsx", b"PK\x03\x04broken zip", "无法读取该 Excel 文件"),
    ("名录.xlsx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 Excel（.xls）"),
    ("名录.xls", b"anything", "旧版 Excel（.xls）"),
    ("名录.txt", b"a,b", "只能导入 Excel（.xlsx）或 CSV（.csv）文件"),
    ("名录.csv", b"", "文件是空的"),
    ("名录.csv", b"\x00\x01\x02binary", "不是文本格式"),
    ("名录.csv", "序号,省份\n1,山西省".encode("utf-16-be"), "不是文本格式"),
])
def test_broken_or_wrong_files_are_refused_with_a_clear_message(db, name, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data=data, file_name=name)


def test_a_zip_that_is_not_a_workbook_is_refused(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="无法读取该 Excel 文件"):
        read_table(data=buffer.getvalue(), file_name="a.xlsx")


def test_an_xlsx_renamed_to_csv_is_refused(db):
    with pytest.raises(ImportFileError, match="扩展名改为 .xlsx"):
        read_table(data=as_xlsx(GOOD_ROWS), file_name="a.csv")


def test_a_file_over_the_size_limit_is_refused(db, settings):
    settings.UPLOAD_MAX_IMPORT_MB = 1
    data = as_csv(GOOD_ROWS) + b" " * (1024 * 1024)
    with pytest.raises(ImportFileError, match="超过了 1 MB 的上限"):
        read_table(data=data, file_name="big.csv")


def test_a_file_over_the_row_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="超过 2 行的上限"):
        read_table(data=as_csv(GOOD_ROWS), file_name="a.csv")


# --- control characters and NULs -------------------------------------------------------------------------------


def stored_files(tmp_path) -> list:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("bom", "encoding"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_a_utf16_csv_with_a_nul_is_refused_naming_its_line(db, bom, encoding):
    data = bom + as_csv([row(1, "甲博物馆"), row(2, "乙博\x00物馆")], encoding=encoding)
    with pytest.raises(ImportFileError, match="第 3 行含有空字符"):
        read_table(data=data, file_name="名录.csv")
    assert read_table(data=bom + as_csv(GOOD_ROWS, encoding=encoding), file_name="名录.csv").rows  # else readable


def test_a_utf16_csv_with_a_nul_is_a_form_error_and_leaves_nothing_on_disk(world, login, tmp_path):
    data = as_csv([row(1, "甲博物馆", collections="1\x0000")], encoding="utf-16")
    response = upload(login(world.admin), data)
    assert response.status_code == 400 and "第 2 行" in response.content.decode()
    assert not ImportBatch.objects.exists() and stored_files(tmp_path) == []


def test_the_messages_of_bad_rows_quote_cells_without_control_characters(world, tmp_path):
    rows = [row(1, "甲博物馆", collections="一\x1b百", grade="特\x07级"), row(2, "乙博物馆", free="也\x1f许")]
    batch, preview = imports.import_upload(by=world.admin, file=ContentFile(as_csv(rows), name="名录.csv"))
    reasons = " ".join(p["reason"] for p in ImportBatch.objects.get(pk=batch.pk).preview["bad"])
    assert "藏品数（件/套）应为数字，实际为“一百”" in reasons and "质量等级“特级”无效" in reasons
    assert "实际为“也许”" in reasons
    assert not any(ch in reasons for ch in "\x00\x07\x1b\x1f")


def test_a_file_name_with_control_characters_is_kept_without_them(world):
    batch, _ = imports.import_upload(by=world.admin, file=ContentFile(as_csv(GOOD_ROWS), name="名\x00录\x1b.csv"))
    assert ImportBatch.objects.get(pk=batch.pk).file_name == "名录.csv"


def test_a_batch_that_cannot_be_saved_leaves_no_file_behind(world, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(ImportBatch, "save", refuse)
    with pytest.raises(RuntimeError):
        imports.import_upload(by=world.admin, file=ContentFile(as_csv(GOOD_ROWS), name="名录.csv"))
    assert stored_files(tmp_path) == []


# --- the pages -------------------------------------------------------------------------------------------------


def upload(client, data, name="名录.csv", **extra):
    return client.post(reverse("museums:import"), {"file": SimpleUploadedFile(name, data), **extra})


def test_the_association_uploads_previews_and_confirms_an_import(world, login):
    client = login(world.admin)
    assert client.get(reverse("museums:import")).status_code == 200
    response = upload(client, as_csv(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("museums:import_preview", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "将新增（家）" in page and "安泽县博物馆" in page and "确认导入" in page
    assert Museum.objects.count() == 3  # the world's museums only: nothing imported yet
    response = client.post(response.url, {"fingerprint": batch.preview["fingerprint"]})
    assert response.status_code == 302
    assert Museum.objects.filter(name="八路军太行纪念馆", needs_review=True).exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and batch.finished_by == world.admin
    done = client.get(response.url).content.decode()
    assert "导入完成" in done and "所在地待核实" in done


def test_wrong_headers_are_shown_next_to_the_file_field(world, login):
    headers = DIRECTORY_HEADERS[:3] + ["类别"] + DIRECTORY_HEADERS[4:]
    response = upload(login(world.admin), as_csv(GOOD_ROWS, headers=headers))
    assert response.status_code == 400
    assert 'id="id_file_errors"' in response.content.decode() and "缺少：性质。" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_broken_upload_is_a_form_error_not_a_server_error(world, login):
    response = upload(login(world.admin), b"PK\x03\x04junk", name="名录.xlsx")
    assert response.status_code == 400 and "无法读取该 Excel 文件" in response.content.decode()


def test_the_preview_lists_every_bad_row_and_refuses_to_import_without_skipping(world, login):
    client = login(world.admin)
    url = upload(client, as_csv(BAD_ROWS)).url
    page = client.get(url).content.decode()
    for line in (2, 3, 4, 5, 6):
        assert f"<td>{line}</td>" in page
    assert "跳过有误的行，导入其余行" in page
    response = client.post(url, {})
    assert response.status_code == 400 and 'id="id_skip_bad_errors"' in response.content.decode()
    assert not Museum.objects.filter(name="戊博物馆").exists()
    client.post(url, {"skip_bad": "on"})
    assert Museum.objects.filter(name="戊博物馆").exists()


def test_flagged_rows_are_created_only_when_ticked(world, login):
    client = login(world.admin)
    rows = [row(11, "革命纪念馆"), row(12, "革命纪念馆"), row(13, "新馆")]
    url = upload(client, as_csv(rows)).url
    page = client.get(url).content.decode()
    assert 'name="confirm" value="2"' in page and "同名博物馆，需确认" in page
    client.post(url, {"confirm": ["3"]})
    assert list(Museum.objects.filter(name="革命纪念馆").values_list("directory_row", flat=True)) == [12]
    assert ImportBatch.objects.get().summary["skipped"] == 1


def test_a_changed_registry_renews_the_preview_instead_of_importing(world, login):
    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url
    old = ImportBatch.objects.get().preview["fingerprint"]
    make_museum("安泽县博物馆", county="141026")  # someone else adds a namesake meanwhile
    response = client.post(url, {"fingerprint": old}, follow=True)
    assert "已按最新数据重新生成预览" in response.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PENDING and batch.preview["fingerprint"] != old
    assert not Museum.objects.filter(name="八路军太行纪念馆").exists()


def test_cancelling_imports_nothing_and_a_finished_batch_cannot_be_imported_again(world, login):
    client = login(world.admin)
    url = upload(client, as_csv(GOOD_ROWS)).url
    assert client.post(url, {"cancel": "1"}).status_code == 302
    assert ImportBatch.objects.get().status == ImportStatus.CANCELLED
    assert client.post(url, {}).status_code == 302
    assert not Museum.objects.filter(name="八路军太行纪念馆").exists()
    assert "已取消" in client.get(url).content.decode()


def test_another_association_admin_shares_the_associations_batches(world, login):
    from .factories import make_user

    url = upload(login(world.admin), as_csv(GOOD_ROWS)).url
    colleague = login(make_user("association_admin"))
    assert colleague.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["helper_staff", "helper_admin", "outsider", "outsider_admin",
                                     "province_supervisor", "city_supervisor", "expert"])
def test_outsiders_cannot_upload_see_or_confirm_an_import(world, login, client, persona):
    batch, _ = imports.import_upload(by=world.admin, file=ContentFile(as_csv(GOOD_ROWS), name="名录.csv"))
    client = login(getattr(world, persona))
    assert client.get(reverse("museums:import")).status_code == 403
    assert upload(client, as_csv(GOOD_ROWS)).status_code == 403
    url = reverse("museums:import_preview", args=[batch.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"fingerprint": batch.preview["fingerprint"]}).status_code == 404
    assert client.post(url, {"cancel": "1"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and not Museum.objects.filter(name="八路军太行纪念馆").exists()


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    batch, _ = imports.import_upload(by=world.admin, file=ContentFile(as_csv(GOOD_ROWS), name="名录.csv"))
    for url in (reverse("museums:import"), reverse("museums:import_preview", args=[batch.pk])):
        assert reverse("login") in client.get(url).url
        assert reverse("login") in client.post(url, {}).url
    assert ImportBatch.objects.get().status == ImportStatus.PENDING


def test_a_missing_batch_is_404(world, login):
    assert login(world.admin).get(reverse("museums:import_preview", args=[999])).status_code == 404


# --- the command -----------------------------------------------------------------------------------------------


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_and_prints_the_summary(db, tmp_path):
    out = io.StringIO()
    call_command("import_museums", write(tmp_path, "名录.xlsx", as_xlsx(GOOD_ROWS)), stdout=out)
    assert "新增 3 家" in out.getvalue() and Museum.objects.count() == 3
    out = io.StringIO()
    call_command("import_museums", write(tmp_path, "名录.xlsx", as_xlsx(GOOD_ROWS)), stdout=out)
    assert "未变化 3 家" in out.getvalue() and Museum.objects.count() == 3


def test_the_command_fails_on_bad_rows_and_lists_each_of_them(db, tmp_path):
    path, err = write(tmp_path, "bad.csv", as_csv(BAD_ROWS)), io.StringIO()
    with pytest.raises(CommandError, match="--skip-bad"):
        call_command("import_museums", path, stdout=io.StringIO(), stderr=err)
    assert all(f"第 {n} 行" in err.getvalue() for n in (2, 3, 4, 5, 6))
    assert not Museum.objects.exists()
    call_command("import_museums", path, "--skip-bad", stdout=io.StringIO(), stderr=io.StringIO())
    assert Museum.objects.count() == 1


def test_the_command_dry_run_writes_nothing_and_succeeds(db, tmp_path):
    out = io.StringIO()
    call_command("import_museums", write(tmp_path, "a.csv", as_csv(BAD_ROWS)), "--dry-run", stdout=out,
                 stderr=io.StringIO())
    assert "试运行" in out.getvalue() and "有误 5 行" in out.getvalue()
    assert not Museum.objects.exists() and not ImportBatch.objects.exists()


def test_the_command_fails_on_wrong_headers_broken_or_missing_files(db, tmp_path):
    with pytest.raises(CommandError, match="缺少"):
        call_command("import_museums", write(tmp_path, "a.csv", as_csv(GOOD_ROWS, headers=DIRECTORY_HEADERS[1:])))
    with pytest.raises(CommandError, match="无法读取"):
        call_command("import_museums", write(tmp_path, "a.xlsx", b"PK\x03\x04junk"))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_museums", str(tmp_path / "missing.csv"))


def test_the_command_confirms_same_name_rows_and_imports_other_provinces_only_when_asked(db, tmp_path):
    rows = [row(11, "革命纪念馆"), row(12, "革命纪念馆"), row(1, "故宫博物院", province="北京市")]
    path = write(tmp_path, "a.csv", as_csv(rows))
    call_command("import_museums", path, stdout=io.StringIO())
    assert not Museum.objects.exists()
    call_command("import_museums", path, "--confirm-duplicates", "--all-provinces", stdout=io.StringIO())
    assert Museum.objects.count() == 3


def test_a_file_without_any_known_header_says_so(db):
    with pytest.raises(ImportFileError, match="没有识别出表头"):
        preview_of(as_csv([["1", "2"]], headers=["甲", "乙"]))
