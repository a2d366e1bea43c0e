"""An amendment that was started can be abandoned (「放弃修订」): the agreement, its goals and its tasks' terms return
to the version both museums confirmed, tasks the amendment added are removed, the confirmations stand again and
everything can be worked on as before. What cannot be restored is refused, saying why."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.models import AgreementStatus
from bangfu.agreements.services import (
    agreement_confirm,
    agreement_discard_amendment,
    agreement_submit,
    agreement_update,
    evidence_add,
    task_complete,
    terms_fingerprint,
    why_task_waits,
)
from bangfu.core.models import AuditEntry
from bangfu.notifications.models import Notification

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()



@pytest.fixture
def agreement(world):
    return make_agreement(world, tasks=[
        {"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30)},
        {"title": "修复培训", "due_date": TODAY + datetime.timedelta(days=60), "area": "conservation"}])


def _state(agreement):
    agreement.refresh_from_db()
    return (agreement.version, agreement.status, terms_fingerprint(agreement),
            agreement.helper_confirmed_by_id, agreement.helped_confirmed_by_id)


def test_adding_then_deleting_a_task_can_be_abandoned_back_to_the_confirmed_version(world, agreement, login):
    confirmed = _state(agreement)
    assert confirmed[:2] == (1, AgreementStatus.CONFIRMED) and None not in confirmed
    due = TODAY + datetime.timedelta(days=90)
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="增加一期培训", tasks=[
        {"title": "新增培训", "area": "people", "owner_side": "helper", "due_date": due}])
    added = agreement.tasks.get(title="新增培训")
    agreement_update(agreement=agreement, by=world.helper_staff, tasks=[{"id": added.pk, "delete": True}])
    agreement.refresh_from_db()
    assert (agreement.version, agreement.status) == (2, AgreementStatus.DRAFT)  # the stale amendment of the report

    client = login(world.helped_admin)
    page = client.get(reverse("agreements:pairing", args=[agreement.pairing_id])).content.decode()
    assert 'data-testid="amendment-unchanged"' in page and 'data-testid="discard-amendment"' in page
    response = client.post(reverse("agreements:discard", args=[agreement.pairing_id]), follow=True)
    assert "已放弃修订，协议恢复为双方确认的第 1 版" in response.content.decode()
    assert _state(agreement) == confirmed
    assert agreement.amendment_note == ""
    assert AuditEntry.objects.filter(action="放弃协议修订（第 2 版）").exists()


def test_discarding_restores_terms_goals_and_removes_added_tasks_with_their_evidence(world, agreement):
    confirmed = _state(agreement)
    first = agreement.tasks.get(title="讲解员培训")
    due = TODAY + datetime.timedelta(days=90)
    agreement_update(
        agreement=agreement, by=world.helped_staff, amendment_note="调整",
        data={"title": "新的协议名称", "background": "新背景", "term_start": agreement.term_start,
              "term_end": agreement.term_end + datetime.timedelta(days=100), "deliverables": "巡展 1 个"},
        goals={"people": "改过的目标", "research": "新增学术目标"},
        tasks=[{"id": first.pk, "due_date": first.due_date + datetime.timedelta(days=7), "title": "改名的培训"},
               {"title": "新增任务", "area": "people", "owner_side": "helper", "due_date": due}])
    added = agreement.tasks.get(title="新增任务")
    evidence = evidence_add(task=added, by=world.helper_staff, link="https://example.org/plan")
    agreement_submit(agreement=agreement, by=world.helped_staff)
    agreement_confirm(agreement=agreement, by=world.helper_admin)

    agreement_discard_amendment(agreement=agreement, by=world.helper_staff)
    assert _state(agreement) == confirmed
    assert agreement.title != "新的协议名称" and agreement.deliverables == ""
    assert dict(agreement.goals.values_list("area", "text")) == {"people": "培养县馆业务骨干"}
    first.refresh_from_db()
    assert (first.title, first.due_date) == ("讲解员培训", TODAY + datetime.timedelta(days=30))
    assert not agreement.tasks.filter(pk=added.pk).exists()
    assert not type(evidence).objects.filter(pk=evidence.pk).exists()
    assert why_task_waits(first) == ""  # work goes on as confirmed
    # the amendment's "please confirm" notices are answered; both museums hear it was abandoned
    assert not Notification.objects.filter(title__endswith="等待贵馆确认").unread().exists()
    told = Notification.objects.filter(title__contains="第 2 版修订已放弃").values_list("user__username", flat=True)
    assert set(told) == {"helper_admin", "helped_admin"}


def test_a_new_amendment_after_a_discarded_one_is_announced_again(world, agreement):
    for _ in range(2):
        agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="修订", data={"background": "x"})
        agreement_discard_amendment(agreement=agreement, by=world.helper_staff)
    announced = Notification.objects.filter(user=world.helped_admin, title__contains="发起了第 2 版修订")
    assert announced.count() == 2


def test_work_done_during_the_amendment_stays(world, agreement):
    first = agreement.tasks.get(title="讲解员培训")
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="改期",
                     data={"background": "补充"})
    task_complete(task=first, by=world.helper_staff, evidence_link="https://example.org/photos")
    agreement_discard_amendment(agreement=agreement, by=world.helper_staff)
    first.refresh_from_db()
    assert first.status == "done" and agreement.status == AgreementStatus.CONFIRMED


def test_what_cannot_be_restored_is_refused_with_the_reason(world, agreement):
    task = agreement.tasks.get(title="讲解员培训")
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="改为双方负责",
                     tasks=[{"id": task.pk, "owner_side": "both"}])
    # meanwhile the association makes the helped museum's staff responsible, which the confirmed owner side forbids
    agreement_update(agreement=agreement, by=world.admin, tasks=[{"id": task.pk, "responsible": world.helped_staff}])
    with pytest.raises(ValidationError, match="请先修改负责人"):
        agreement_discard_amendment(agreement=agreement, by=world.helper_staff)
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.status == AgreementStatus.DRAFT


def test_there_must_be_an_amendment_and_a_right_to_edit(world, agreement):
    with pytest.raises(ValidationError, match="没有进行中的修订"):
        agreement_discard_amendment(agreement=agreement, by=world.helper_staff)
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="x", data={"background": "y"})
    with pytest.raises(PermissionDenied):
        agreement_discard_amendment(agreement=agreement, by=world.outsider)
    draft = make_agreement(world, tasks=[{"title": "草稿任务", "due_date": TODAY + datetime.timedelta(days=30)}],
                           confirmed=False, helped=world.other_museum)
    with pytest.raises(ValidationError, match="没有可以恢复的文本"):
        agreement_discard_amendment(agreement=draft, by=world.helper_staff)
