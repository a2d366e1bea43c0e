"""Exporting the museum directory to Excel in the platform's format, the template, and the round trip."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bangfu.museums import imports
from bangfu.museums.imports import PLATFORM_HEADERS, build_preview, read_table
from bangfu.museums.models import Museum
from bangfu.museums.selectors import SORTS, filter_museums
from bangfu.museums.services import museum_set_position, museum_update

from .factories import division, make_museum

pytestmark = pytest.mark.django_db



def download(client, **params) -> bytes:
    response = client.get(reverse("museums:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def sheet_rows(data: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def as_dicts(data: bytes) -> list[dict]:
    header, *rows = sheet_rows(data)
    return [dict(zip(header, r + (None,) * (len(header) - len(r)), strict=True)) for r in rows]


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.get(reverse("museums:export"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_signed_in_user_downloads_the_directory_in_the_platform_format(world, login):
    rows = as_dicts(download(login(world.admin)))
    assert list(rows[0]) == PLATFORM_HEADERS
    by_name = {r["博物馆名称"]: r for r in rows}
    assert set(by_name) == {"山西博物院", "安泽县博物馆", "天镇县博物馆"}
    anze = by_name["安泽县博物馆"]
    assert anze["编号"] == world.helped_museum.pk
    assert (anze["所在市"], anze["所在县（区、市）"], anze["帮扶角色"]) == ("临汾市", "安泽县", "受援方")


def test_the_export_follows_the_directory_filters(world, login):
    client = login(world.admin)

    def names(**params):
        return {r["博物馆名称"] for r in as_dicts(download(client, **params))}

    assert names(grade="一级") == {"山西博物院"}
    assert names(q="安泽") == {"安泽县博物馆"}
    assert names(q="sxbwy") == {"山西博物院"}
    assert names(county=division("140222").pk) == {"天镇县博物馆"}
    assert names(city=division("141000").pk) == {"安泽县博物馆"}
    assert names(role="helper") == {"山西博物院"}
    assert names(ownership="非国有") == set()
    assert names(city="not-a-number", grade="bogus") == {"山西博物院", "安泽县博物馆", "天镇县博物馆"}


def test_the_review_filter_and_sorting_of_filter_museums(world):
    placeless = make_museum("某某纪念馆", collections=900)
    assert list(filter_museums(Museum.objects.all(), {"review": "1"})) == [placeless]
    by_collections = filter_museums(Museum.objects.all(), {"sort": "-collections"})
    assert by_collections[0] == placeless
    by_grade = filter_museums(Museum.objects.all(), {"sort": "grade"})
    assert by_grade[0] == world.helper_museum
    assert [value for value, _ in SORTS] == ["name", "-visitors", "-collections", "grade"]


def test_museum_staff_export_the_directory_without_contact_columns(world, login):
    """Contacts are shown one museum at a time to signed-in users; copying them in bulk is for the association and
    supervisors only."""
    museum_update(museum=world.helped_museum, by=None, data={"phone": "0357-1234567", "contact_person": "张三"})
    data = download(login(world.outsider))
    header = sheet_rows(data)[0]
    assert "联系电话" not in header and "联系人" not in header and "电子邮箱" not in header
    assert "0357-1234567" not in str(sheet_rows(data))


@pytest.mark.parametrize("persona", ["admin", "province_supervisor"])
def test_association_and_supervisors_export_the_contact_columns(world, login, persona):
    museum_update(museum=world.helped_museum, by=None, data={"phone": "0357-1234567", "contact_person": "张三"})
    anze = next(r for r in as_dicts(download(login(getattr(world, persona)))) if r["博物馆名称"] == "安泽县博物馆")
    assert (anze["联系电话"], anze["联系人"]) == ("0357-1234567", "张三")


def test_the_export_query_count_does_not_grow_with_the_museums(world, login, django_assert_max_num_queries):
    for n in range(30):
        make_museum(f"测试县博物馆{n}", county="141026")
    client = login(world.admin)
    with django_assert_max_num_queries(8):
        download(client)


def test_formula_like_text_is_exported_as_text(world, login):
    museum_update(museum=world.other_museum, by=None, data={"short_name": "=HYPERLINK(\"http://x\")"})
    workbook = openpyxl.load_workbook(io.BytesIO(download(login(world.admin))))
    cells = [c for row in workbook.worksheets[0].iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)


# --- the round trip --------------------------------------------------------------------------------------------


def reimport(data: bytes):
    return build_preview(table=read_table(data=data, file_name="导出.xlsx"))


def test_exporting_and_reimporting_changes_nothing(world, login):
    museum_update(museum=world.helped_museum, by=None, data={
        "short_name": "安泽博", "address": "安泽县府城镇", "phone": "0357-1234567", "email": "az@example.org",
        "website": "https://anze.example.org", "staff_count": 12, "visitors_10k": Decimal("3.1416"),
        "collections": 1298, "free_admission": False,
    })
    museum_set_position(museum=world.helper_museum, by=None, lat=37.8706, lng=112.5489)
    museum_update(museum=world.other_museum, by=None, data={"programme_role": "helper"})
    make_museum("某某纪念馆")  # no place: needs review
    make_museum("故宫博物院", province="北京市", grade="一级")
    preview = build_preview(table=read_table(data=download(login(world.admin)), file_name="导出.xlsx"),
                            all_provinces=True)
    assert preview.bad == [] and preview.creates == [] and preview.flagged == []
    assert preview.updates == [], [(u.name, u.changes) for u in preview.updates]
    assert len(preview.unchanged) == 5


def test_an_edited_export_updates_exactly_what_was_edited(world, login):
    workbook = openpyxl.load_workbook(io.BytesIO(download(login(world.admin))))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = {h: i for i, h in enumerate(header)}
    for row in sheet.iter_rows(min_row=2):
        if row[column["博物馆名称"]].value == "天镇县博物馆":
            row[column["藏品数（件/套）"]].value = 4321
            row[column["纬度"]].value, row[column["经度"]].value = 40.4201, 114.0912
        if row[column["博物馆名称"]].value == "安泽县博物馆":
            row[column["博物馆名称"]].value = "安泽县博物馆（新馆）"
    sheet.append([None, "新建县博物馆", None, "山西省", "临汾市", "安泽县", None, None, None, "三级"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch, preview = imports.import_upload(by=world.admin, file=ContentFile(buffer.getvalue(), name="改.xlsx"))
    assert {u.name: sorted(u.changes) for u in preview.updates} == {
        "天镇县博物馆": sorted(["藏品数（件/套）", "纬度", "经度"]), "安泽县博物馆（新馆）": ["博物馆名称"]}
    summary = imports.import_commit(batch=batch, by=world.admin)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (1, 2, 1)
    tianzhen = Museum.objects.get(pk=world.other_museum.pk)
    assert (tianzhen.collections, tianzhen.lat, tianzhen.position_precise) == (4321, 40.4201, True)
    assert Museum.objects.get(pk=world.helped_museum.pk).name == "安泽县博物馆（新馆）"
    new = Museum.objects.get(name="新建县博物馆")
    assert (new.county, new.grade, new.needs_review) == (division("141026"), "三级", False)


def test_platform_rows_with_unknown_places_ids_or_bad_coordinates_are_bad_rows(world):
    headers = ["编号", "博物馆名称", "省份", "所在市", "所在县（区、市）", "质量等级", "纬度", "经度"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet.append([None, "甲馆", "山西省", "太原市", "安泽县", "未定级", None, None])  # line 2: county not in city
    sheet.append([None, "乙馆", "山西省", "火星市", None, "未定级", None, None])  # line 3: unknown city
    sheet.append([999999, "丙馆", "山西省", None, None, "未定级", None, None])  # line 4: unknown id
    sheet.append([None, "丁馆", "山西省", None, None, "未定级", 95, 112])  # line 5: latitude out of range
    sheet.append([None, "戊馆", "山西省", None, None, "未定级", 37.5, None])  # line 6: only one coordinate
    sheet.append([None, "己馆", "河北省", "太原市", None, "未定级", None, None])  # line 7: place outside Shanxi
    sheet.append([None, "庚馆", "山西省", None, "城区", "未定级", None, None])  # line 8: 城区 is in three cities
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = build_preview(table=read_table(data=buffer.getvalue(), file_name="a.xlsx"), all_provinces=True)
    reasons = {p.line: p.reason for p in preview.bad}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8]
    assert "“安泽县”不在太原市" in reasons[2] and "“火星市”不是山西省的地级市" in reasons[3]
    assert "编号 999999 在平台中不存在" in reasons[4] and "纬度应在 18.1 到 53.6 之间（中国境内）" in reasons[5]
    assert "纬度和经度需同时填写" in reasons[6] and "只适用于山西省" in reasons[7] and "请同时填写所在市" in reasons[8]


# --- the template ----------------------------------------------------------------------------------------------


def test_the_template_has_the_platform_headers_and_a_sheet_of_notes(world, login):
    data = download(login(world.helped_staff), template="1")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["博物馆名录", "填写说明"]
    assert sheet_rows(data) == [tuple(PLATFORM_HEADERS)]
    with pytest.raises(imports.ImportFileError, match="没有数据行"):
        read_table(data=data, file_name="模板.xlsx")


def test_a_filled_in_template_imports_new_museums(world):
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_workbook().read()))
    workbook.worksheets[0].append(
        [None, "平遥县博物馆", "平遥博", "山西省", None, None, "平遥古城", None, None, "二级"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [plan] = reimport(buffer.getvalue()).creates
    assert plan.place == "晋中市 · 平遥县" and plan.fields["short_name"] == "平遥博"


def test_the_export_keeps_its_header_in_view_with_filter_buttons(world, login):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download(login(world.admin)))).worksheets[0]
    assert sheet.freeze_panes.endswith("2") and sheet.auto_filter.ref.startswith("A1:")  # header row frozen
