"""Control characters (bangfu.core.text): refused by every form, the API and the importer, and stripped by the
Excel and Word writers, so that records stored before the check still export."""

import datetime
import importlib
import inspect
import io
import pkgutil

import docx
import openpyxl
import pytest
from django import forms
from django.urls import reverse

import bangfu
from bangfu.agreements.models import Agreement, AgreementTask
from bangfu.core.forms import FormMixin
from bangfu.core.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters, strip_control_characters
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.services import ledger_record
from bangfu.museums.imports import build_preview, read_table
from bangfu.museums.models import Museum

from .factories import make_agreement
from .test_museum_import import as_csv, row
from .test_museum_pages import _profile_post

pytestmark = pytest.mark.django_db

REFUSED = ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u2066",
           "\ufeff", "\uffff"]



@pytest.mark.parametrize("char", REFUSED)
def test_control_and_invisible_formatting_characters_are_found_and_stripped(char):
    assert has_control_characters(f"安泽{char}县")
    assert strip_control_characters(f"安泽{char}县") == "安泽县"


def test_tabs_and_line_breaks_are_ordinary_text():
    assert not has_control_characters("第一行\n第二行\r\n\t缩进 · 全角　空格")


# --- stored before the check: the exports still work ---------------------------------------------------------


def test_a_museum_address_with_control_characters_still_exports(world, login):
    Museum.objects.filter(pk=world.helped_museum.pk).update(address="安泽县\x0b府城镇\x1f", contact_person="张\x07三")
    response = login(world.admin).get(reverse("museums:export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    anze = next(dict(zip(header, r, strict=False)) for r in rows if r[header.index("博物馆名称")] == "安泽县博物馆")
    assert anze["地址"] == "安泽县府城镇" and anze["联系人"] == "张三"


def test_a_ledger_entry_with_control_characters_still_exports(world, login):
    entry = ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                          kind="培训", date=datetime.date(2026, 3, 10), description="文物修复培训班", people_trained=30)
    LedgerEntry.objects.filter(pk=entry.pk).update(description="文物\x0b修复\x1f培训班", kind="培\x1b训")
    response = login(world.admin).get(reverse("ledger:export"), {"q": "培训\x0b"})  # in the filter too
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = list(workbook["帮扶台账"].iter_rows(values_only=True))
    assert rows[0][header.index("内容")] == "文物修复培训班" and rows[0][header.index("帮扶形式")] == "培训"
    assert ("关键词", "培训") in list(workbook["说明"].iter_rows(values_only=True))


def test_an_agreement_with_control_characters_still_exports_to_word_and_prints(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": datetime.date.today()}])
    AgreementTask.objects.filter(agreement=agreement).update(title="讲解员\x0b培训", description="第一期\x1f，20 人")
    Agreement.objects.filter(pk=agreement.pk).update(title="帮扶\x0b协议", background="共同\x0c提升")
    client = login(world.helped_staff)
    response = client.get(reverse("agreements:docx", args=[agreement.pairing_id]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "讲解员培训" in text and "第一期，20 人" in text and "帮扶协议" in text and "共同提升" in text
    assert not has_control_characters(text)
    assert client.get(reverse("agreements:print", args=[agreement.pairing_id])).status_code == 200


# --- refused on input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x0b", "\x1f", "\u202e"])
def test_the_museum_form_refuses_control_characters_beside_the_field(world, login, char):
    museum = world.helped_museum
    response = login(world.helped_staff).post(reverse("museums:edit", args=[museum.pk]),
                                              _profile_post(museum, address=f"安泽县{char}府城镇"))
    assert response.status_code == 400
    assert response.context["form"].errors["address"] == [CONTROL_CHARACTERS_MESSAGE]
    assert CONTROL_CHARACTERS_MESSAGE in response.content.decode()
    museum.refresh_from_db()
    assert museum.address == ""


@pytest.mark.parametrize("char", ["\x1f", "\x00"])  # NUL in our one message, not Django's second one as well
def test_the_ledger_form_refuses_control_characters_beside_the_field(world, login, char):
    response = login(world.helper_staff).post(reverse("ledger:create"), {
        "our_side": "helper", "counterpart": world.helped_museum.pk, "area": "people", "kind": "培训",
        "date": "2026-03-01", "description": f"文物{char}修复培训班", "evidence_link": "https://news.example.org/1"})
    assert response.status_code == 400
    assert response.context["form"].errors["description"] == [CONTROL_CHARACTERS_MESSAGE]
    assert not LedgerEntry.objects.exists()


def test_the_agreement_task_form_refuses_control_characters_beside_the_field(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": datetime.date.today()}],
                               confirmed=False)
    task = agreement.tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:task_edit", args=[task.pk]), {
        "title": "讲解员\x0b培训", "area": "people", "owner_side": "helper", "due_date": task.due_date.isoformat(),
        "description": "", "ledger_kind": "", "people_trained": "0", "days": "0", "object_count": "0",
        "visitors": "0", "money_yuan": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [CONTROL_CHARACTERS_MESSAGE]
    task.refresh_from_db()
    assert task.title == "讲解员培训"


def test_the_profile_form_refuses_control_characters(world, login):
    response = login(world.helper_staff).post(reverse("accounts:profile"), {
        "full_name": "刘\u202e洋", "email": "", "phone": "", "title": ""})
    assert response.status_code == 200 and response.context["form"].errors["full_name"] == [
        CONTROL_CHARACTERS_MESSAGE]


def _project_forms():
    for module in pkgutil.walk_packages(bangfu.__path__, "bangfu."):
        if ".migrations" in module.name or module.name.endswith(".tests"):
            continue
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                yield cls


def test_every_form_of_the_project_uses_the_form_mixin():
    found = list(_project_forms())
    assert len(found) >= 25
    assert [f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, FormMixin)] == []


# --- the API and the importer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/museums?q=%0B", "/api/museums?province=%E2%80%AE", "/api/experts?q=%1F"])
def test_the_api_answers_422_to_control_characters(world, client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == CONTROL_CHARACTERS_MESSAGE


def test_the_importer_reports_a_row_with_control_characters_with_its_line_number(db):
    rows = [row(1, "甲博物馆"), row(2, "乙博\x0b物馆"), row(3, "丙博物馆", sector="文化文物系统\x1f国有博物馆")]
    preview = build_preview(table=read_table(data=as_csv(rows), file_name="名录.csv"))
    assert [p.line for p in preview.bad] == [3, 4]
    assert all("控制字符" in p.reason for p in preview.bad)
    assert [r.name for r in preview.creates] == ["甲博物馆"]


# --- refused by the models too, whatever the path ---------------------------------------------------------------

MODEL_APPS = ("museums", "accounts", "experts", "api")  # the ledger's and agreements' models: see their services


def test_every_free_text_field_of_the_registry_and_accounts_refuses_control_characters():
    from django.apps import apps
    from django.db import models

    from bangfu.core.text import no_control_characters

    missing, checked = [], 0
    for app in MODEL_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.local_fields:  # the project's own fields, not Django's AbstractUser's
                if isinstance(field, models.CharField | models.TextField) and field.editable and not field.choices:
                    if field.name in ("username", "password", "first_name", "last_name", "email") and app == "accounts":
                        continue  # Django's own (username has its validator; the others: the forms and services)
                    checked += 1
                    if no_control_characters not in field.validators:
                        missing.append(f"{model._meta.label}.{field.name}")
    assert checked >= 20 and missing == []


def test_the_services_refuse_control_characters_outside_the_forms(world):
    from django.core.exceptions import ValidationError

    from bangfu.api.services import token_create
    from bangfu.experts.services import expert_create
    from bangfu.museums.services import museum_set_areas, museum_update

    with pytest.raises(ValidationError) as refused:
        museum_update(museum=world.helped_museum, by=None, data={"address": "安泽县\x00府城镇"})
    assert refused.value.message_dict["address"] == [CONTROL_CHARACTERS_MESSAGE]
    with pytest.raises(ValidationError):
        museum_set_areas(museum=world.helped_museum, by=None, kind="need", items={"exhibition": {"text": "展\x00陈"}})
    assert not world.helped_museum.areas.exists()
    with pytest.raises(ValidationError):
        expert_create(by=world.admin, name="冯\x1b雅琴", organisation="山西考古研究院")
    with pytest.raises(ValidationError):
        token_create(user=world.helper_staff, name="网关\u202e")
    from bangfu.accounts.services import user_update

    with pytest.raises(ValidationError):
        user_update(by=world.admin, user=world.helper_staff, data={"full_name": "刘\x00洋"})
