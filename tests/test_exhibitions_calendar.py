"""The tour calendar: a stop must fall inside a free window, last the minimum run, and its held dates (set-up
before, dismantling and transit after) may not overlap another held stop's; the refusals name the other venue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.exhibitions.models import StopStatus, TouringExhibition, TourWindow
from bangfu.exhibitions.services import (
    held_dates,
    stop_accept,
    stop_decline,
    stop_request,
    stop_withdraw,
    window_add,
)

from .exhibitions_data import day, make_touring

pytestmark = pytest.mark.django_db


def request(world, exhibition, start, end, by=None):
    by = by or world.helped_admin
    return stop_request(exhibition=exhibition, venue=by.museum, by=by, start=day(start), end=day(end))


def test_a_stop_holds_its_dates_widened_by_set_up_and_transit(world):
    exhibition = make_touring(world, setup_days=5, transit_days=7)
    stop = request(world, exhibition, 10, 49)
    assert (stop.held_from, stop.held_until) == (day(5), day(56))
    assert stop.status == StopStatus.REQUESTED and stop.owner == world.helper_museum


def test_an_overlapping_request_is_refused_naming_the_other_venue_and_its_dates(world):
    exhibition = make_touring(world)
    request(world, exhibition, 10, 49)
    with pytest.raises(ValidationError) as refused:
        request(world, exhibition, 40, 80, by=world.outsider)
    message = refused.value.message_dict["start"][0]
    assert "安泽县博物馆" in message and "冲突" in message
    assert exhibition.stops.count() == 1


def test_a_request_inside_the_other_stops_transit_gap_is_refused(world):
    exhibition = make_touring(world, setup_days=5, transit_days=5)
    request(world, exhibition, 10, 49)  # held until day 54
    with pytest.raises(ValidationError, match="冲突"):
        request(world, exhibition, 55, 90, by=world.outsider)  # its own set-up starts on day 50


def test_a_request_after_the_set_up_and_transit_gaps_is_booked(world):
    exhibition = make_touring(world, setup_days=5, transit_days=5)
    request(world, exhibition, 10, 49)  # held until day 54
    stop = request(world, exhibition, 60, 90, by=world.outsider)  # held from day 55
    assert stop.held_from == day(55)


def test_a_declined_or_withdrawn_stop_frees_its_dates(world):
    exhibition = make_touring(world)
    first = request(world, exhibition, 10, 49)
    stop_decline(stop=first, by=world.helper_admin, reason="档期已内部安排")
    second = request(world, exhibition, 10, 49, by=world.outsider)
    stop_withdraw(stop=second, by=world.outsider, reason="场馆维修")
    assert request(world, exhibition, 10, 49).status == StopStatus.REQUESTED


def test_a_request_outside_every_free_window_is_refused(world):
    exhibition = make_touring(world, window=(0, 100))
    with pytest.raises(ValidationError) as refused:
        request(world, exhibition, 80, 130)
    assert "可预约档期" in refused.value.message_dict["start"][0]
    window_add(exhibition=exhibition, by=world.helper_admin, start=day(101), end=day(200))
    with pytest.raises(ValidationError, match="可预约档期"):  # across two windows is still outside each
        request(world, exhibition, 80, 130)
    assert request(world, exhibition, 110, 150).held_from == day(105)


def test_a_run_shorter_than_the_minimum_is_refused(world):
    exhibition = make_touring(world, min_days=30)
    with pytest.raises(ValidationError) as refused:
        request(world, exhibition, 10, 20)
    assert "最短展期 30 天" in refused.value.message_dict["end"][0]


def test_dates_in_the_wrong_order_or_in_the_past_are_refused(world):
    exhibition = make_touring(world)
    with pytest.raises(ValidationError, match="闭展日期不能早于开展日期"):
        request(world, exhibition, 50, 10)
    with pytest.raises(ValidationError, match="不能早于今天"):
        request(world, exhibition, -50, -10)


def test_the_owner_cannot_request_its_own_exhibition_nor_anyone_a_draft(world):
    exhibition = make_touring(world)
    with pytest.raises(PermissionDenied):
        request(world, exhibition, 10, 49, by=world.helper_staff)
    draft = make_touring(world, publish=False, title="山西古代壁画")
    with pytest.raises(PermissionDenied):
        request(world, draft, 10, 49)


def test_accepting_checks_the_calendar_again(world):
    exhibition = make_touring(world, window=(0, 100))
    stop = request(world, exhibition, 10, 49)
    exhibition.windows.all().delete()  # the owner took the window away meanwhile
    with pytest.raises(ValidationError, match="可预约档期"):
        stop_accept(stop=stop, by=world.helper_admin)
    stop.refresh_from_db()
    assert stop.status == StopStatus.REQUESTED


def test_a_free_window_reaching_the_end_of_the_calendar_is_refused_beside_the_field(world):
    exhibition = make_touring(world)
    with pytest.raises(ValidationError) as refused:
        window_add(exhibition=exhibition, by=world.helper_admin, start=datetime.date(9999, 1, 1),
                   end=datetime.date(9999, 12, 31))
    assert "请检查年份" in refused.value.message_dict["start"][0]
    with pytest.raises(ValidationError, match="请检查年份"):
        make_touring(world, window=(0, 20 * 366))
    assert exhibition.windows.count() == 1


def test_a_stop_ending_on_the_last_day_of_the_calendar_is_refused_not_a_crash(world):
    exhibition = make_touring(world, transit_days=30)
    TourWindow.objects.create(exhibition=exhibition, start=datetime.date(9999, 1, 1), end=datetime.date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin,
                     start=datetime.date(9999, 11, 1), end=datetime.date(9999, 12, 31))
    assert "请检查年份" in refused.value.message_dict["end"][0]
    assert exhibition.stops.count() == 0


def test_held_dates_off_either_end_of_the_calendar_are_a_validation_error():
    exhibition = TouringExhibition(setup_days=10, transit_days=10)
    with pytest.raises(ValidationError) as early:
        held_dates(exhibition, datetime.date(1, 1, 1), datetime.date(1, 3, 1))
    assert "start" in early.value.message_dict
    with pytest.raises(ValidationError) as late:
        held_dates(exhibition, datetime.date(9999, 11, 1), datetime.date(9999, 12, 31))
    assert "end" in late.value.message_dict


def test_a_free_window_in_the_past_or_overlapping_another_is_refused(world):
    exhibition = make_touring(world, window=(0, 100))
    with pytest.raises(ValidationError) as refused:
        window_add(exhibition=exhibition, by=world.helper_admin, start=day(-60), end=day(-1))
    assert "已经过去" in refused.value.message_dict["end"][0]
    with pytest.raises(ValidationError) as refused:
        window_add(exhibition=exhibition, by=world.helper_admin, start=day(50), end=day(150))
    assert "重叠" in refused.value.message_dict["start"][0]
    assert exhibition.windows.count() == 1
