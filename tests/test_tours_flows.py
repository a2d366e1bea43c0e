"""Lecture tours: the association forms a team and plans the route; a stop marked done writes one ledger entry
(lead museum → stop museum, people trained = attendance, 1 day) and the 学时 of the staff present; the rules of
the team, the period and the stop's museum; status moves; reminders a week ahead."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.experts.services import expert_create
from bangfu.learning.models import HoursEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.tours import reminders
from bangfu.tours.models import StopStatus, TourStatus
from bangfu.tours.services import stop_add, stop_cancel, stop_record, tour_create, tour_move, tour_update

from .factories import make_museum, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def team(world):
    first = expert_create(by=world.admin, name="孙文博", organisation="山西博物院", user=world.expert)
    second = expert_create(by=world.admin, name="韩志远", organisation="大同市博物馆")
    return first, second


@pytest.fixture
def tour(world, team):
    return tour_create(by=world.admin, title="县域博物馆文物保护巡讲", lead_museum=world.helper_museum,
                       start=days(-30), end=days(60), experts=team, leader=team[0])


def test_only_the_association_forms_a_tour(world, team):
    with pytest.raises(PermissionDenied):
        tour_create(by=world.helper_admin, title="巡讲", lead_museum=world.helper_museum, start=days(0),
                    end=days(10), experts=team)


def test_the_leader_must_be_on_the_team_and_the_period_must_run_forwards(world, team):
    outsider_expert = expert_create(by=world.admin, name="高建国", organisation="运城博物馆")
    with pytest.raises(ValidationError) as refused:
        tour_create(by=world.admin, title="巡讲", lead_museum=world.helper_museum, start=days(10), end=days(0),
                    experts=team, leader=outsider_expert)
    assert set(refused.value.message_dict) == {"leader", "end"}


def test_a_stop_is_taught_by_the_team_at_another_museum_within_the_period(world, tour, team):
    stranger = expert_create(by=world.admin, name="高建国", organisation="运城博物馆")
    with pytest.raises(ValidationError) as refused:
        stop_add(tour=tour, by=world.admin, museum=world.helper_museum, date=days(90), topic="讲题",
                 teachers=[stranger])
    assert set(refused.value.message_dict) == {"museum", "date", "teachers"}


def test_marking_a_stop_done_writes_one_ledger_entry_and_the_hours_of_staff_present(world, tour, team):
    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(-2), topic="库房温湿度控制",
                    teachers=[team[0]], expected=30, hours=Decimal("3"))
    stop_record(stop=stop, by=world.admin, attendance=26, attendees=[world.helped_staff, world.helped_admin],
                notes="现场答疑")
    entry = LedgerEntry.objects.get(source_type="tours.stop", source_id=stop.pk)
    assert (entry.helper, entry.helped, entry.area, entry.people_trained, entry.days, entry.date) == (
        world.helper_museum, world.helped_museum, "people", 26, 1, days(-2))
    hours = HoursEntry.objects.filter(source_type="tours.stop", source_id=stop.pk)
    assert {(h.person, h.hours) for h in hours} == {(world.helped_staff, Decimal("3.0")),
                                                    (world.helped_admin, Decimal("3.0"))}
    stop.refresh_from_db()
    tour.refresh_from_db()
    assert stop.status == StopStatus.DONE and tour.status == TourStatus.UNDERWAY
    with pytest.raises(ValidationError):
        stop_record(stop=stop, by=world.admin, attendance=30)
    assert LedgerEntry.objects.filter(source_type="tours.stop", source_id=stop.pk).count() == 1


def test_the_stop_museums_admin_records_it_and_nobody_else_of_a_museum(world, tour, team):
    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(-1), topic="讲解技巧",
                    teachers=[team[1]])
    for user in (world.helped_staff, world.outsider_admin, world.helper_admin, world.expert):
        with pytest.raises(PermissionDenied):
            stop_record(stop=stop, by=user, attendance=10)
    stop_record(stop=stop, by=world.helped_admin, attendance=10)
    assert LedgerEntry.objects.get(source_type="tours.stop", source_id=stop.pk).recorded_by == world.helped_admin


def test_a_stop_to_come_cannot_be_done_and_attendees_must_work_there(world, tour, team):
    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(3), topic="讲题",
                    teachers=[team[0]])
    with pytest.raises(ValidationError) as refused:
        stop_record(stop=stop, by=world.admin, attendance=5, attendees=[world.outsider])
    assert set(refused.value.message_dict) == {"attendance", "attendees"}
    stop_record(stop=stop, by=world.admin, attendance=5, done=False)  # attendance kept, not done yet
    stop.refresh_from_db()
    assert stop.attendance == 5 and stop.status == StopStatus.PLANNED
    assert not LedgerEntry.objects.filter(source_type="tours.stop").exists()


@pytest.mark.parametrize("attendance", [0, -1, 10**12])
def test_attendance_out_of_range_is_refused(world, tour, team, attendance):
    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(-1), topic="讲题",
                    teachers=[team[0]])
    with pytest.raises(ValidationError) as refused:
        stop_record(stop=stop, by=world.admin, attendance=attendance)
    assert "attendance" in refused.value.message_dict


def test_finishing_waits_for_the_stops_and_cancelling_cancels_them(world, tour, team):
    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(5), topic="讲题",
                    teachers=[team[0]])
    tour_move(tour=tour, by=world.admin, to=TourStatus.UNDERWAY)
    with pytest.raises(ValidationError):
        tour_move(tour=tour, by=world.admin, to=TourStatus.FINISHED)
    with pytest.raises(ValidationError):
        tour_move(tour=tour, by=world.admin, to=TourStatus.CANCELLED)  # a reason is required
    tour_move(tour=tour, by=world.admin, to=TourStatus.CANCELLED, reason="经费调整")
    stop.refresh_from_db()
    assert stop.status == StopStatus.CANCELLED


def test_the_team_keeps_an_expert_who_still_teaches(world, tour, team):
    stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(5), topic="讲题", teachers=[team[1]])
    with pytest.raises(ValidationError) as refused:
        tour_update(tour=tour, by=world.admin, title=tour.title, lead_museum=tour.lead_museum, start=tour.start,
                    end=tour.end, experts=[team[0]], leader=team[0])
    assert "韩志远" in refused.value.message_dict["experts"][0]


def test_a_cancelled_stop_needs_a_reason_and_writes_nothing(world, tour, team):
    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(5), topic="讲题",
                    teachers=[team[0]])
    with pytest.raises(ValidationError):
        stop_cancel(stop=stop, by=world.admin, reason=" ")
    stop_cancel(stop=stop, by=world.admin, reason="场馆维修")
    stop.refresh_from_db()
    assert stop.status == StopStatus.CANCELLED


def test_a_stop_a_week_ahead_reminds_the_museums_admin_and_the_teachers(world, tour, team):
    soon = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(6), topic="讲题",
                    teachers=list(team))
    stop_add(tour=tour, by=world.admin, museum=make_museum("左权县博物馆", county="140722"), date=days(20),
             topic="以后", teachers=[team[0]])
    due = reminders.collect(TODAY, 7)
    assert {(r.user, r.key) for r in due} == {(world.helped_admin, f"tours-stop-soon-{soon.pk}"),
                                              (world.expert, f"tours-stop-soon-{soon.pk}")}


def test_the_stop_museum_may_add_photos_and_an_unrelated_museum_may_not(world, tour, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.tours.services import stop_photo_add

    from .access_tours import PNG

    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(-1), topic="讲题",
                    teachers=[team[0]])
    stop_photo_add(stop=stop, by=world.helped_staff, file=SimpleUploadedFile("a.png", PNG), caption="合影")
    stop_photo_add(stop=stop, by=world.expert, file=SimpleUploadedFile("b.png", PNG))  # a teacher
    with pytest.raises(PermissionDenied):
        stop_photo_add(stop=stop, by=make_user("museum_staff", museum=world.other_museum),
                       file=SimpleUploadedFile("c.png", PNG))


def test_the_stop_museums_admin_confirms_or_asks_to_move_and_a_new_date_needs_confirming_again(world, tour, team):
    from bangfu.notifications.models import Notification
    from bangfu.tours.services import stop_ask_to_move, stop_confirm, stop_update

    stop = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=days(10), topic="讲题",
                    teachers=[team[0]])
    for user in (world.helped_staff, world.helper_admin, world.outsider_admin):
        with pytest.raises(PermissionDenied):
            stop_confirm(stop=stop, by=user)
    assert stop_confirm(stop=stop, by=world.helped_admin).confirmed_at is not None
    with pytest.raises(ValidationError):
        stop_ask_to_move(stop=stop, by=world.helped_admin, note=" ")
    with django_capture_on_commit():
        stop = stop_ask_to_move(stop=stop, by=world.helped_admin, note="当天闭馆布展，希望推迟一周")
    assert stop.confirmed_at is None
    assert Notification.objects.filter(user=world.admin, body__contains="推迟一周").exists()
    stop = stop_confirm(stop=stop, by=world.helped_admin)
    stop = stop_update(stop=stop, by=world.admin, museum=world.helped_museum, date=days(17), topic="讲题",
                       teachers=[team[0]])
    assert stop.confirmed_at is None


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
