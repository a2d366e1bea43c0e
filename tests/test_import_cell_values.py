"""The museum importer reads cells by the rules of the web forms: numbers in ASCII or full-width digits only (not
"²", which imported as 2), Excel's _xHHHH_ escapes of control characters as the control characters they are, and
the forms' wording for a text too long, without repeating a 600-character value in the table of bad rows."""

import re

import pytest
from django.urls import reverse

from bangfu.museums.forms import MuseumForm
from bangfu.museums.imports import DIRECTORY_HEADERS, QUOTE_CHARS

from .test_museum_import import as_csv, as_xlsx, preview_of, row, upload

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize("value", ["²", "¹²", "1²", "٣", "①"])
def test_a_number_in_superscript_or_another_script_is_refused_with_its_line(db, value):
    preview = preview_of(as_csv([row(1, "甲馆", collections=value)]))
    [bad] = preview.bad
    assert bad.line == 2 and f"藏品数（件/套）应为数字，实际为“{value}”" in bad.reason
    assert not preview.creates


def test_a_number_in_full_width_digits_is_read_as_the_forms_read_it(db):
    preview = preview_of(as_csv([row(1, "甲馆", collections="１２，３４５", visitors="１．５")]))
    [plan] = preview.creates
    assert plan.fields["collections"] == 12345 and str(plan.fields["visitors_10k"]) == "1.5000"


@pytest.mark.parametrize(("value", "valid"), [("１２", True), ("12", True), ("²", False), ("٣", False)])
def test_the_museum_form_reads_numbers_by_the_same_rule(world, value, valid):
    museum = world.helped_museum
    form = MuseumForm({"collections": value, "precious_relics": 0, "exhibitions": 0, "education_activities": 0,
                       "visitors_10k": 0, "free_admission": "on"}, instance=museum, registry=False)
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["collections"] == ["请输入整数。"]


def test_an_escaped_vertical_tab_in_an_excel_cell_is_a_control_character(db):
    # What Excel writes for a vertical tab pasted into a cell; openpyxl reads it back as these eight characters.
    preview = preview_of(as_xlsx([row(1, "QA_x000B_控制符博物馆"), row(2, "乙馆")]), "名录.xlsx")
    [bad] = preview.bad
    assert bad.line == 2 and "博物馆名称含有控制字符" in bad.reason
    assert bad.name == "QA控制符博物馆"
    assert [p.name for p in preview.creates] == ["乙馆"]


def test_an_escaped_underscore_is_read_as_the_text_the_user_typed(db):
    # Excel writes a typed "_x000B_" as "_x005F_x000B_": six visible characters, not a control character.
    preview = preview_of(as_xlsx([row(1, "馆_x005F_x000B_名")]), "名录.xlsx")
    assert not preview.bad and [p.name for p in preview.creates] == ["馆_x000B_名"]


def test_a_name_too_long_is_worded_as_the_forms_word_it_and_not_repeated(db):
    name = "很" * 600
    preview = preview_of(as_csv([row(1, name), row(2, "乙馆", grade="五" * 300)]))
    reasons = {p.line: p.reason for p in preview.bad}
    assert "博物馆名称：不能超过 100 个字（现在是 600 个）" in reasons[2]
    assert "确保" not in reasons[2] and "。；" not in reasons[2] and "很" * 50 not in reasons[2]
    assert f"“{'五' * QUOTE_CHARS}…”无效" in reasons[3]


def test_the_preview_page_cuts_a_long_name_in_the_table_of_bad_rows(world, login):
    client = login(world.admin)
    response = upload(client, as_csv([row(1, "很" * 600)], headers=DIRECTORY_HEADERS))
    page = client.get(response.url).content.decode()
    assert "不能超过 100 个字（现在是 600 个）" in page
    assert "很" * 50 not in page and re.search("很{30,40}…", page)


def test_the_finished_import_page_separates_the_time_from_the_status(world, login):
    client = login(world.admin)
    response = upload(client, as_csv([row(1, "甲馆")]))
    preview_page = client.get(response.url)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview_page.content.decode()).group(1)
    done = client.post(response.url, {"fingerprint": fingerprint}, follow=True).content.decode()
    assert re.search(r"\d{2}:\d{2} 已导入", done) and not re.search(r"\d{2}:\d{2}已导入", done)
    assert reverse("museums:import") in done
