"""A form with several mistakes shows every one of them beside its field in the first answer — the checks the
service makes (terms, due dates, limits, dates, evidence, duplicates) as well as the fields' own — instead of
revealing them one round at a time."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.ledger.models import LedgerEntry

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()



def field_errors(html: str) -> str:
    """The text of every message shown beside a field."""
    return " ".join(re.findall(r'class="invalid-feedback d-block"[^>]*>([^<]*)<', html))


def test_the_agreement_page_shows_title_term_and_both_due_dates_at_once(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30)},
                                             {"title": "修复培训", "due_date": TODAY + datetime.timedelta(days=60)}],
                               confirmed=False)
    first, second = agreement.tasks.order_by("due_date")
    data = {
        "title": "", "term_start": agreement.term_start.isoformat(),
        "term_end": (agreement.term_start - datetime.timedelta(days=1)).isoformat(),
        "background": "", "deliverables": "", "goal-people": "培养县馆业务骨干",
        "task-TOTAL_FORMS": "2", "task-INITIAL_FORMS": "2", "task-MIN_NUM_FORMS": "0", "task-MAX_NUM_FORMS": "1000",
    }
    for index, (task, due) in enumerate(((first, "2035-06-01"), (second, "1999-06-01"))):
        data |= {f"task-{index}-id": str(task.pk), f"task-{index}-title": task.title, f"task-{index}-area": "people",
                 f"task-{index}-owner_side": "helper", f"task-{index}-due_date": due}
    response = login(world.helper_staff).post(reverse("agreements:edit", args=[agreement.pairing_id]), data)
    assert response.status_code == 400
    form, rows = response.context["form"], response.context["formset"].forms
    assert form.errors["title"] == ["请填写此项。"]
    assert form.errors["term_end"] == ["结束日期不能早于开始日期。"]
    assert "截止日期应在协议期限" in rows[0].errors["due_date"][0]
    assert "截止日期应在协议期限" in rows[1].errors["due_date"][0]
    shown = field_errors(response.content.decode())
    assert "请填写此项" in shown and "结束日期不能早于开始日期" in shown and shown.count("截止日期应在协议期限") == 2


def test_the_completion_form_shows_date_quantity_and_file_at_once(world, login):
    task = make_agreement(world, tasks=[{"title": "讲解员培训",
                                         "due_date": TODAY + datetime.timedelta(days=30)}]).tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:task_complete", args=[task.pk]), {
        "completed_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "ledger_kind": "培训",
        "people_trained": "999999999", "days": "0", "object_count": "0", "visitors": "0", "money_yuan": "0",
        "note": "", "evidence_file": SimpleUploadedFile("合影.jpg", b"%PDF-1.4 a pdf renamed"), "evidence_link": ""})
    assert response.status_code == 400
    errors = response.context["complete_form"].errors
    assert errors["completed_on"] == ["完成日期不能晚于今天。"]
    assert errors["people_trained"][0].startswith("培训人数不能超过 10,000 人次")
    assert "图片" in errors["evidence_file"][0]
    shown = field_errors(response.content.decode())
    assert "完成日期不能晚于今天" in shown and "培训人数不能超过" in shown and "图片" in shown
    assert not LedgerEntry.objects.exists()


def test_a_completion_without_evidence_says_so_with_the_other_mistakes(world, login):
    task = make_agreement(world, tasks=[{"title": "讲解员培训",
                                         "due_date": TODAY + datetime.timedelta(days=30)}]).tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:task_complete", args=[task.pk]), {
        "completed_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "people_trained": "5", "days": "0",
        "object_count": "0", "visitors": "0", "money_yuan": "0"})
    errors = response.context["complete_form"].errors
    assert set(errors) == {"completed_on", "evidence_file"}


def test_the_new_task_form_shows_required_fields_limits_and_the_term_at_once(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30)}],
                               confirmed=False)
    response = login(world.helper_staff).post(reverse("agreements:task_create", args=[agreement.pairing_id]), {
        "title": "", "area": "", "owner_side": "helper", "due_date": "2035-01-01", "people_trained": "20000",
        "days": "0", "object_count": "0", "visitors": "0", "money_yuan": "0"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["请填写此项。"] and errors["area"] == ["请选择此项。"]
    assert errors["people_trained"][0].startswith("培训人数不能超过 10,000 人次")
    assert "截止日期应在协议期限" in errors["due_date"][0]
    assert agreement.tasks.count() == 1


def test_the_ledger_form_shows_the_date_and_the_limit_with_the_other_mistakes(world, login):
    response = login(world.helper_staff).post(reverse("ledger:create"), {
        "our_side": "helper", "counterpart": str(world.helped_museum.pk), "area": "", "kind": "培训",
        "date": "2099-01-01", "people_trained": "999999999", "description": "", "evidence_link": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["area"] == ["请选择此项。"] and errors["description"] == ["请填写此项。"]
    assert "不能晚于今天" in errors["date"][0]
    assert errors["people_trained"][0].startswith("培训人数不能超过 10,000 人次")
    assert "佐证" in errors["evidence"][0]
    assert not LedgerEntry.objects.exists()
