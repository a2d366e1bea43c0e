"""Evidence is added to a task by the side that carries it out (or the association), and by nobody once the task
is completed: the other side of the pairing cannot attach permanent material to a task it does not own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.services import evidence_add, task_complete

from .factories import make_agreement

pytestmark = pytest.mark.django_db

LINK = "https://example.org/photos"



@pytest.fixture
def task(world):
    """A confirmed task the helper museum carries out."""
    due = timezone.localdate() + datetime.timedelta(days=30)
    return make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": due}]).tasks.get()


def test_the_other_side_cannot_add_evidence_to_a_task_it_does_not_run(world, task):
    for person in (world.helped_staff, world.helped_admin):
        with pytest.raises(PermissionDenied, match="只有帮扶方或协会可以上传佐证材料"):
            evidence_add(task=task, by=person, link=LINK)
    assert task.evidence.count() == 0


def test_the_owner_side_and_the_association_add_evidence(world, task):
    evidence_add(task=task, by=world.helper_staff, link=LINK, caption="合影")
    evidence_add(task=task, by=world.admin, link=LINK + "/2")
    assert task.evidence.count() == 2


def test_nobody_adds_evidence_to_a_completed_task(world, task):
    task_complete(task=task, by=world.helper_staff, evidence_link=LINK)
    for person in (world.helper_staff, world.admin, world.helped_staff):
        with pytest.raises((ValidationError, PermissionDenied)):
            evidence_add(task=task, by=person, link=LINK + "/late")
    assert task.evidence.count() == 1


def test_the_helped_staff_posting_evidence_to_a_completed_helper_task_adds_nothing(world, task, login):
    task_complete(task=task, by=world.helper_staff, evidence_link=LINK)
    client = login(world.helped_staff)
    response = client.post(reverse("agreements:evidence_add", args=[task.pk]),
                           {"link": "https://example.org/forged", "caption": ""})
    assert response.status_code in (400, 403)
    assert "佐证材料已上传" not in response.content.decode()
    assert list(task.evidence.values_list("link", flat=True)) == [LINK]


def test_the_task_page_offers_the_upload_form_only_to_who_may_use_it(world, task, login):
    url = reverse("agreements:task", args=[task.pk])
    upload = reverse("agreements:evidence_add", args=[task.pk])
    assert upload in login(world.helper_staff).get(url).content.decode()
    body = login(world.helped_staff).get(url).content.decode()
    assert upload not in body and "佐证材料由负责方（帮扶方）上传" in body
    task_complete(task=task, by=world.helper_staff, evidence_link=LINK)
    for person in (world.helper_staff, world.admin):
        assert upload not in login(person).get(url).content.decode()
