"""The demo's placements: 周婷 (anze_staff) completed a 跟班学习 at 山西博物院 (a certificate and one ledger entry) and
is on a 挂职锻炼 there with two monthly reports (the third month's late, so a reminder is due); a guidance visit done
(with a photo, in the ledger) and one proposed — and loading again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.learning.models import Certificate
from bangfu.ledger.models import LedgerEntry
from bangfu.placements import reminders
from bangfu.placements.models import Placement, PlacementStatus, Visit, VisitStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_running_and_a_completed_placement_and_two_visits(client):
    call_command("load_demo")
    person = User.objects.get(username="anze_staff")
    current = Placement.objects.get(person=person, status=PlacementStatus.IN_PROGRESS)
    assert current.host.name == "山西博物院" and current.reports.count() == 2
    done = Placement.objects.get(person=person, status=PlacementStatus.COMPLETED)
    assert Certificate.objects.filter(source_type="placements.placement", source_id=done.pk).exists()
    assert LedgerEntry.objects.filter(source_type="placements.placement").count() == 1
    assert set(Visit.objects.values_list("status", flat=True)) == {VisitStatus.DONE, VisitStatus.PROPOSED}
    assert LedgerEntry.objects.filter(source_type="placements.visit").count() == 1
    if timezone.localdate().day > 7:
        assert any(r.user == person for r in reminders.collect(timezone.localdate(), 7))
    client.force_login(person, backend="bangfu.accounts.backends.AccountBackend")
    assert client.get("/placements/mine/").status_code == 200
    call_command("load_demo")
    assert (Placement.objects.count(), Visit.objects.count()) == (2, 2)
