"""A stop's life: the owner accepts or declines a request, either side withdraws, a stop that ended is completed
with its figures and writes one ledger entry; illegal moves are refused; the other side is notified."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.exhibitions.models import StopStatus
from bangfu.exhibitions.services import (
    stop_accept,
    stop_complete,
    stop_decline,
    stop_request,
    stop_withdraw,
    touring_withdraw,
)
from bangfu.ledger.models import LedgerEntry
from bangfu.notifications.models import Notification
from bangfu.pairings.services import pairing_create

from .exhibitions_data import day, make_objects, make_touring

pytestmark = pytest.mark.django_db


@pytest.fixture
def exhibition(world):
    return make_touring(world, items=make_objects(world.helper_museum, 3))


def past_stop(world, exhibition):
    """A stop that ended yesterday (requested as if long ago), accepted."""
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(-60),
                        end=day(-1), today=day(-90))
    return stop_accept(stop=stop, by=world.helper_admin)


def test_the_owner_accepts_and_the_venue_hears_of_it(world, exhibition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin,
                            start=day(10), end=day(50))
    assert Notification.objects.filter(user=world.helper_admin, url__endswith=f"/stops/{stop.pk}/").exists()
    with django_capture_on_commit_callbacks(execute=True):
        stop_accept(stop=stop, by=world.helper_staff)
    stop.refresh_from_db()
    assert stop.status == StopStatus.ACCEPTED
    assert Notification.objects.filter(user=world.helped_admin, title__contains="确认").exists()


def test_the_venue_cannot_accept_its_own_request(world, exhibition):
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                        end=day(50))
    with pytest.raises(PermissionDenied):
        stop_accept(stop=stop, by=world.helped_admin)
    with pytest.raises(PermissionDenied):
        stop_decline(stop=stop, by=world.outsider, reason="无关")


def test_declining_needs_a_reason_and_a_declined_stop_cannot_be_accepted(world, exhibition):
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                        end=day(50))
    with pytest.raises(ValidationError, match="婉拒必须说明原因"):
        stop_decline(stop=stop, by=world.helper_admin, reason=" ")
    stop_decline(stop=stop, by=world.helper_admin, reason="该档期展品需回馆养护")
    with pytest.raises(ValidationError, match="已婉拒"):
        stop_accept(stop=stop, by=world.helper_admin)
    with pytest.raises(ValidationError):
        stop_withdraw(stop=stop, by=world.helped_admin, reason="不需要了")


def test_a_withdrawn_stop_cannot_be_completed(world, exhibition):
    stop = past_stop(world, exhibition)
    stop_withdraw(stop=stop, by=world.helped_admin, reason="场馆维修")
    with pytest.raises(ValidationError, match="已撤回"):
        stop_complete(stop=stop, by=world.helped_admin, visitors=100, events=1)


def test_a_requested_stop_cannot_be_completed(world, exhibition):
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(-60),
                        end=day(-1), today=day(-90))
    with pytest.raises(ValidationError, match="待确认"):
        stop_complete(stop=stop, by=world.helper_admin, visitors=100, events=1)


def test_a_stop_is_completed_only_after_it_ended(world, exhibition):
    stop = stop_accept(stop=stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin,
                                         start=day(10), end=day(50)), by=world.helper_admin)
    with pytest.raises(ValidationError) as refused:
        stop_complete(stop=stop, by=world.helped_admin, visitors=100, events=1)
    assert "闭展后" in refused.value.message_dict["visitors"][0]


def test_completing_writes_one_ledger_entry_owner_helped_venue_under_their_pairing(world, exhibition):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=day(-200), end_date=day(800))
    stop = past_stop(world, exhibition)
    stop_complete(stop=stop, by=world.helped_staff, visitors=12_345, events=6, outcome="观众反响热烈。")
    stop.refresh_from_db()
    assert (stop.status, stop.visitors, stop.events) == (StopStatus.COMPLETED, 12_345, 6)
    entry = LedgerEntry.objects.get(source_type="exhibitions.stop", source_id=stop.pk)
    assert (entry.helper, entry.helped, entry.area, entry.visitors) == (
        world.helper_museum, world.helped_museum, "exhibition", 12_345)
    assert entry.pairing == pairing and entry.object_count == 3 and entry.date == day(-1)
    with pytest.raises(ValidationError):
        stop_complete(stop=stop, by=world.helper_admin, visitors=1, events=0)
    assert LedgerEntry.objects.filter(source_type="exhibitions.stop").count() == 1


def test_a_stop_without_a_pairing_is_recorded_without_one(world, exhibition):
    stop = past_stop(world, exhibition)
    stop_complete(stop=stop, by=world.helper_admin, visitors=10, events=0)
    assert LedgerEntry.objects.get(source_type="exhibitions.stop").pairing is None


def test_visitors_beyond_the_limit_are_refused_beside_the_field(world, exhibition):
    stop = past_stop(world, exhibition)
    with pytest.raises(ValidationError) as refused:
        stop_complete(stop=stop, by=world.helper_admin, visitors=999_999_999, events=0)
    assert "visitors" in refused.value.message_dict
    stop.refresh_from_db()
    assert stop.status == StopStatus.ACCEPTED and not LedgerEntry.objects.exists()


def test_a_withdrawn_exhibition_takes_no_requests_but_keeps_its_stops(world, exhibition):
    stop = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin, start=day(10),
                        end=day(50))
    touring_withdraw(exhibition=exhibition, by=world.helper_admin, reason="展品回馆")
    with pytest.raises(PermissionDenied):
        stop_request(exhibition=exhibition, venue=world.other_museum, by=world.outsider, start=day(100),
                     end=day(150))
    stop_accept(stop=stop, by=world.helper_admin)
    stop.refresh_from_db()
    assert stop.status == StopStatus.ACCEPTED
