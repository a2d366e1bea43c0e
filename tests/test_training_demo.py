"""The demo's training: last month's 文物保护 class completed (anze_staff holds its certificate and its 学时, each
sending county museum has its ledger entry, feedback given) and an open 新媒体运营 class that 安泽's admin can
nominate to — and loading again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.accounts.models import User
from bangfu.learning.models import Certificate, HoursEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.training.models import ClassStatus, Feedback, TrainingClass

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_completed_class_with_certificates_and_an_open_class(client):
    call_command("load_demo")
    done = TrainingClass.objects.get(status=ClassStatus.COMPLETED)
    assert (done.host.name, done.area, done.organiser_museum) == ("山西博物院", "conservation", None)
    anze_staff = User.objects.get(username="anze_staff")
    assert Certificate.objects.filter(person=anze_staff, source_type="training.class", source_id=done.pk).exists()
    assert HoursEntry.objects.get(person=anze_staff, source_type="training.class").hours == 18
    entries = LedgerEntry.objects.filter(source_type="training.class")
    assert entries.count() >= 2 and "安泽县博物馆" in set(entries.values_list("helped__name", flat=True))
    assert Feedback.objects.filter(klass=done).count() == 3
    open_class = TrainingClass.objects.get(status=ClassStatus.PUBLISHED)
    client.force_login(User.objects.get(username="anze_admin"), backend="bangfu.accounts.backends.AccountBackend")
    assert "推荐本馆人员" in client.get(f"/training/{open_class.pk}/").content.decode()
    call_command("load_demo")
    assert TrainingClass.objects.count() == 2
