"""Only the side that carries out an agreement task (or the association) changes who is responsible for it and
its quantities: the other side of the pairing can neither reassign nor inflate it, by page or by service."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.services import agreement_confirm, agreement_submit, agreement_update, task_complete
from bangfu.core.models import AuditEntry
from bangfu.ledger.models import LedgerEntry

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()



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


# --- the owner side both museums confirmed ------------------------------------------------------------------
# The owner side is itself a term either party may propose to change: on a confirmed agreement the task's row
# changes at once while the amendment waits for both confirmations. The working details stay with the side both
# museums confirmed (and the side the row names now), so a proposal hands nothing over.


def propose_owner_side(task, by, side, **details):
    agreement_update(agreement=task.agreement, by=by, amendment_note="调整负责方",
                     tasks=[{"id": task.pk, "owner_side": side, **details}])
    task.refresh_from_db()


def test_proposing_both_sides_as_owner_does_not_let_the_other_side_inflate_and_reassign_the_task(world, task):
    propose_owner_side(task, world.helped_staff, "both")
    assert task.owner_side == "both"
    with pytest.raises(PermissionDenied, match="帮扶方"):
        agreement_update(agreement=task.agreement, by=world.helped_staff, tasks=[{
            "id": task.pk, "people_trained": 9999, "responsible": None, "responsible_name": "安泽某人"}])
    # The reviewer's attack went on: the owner side back as confirmed, and the helper completes the task.
    propose_owner_side(task, world.helped_staff, "helper")
    task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/photos")
    entry = LedgerEntry.objects.get()
    assert entry.people_trained == 20
    task.refresh_from_db()
    assert task.responsible == world.helper_staff and task.responsible_name == ""


def test_the_same_task_twice_in_one_change_is_refused(world, task):
    with pytest.raises(ValidationError, match="出现了两次"):
        agreement_update(agreement=task.agreement, by=world.helped_staff, amendment_note="改为双方共同负责",
                         tasks=[{"id": task.pk, "owner_side": "both"}, {"id": task.pk, "people_trained": 9999}])
    assert unchanged(task, world)
    task.refresh_from_db()
    assert task.owner_side == "helper" and task.agreement.version == 1


def test_the_edit_page_keeps_the_details_locked_while_an_owner_side_change_awaits_confirmation(world, task, login):
    propose_owner_side(task, world.helped_staff, "both")
    client = login(world.helped_staff)
    body = client.get(reverse("agreements:task_edit", args=[task.pk])).content.decode()
    assert 'name="people_trained"' not in body and 'data-testid="details-locked"' in body
    assert "由帮扶方填写" in body
    row = client.get(reverse("agreements:edit", args=[task.agreement.pairing_id])).context["formset"].forms[0]
    assert row.fields["responsible"].disabled and row.fields["ledger_kind"].disabled
    client.post(reverse("agreements:task_edit", args=[task.pk]), attack(task, world) | {"owner_side": "both"})
    assert unchanged(task, world)


def test_while_the_owner_side_changes_neither_museum_changes_the_details_and_afterwards_the_new_owner_does(
        world, task):
    """Handing a task over (helper → helped) waits for both confirmations; meanwhile only the association
    changes its details, then the museum both confirmed does."""
    propose_owner_side(task, world.helper_admin, "helped", responsible=None)
    for person in (world.helper_staff, world.helped_staff):
        with pytest.raises(PermissionDenied):
            agreement_update(agreement=task.agreement, by=person, tasks=[{"id": task.pk, "people_trained": 30}])
    agreement_update(agreement=task.agreement, by=world.admin, tasks=[{"id": task.pk, "people_trained": 30}])
    agreement = task.agreement
    agreement_submit(agreement=agreement, by=world.admin)
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement_confirm(agreement=agreement, by=world.helped_admin)
    agreement_update(agreement=agreement, by=world.helped_staff, tasks=[{"id": task.pk, "people_trained": 35,
                                                                        "responsible": world.helped_staff}])
    task.refresh_from_db()
    assert (task.people_trained, task.responsible) == (35, world.helped_staff)
    with pytest.raises(PermissionDenied):
        agreement_update(agreement=agreement, by=world.helper_staff, tasks=[{"id": task.pk, "people_trained": 40}])


def test_tasks_confirmed_before_the_upgrade_get_the_owner_side_of_their_confirmed_version(world, task):
    """The migration reads the confirmed version, not the task, whose owner side an amendment may have changed."""
    import importlib

    from django.apps import apps

    from bangfu.agreements.models import AgreementTask

    migration = importlib.import_module("bangfu.agreements.migrations.0003_agreed_owner_side")
    propose_owner_side(task, world.helped_staff, "both")
    AgreementTask.objects.update(agreed_owner_side="")
    migration.agreed_owner_sides(apps, None)
    task.refresh_from_db()
    assert (task.owner_side, task.agreed_owner_side) == ("both", "helper")
