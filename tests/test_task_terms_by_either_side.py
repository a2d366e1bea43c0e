"""Either museum of a pairing may propose changing the terms of any task (name, area, owner side, due date,
description) — on a confirmed agreement that opens an amendment both confirm — while only the side that carries the
task out sets its working details. The task page offers exactly that: the other side gets a form of the terms that
saves, never a form whose save is refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.models import AgreementStatus

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def agreement(world):
    due = TODAY + datetime.timedelta(days=30)
    return make_agreement(world, tasks=[
        {"title": "讲解员培训", "due_date": due, "owner_side": "helper", "responsible": world.helper_staff,
         "people_trained": 20, "ledger_kind": "培训"},
        {"title": "送课进校园", "due_date": due, "owner_side": "helped", "responsible": world.helped_staff,
         "visitors": 300, "ledger_kind": "送课"},
    ])


def _posted_form(client, task) -> dict:
    """What a browser sends from the edit page as rendered: every field the page shows, with its value."""
    form = client.get(reverse("agreements:task_edit", args=[task.pk])).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else value)
    return data


@pytest.mark.parametrize(("person", "title"), [("helped_staff", "讲解员培训"), ("helper_staff", "送课进校园"),
                                                ("helped_admin", "讲解员培训")])
def test_the_other_side_proposes_a_new_due_date_through_the_task_page(world, agreement, login, person, title):
    task = agreement.tasks.get(title=title)
    client = login(getattr(world, person))
    page = client.get(reverse("agreements:task", args=[task.pk])).content.decode()
    assert "提议修改任务" in page and "编辑任务</a>" not in page
    edit = client.get(reverse("agreements:task_edit", args=[task.pk])).content.decode()
    assert 'data-testid="terms-only"' in edit and 'name="people_trained"' not in edit

    data = _posted_form(client, task)
    data["due_date"] = (TODAY + datetime.timedelta(days=60)).isoformat()
    data["amendment_note"] = "推迟一个月"
    response = client.post(reverse("agreements:task_edit", args=[task.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    task.refresh_from_db()
    agreement.refresh_from_db()
    assert task.due_date == TODAY + datetime.timedelta(days=60)
    assert agreement.version == 2 and agreement.status == AgreementStatus.DRAFT
    # the working details the other side was not offered are as they were
    owner_staff = world.helper_staff if title == "讲解员培训" else world.helped_staff
    assert task.responsible == owner_staff and task.ledger_kind in ("培训", "送课")


def test_the_owner_side_edits_its_task_with_every_field(world, agreement, login):
    task = agreement.tasks.get(title="讲解员培训")
    client = login(world.helper_staff)
    assert "编辑任务</a>" in client.get(reverse("agreements:task", args=[task.pk])).content.decode()
    data = _posted_form(client, task) | {"people_trained": "25"}
    assert client.post(reverse("agreements:task_edit", args=[task.pk]), data).status_code == 302
    task.refresh_from_db()
    assert task.people_trained == 25 and agreement.versions.count() == 1  # a working detail: no amendment
