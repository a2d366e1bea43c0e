"""Only the side that carries out an agreement task (or the association) changes who is responsible for it and
its quantities: the other side of the pairing can neither reassign nor inflate it, by page or by service."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.services import agreement_update, task_complete
from bangfu.core.models import AuditEntry
from bangfu.ledger.models import LedgerEntry

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def task(world):
    """A confirmed task the helper museum carries out, for 20 people, with the helper's staff responsible."""
    agreement = make_agreement(world, tasks=[{
        "title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30), "ledger_kind": "培训",
        "people_trained": 20, "days": Decimal("2.0"), "responsible": world.helper_staff}])
    return agreement.tasks.get()


def unchanged(task, world):
    task.refresh_from_db()
    return (task.responsible, task.responsible_name, task.ledger_kind, task.people_trained, task.money_yuan) == (
        world.helper_staff, "", "培训", 20, Decimal("0"))


def attack(task, world):
    """What `anze_staff` posted to the task's edit page: the terms as they are, new working details."""
    return {
        "title": task.title, "area": task.area, "owner_side": "helper", "due_date": task.due_date.isoformat(),
        "description": "", "responsible": "", "responsible_name": "安泽某人", "ledger_kind": "培训",
        "people_trained": "99999", "days": "2", "object_count": "0", "visitors": "0", "money_yuan": "123456789",
    }


def test_the_helped_staff_posting_the_edit_page_changes_nothing_of_a_helper_task(world, task, login):
    response = login(world.helped_staff).post(reverse("agreements:task_edit", args=[task.pk]), attack(task, world))
    assert response.status_code in (302, 400, 403)
    assert unchanged(task, world)
    assert not AuditEntry.objects.filter(action="修改任务执行信息").exists()
    # …so the owner's completion form is not prefilled with the figures, and the ledger does not get them.
    page = login(world.helper_staff).get(reverse("agreements:task", args=[task.pk]))
    assert page.context["complete_form"].initial["people_trained"] == 20
    task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/photos")
    assert LedgerEntry.objects.get().people_trained == 20


def test_the_service_refuses_the_other_sides_change_of_working_details(world, task):
    for details in ({"responsible": None, "responsible_name": "安泽某人"}, {"people_trained": 99_999},
                    {"money_yuan": Decimal("123456789")}, {"ledger_kind": "巡展"}):
        with pytest.raises(PermissionDenied, match="只有帮扶方或协会可以修改负责人"):
            agreement_update(agreement=task.agreement, by=world.helped_staff, tasks=[{"id": task.pk, **details}])
        assert unchanged(task, world)


def test_the_other_side_may_send_the_details_as_they_are_with_a_change_of_terms(world, task):
    """A whole-row save (the agreement page's table) repeats the details unchanged: that is not a change."""
    agreement_update(agreement=task.agreement, by=world.helped_staff, amendment_note="推迟两周", tasks=[{
        "id": task.pk, "due_date": task.due_date + datetime.timedelta(days=14), "responsible": world.helper_staff,
        "ledger_kind": "培训 "}])
    task.refresh_from_db()
    assert task.due_date == TODAY + datetime.timedelta(days=44) and unchanged(task, world)


def test_the_owner_side_and_the_association_change_the_working_details(world, task):
    agreement_update(agreement=task.agreement, by=world.helper_admin, tasks=[{"id": task.pk, "people_trained": 25}])
    agreement_update(agreement=task.agreement, by=world.admin, tasks=[{"id": task.pk, "responsible_name": "王老师"}])
    task.refresh_from_db()
    assert (task.people_trained, task.responsible_name) == (25, "王老师")


def test_a_task_of_both_sides_is_run_by_either(world):
    agreement = make_agreement(world, tasks=[{"title": "联合策展", "owner_side": "both",
                                              "due_date": TODAY + datetime.timedelta(days=30)}])
    task = agreement.tasks.get()
    agreement_update(agreement=agreement, by=world.helped_staff, tasks=[{"id": task.pk, "visitors": 3000}])
    task.refresh_from_db()
    assert task.visitors == 3000


def test_the_edit_page_does_not_offer_the_other_side_the_working_details(world, task, login):
    body = login(world.helped_staff).get(reverse("agreements:task_edit", args=[task.pk])).content.decode()
    assert 'name="people_trained"' not in body and 'name="responsible"' not in body
    assert 'name="money_yuan"' not in body and 'data-testid="details-locked"' in body
    owner = login(world.helper_staff).get(reverse("agreements:task_edit", args=[task.pk])).content.decode()
    assert 'name="people_trained"' in owner and 'name="responsible"' in owner


def test_the_agreement_page_shows_the_other_side_a_tasks_responsible_person_without_letting_it_change(
        world, task, login):
    response = login(world.helped_staff).get(reverse("agreements:edit", args=[task.agreement.pairing_id]))
    row = response.context["formset"].forms[0]
    assert row.fields["responsible"].disabled and row.fields["ledger_kind"].disabled
    assert not row.fields["title"].disabled
