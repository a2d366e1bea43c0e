"""The demo's lecture tour: 山西博物院 leads five stops through southern Shanxi county museums, two done (each one
ledger entry, 安泽's 周婷 with her 学时), the rest to come; 孙文博 (zhuanjia) leads the team and sees his upcoming
stops — and loading again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.accounts.models import User
from bangfu.learning.models import HoursEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.tours.models import LectureStop, LectureTour, StopStatus

pytestmark = pytest.mark.django_db


def test_the_demo_tour_has_two_stops_done_in_the_ledger_and_the_experts_schedule(client):
    call_command("load_demo")
    tour = LectureTour.objects.get()
    assert tour.lead_museum.name == "山西博物院" and tour.leader.user.username == "zhuanjia"
    stops = list(tour.stops.order_by("date"))
    assert [s.status for s in stops] == ["done", "done", "planned", "planned", "planned"]
    entries = LedgerEntry.objects.filter(source_type="tours.stop")
    assert {(e.helper.name, e.helped.name, e.people_trained) for e in entries} == {
        ("山西博物院", "安泽县博物馆", 23), ("山西博物院", "浮山县博物馆", 18)}
    assert HoursEntry.objects.filter(person__username="anze_staff", source_type="tours.stop").count() == 1
    client.force_login(User.objects.get(username="zhuanjia"), backend="bangfu.accounts.backends.AccountBackend")
    page = client.get("/tours/mine/").content.decode()
    assert all(s.museum.name in page for s in stops if s.status == StopStatus.PLANNED)
    call_command("load_demo")
    assert (LectureTour.objects.count(), LectureStop.objects.count(), entries.count()) == (1, 5, 2)
