"""The task page offers the progress and completion forms only when the service would accept them: not while an
open amendment adds the task or changes its terms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.services import agreement_confirm, agreement_submit, agreement_update

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def _forms(body: str, task) -> tuple[bool, bool]:
    return (reverse("agreements:task_complete", args=[task.pk]) in body,
            reverse("agreements:task_progress", args=[task.pk]) in body)


def _agreement(world):
    due = timezone.localdate() + datetime.timedelta(days=60)
    return make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": due, "people_trained": 20}])


def test_a_task_whose_terms_an_open_amendment_changes_offers_no_completion_form(world, login):
    agreement = _agreement(world)
    task = agreement.tasks.get()
    client = login(world.helper_staff)
    assert _forms(client.get(reverse("agreements:task", args=[task.pk])).content.decode(), task) == (True, True)

    agreement_update(agreement=agreement, by=world.helped_staff, tasks=[{"id": task.pk, "area": "research"}],
                     amendment_note="改为学术领域")
    body = client.get(reverse("agreements:task", args=[task.pk])).content.decode()
    assert _forms(body, task) == (False, False)
    assert 'data-testid="task-waits"' in body and "该任务的内容在协议修订中有改动" in body
    assert reverse("agreements:evidence_add", args=[task.pk]) in body  # the service accepts evidence meanwhile

    agreement_submit(agreement=agreement, by=world.helped_staff)
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement_confirm(agreement=agreement, by=world.helped_admin)
    body = client.get(reverse("agreements:task", args=[task.pk])).content.decode()
    assert _forms(body, task) == (True, True) and 'data-testid="task-waits"' not in body


def test_a_task_an_open_amendment_adds_offers_no_completion_form(world, login):
    agreement = _agreement(world)
    first = agreement.tasks.get()
    due = timezone.localdate() + datetime.timedelta(days=90)
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="增加一期修复培训",
                     tasks=[{"id": first.pk}, {"title": "修复培训", "due_date": due, "area": "conservation",
                                               "owner_side": "helper"}])
    added = agreement.tasks.get(title="修复培训")
    body = login(world.helper_staff).get(reverse("agreements:task", args=[added.pk])).content.decode()
    assert _forms(body, added) == (False, False)
    assert "该任务属于尚未确认的协议修订" in body
    # the first task's terms did not change: it can still be worked on
    body = login(world.helper_staff).get(reverse("agreements:task", args=[first.pk])).content.decode()
    assert _forms(body, first) == (True, True)
