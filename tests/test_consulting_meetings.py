"""Online consultations: booking (https links only, in the future), rescheduling, cancelling, the record after the
meeting, who hears of it, the reminder the day before."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.consulting.models import Meeting, MeetingStatus
from bangfu.consulting.reminders import collect
from bangfu.consulting.services import (
    answer_add,
    meeting_book,
    meeting_cancel,
    meeting_record,
    meeting_reschedule,
)
from bangfu.notifications.models import Notification

from .consulting_data import ask, experts, pair

pytestmark = pytest.mark.django_db
LINK = "https://meeting.tencent.com/dm/Ab12Cd34"


@pytest.fixture
def question(world):
    pair(world)
    experts(world)
    question = ask(world)
    answer_add(question=question, by=world.expert, body="建议先隔离。")
    return question


def _book(world, question, *, by=None, when=None, link=LINK, **kwargs):
    return meeting_book(question=question, by=by or world.helped_staff, link=link,
                        starts_at=when or timezone.now() + datetime.timedelta(days=2), **kwargs)


def test_the_asker_books_a_meeting_with_the_expert(world, question, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _book(world, question, participants=[world.expert], meeting_code="123 456 789")
    assert set(meeting.participants.values_list("username", flat=True)) == {"helped_staff", "expert"}
    assert Notification.objects.filter(user=world.expert, key=f"consulting-meeting-{meeting.pk}").exists()


def test_an_expert_may_book_too(world, question):
    assert _book(world, question, by=world.expert).booked_by == world.expert


def test_an_outsider_cannot_book(world, question):
    with pytest.raises(PermissionDenied):
        _book(world, question, by=world.outsider)


@pytest.mark.parametrize("link", ["http://meeting.tencent.com/dm/x", "javascript:alert(1)", "ftp://x.cn/a",
                                  "https://", "meeting.tencent.com/dm/x", "https://a.cn/ b"])
def test_only_https_links_are_accepted(world, question, link):
    with pytest.raises(ValidationError) as error:
        _book(world, question, link=link)
    assert "link" in error.value.message_dict


def test_a_time_in_the_past_is_refused(world, question):
    with pytest.raises(ValidationError) as error:
        _book(world, question, when=timezone.now() - datetime.timedelta(minutes=5))
    assert "starts_at" in error.value.message_dict


@pytest.mark.parametrize("minutes", [0, 5, 481, 10**12])
def test_the_duration_is_checked(world, question, minutes):
    with pytest.raises(ValidationError):
        _book(world, question, duration_minutes=minutes)


def test_an_outsider_cannot_be_made_a_participant(world, question):
    with pytest.raises(ValidationError) as error:
        _book(world, question, participants=[world.outsider])
    assert "participants" in error.value.message_dict


def test_the_record_waits_for_the_meeting_to_start(world, question):
    meeting = _book(world, question)
    with pytest.raises(ValidationError):
        meeting_record(meeting=meeting, by=world.helped_staff, minutes="讨论了隔离方案")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    meeting.refresh_from_db()
    meeting_record(meeting=meeting, by=world.helped_staff, minutes="讨论了隔离方案", conclusions="下周送样检测")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.conclusions == "下周送样检测"


def test_reschedule_and_cancel(world, question, django_capture_on_commit_callbacks):
    meeting = _book(world, question, participants=[world.expert])
    later = timezone.now() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(meeting=meeting, by=world.expert, starts_at=later, duration_minutes=90)
    meeting.refresh_from_db()
    assert meeting.duration_minutes == 90
    assert Notification.objects.filter(user=world.helped_staff, key__contains=f"consulting-meeting-{meeting.pk}-moved")
    with pytest.raises(ValidationError):
        meeting_reschedule(meeting=meeting, by=world.expert, starts_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meeting, by=world.outsider, reason="x")
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=meeting, by=world.expert, reason="")
    meeting_cancel(meeting=meeting, by=world.expert, reason="专家出差")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_a_meeting_tomorrow_is_reminded_to_each_participant_once(world, question):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    when = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10, 0)))
    meeting = _book(world, question, when=when, participants=[world.expert])
    _book(world, question, when=when + datetime.timedelta(days=3))
    reminders = collect(timezone.localdate(), 7)
    assert {(r.user.username, r.url) for r in reminders} == {
        ("helped_staff", reverse("consulting:meeting", args=[meeting.pk])),
        ("expert", reverse("consulting:meeting", args=[meeting.pk]))}


def test_the_booking_page_refuses_http_beside_the_field(world, question, login):
    client = login(world.helped_staff)
    url = reverse("consulting:meeting_book", args=[question.pk])
    assert client.get(url).status_code == 200
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"starts_at": when, "duration_minutes": "60", "link": "http://x.cn/a"})
    assert response.status_code == 400 and "https://" in response.content.decode()
    response = client.post(url, {"starts_at": "99999-01-01T10:00", "duration_minutes": "60", "link": LINK})
    assert response.status_code == 400
    response = client.post(url, {"starts_at": when, "duration_minutes": "60", "link": LINK,
                                 "participants": [world.expert.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert LINK in page and "已预约" in page


def test_the_meeting_page_records_after_the_meeting(world, question, login):
    meeting = _book(world, question, participants=[world.expert])
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    client = login(world.expert)
    assert "记录会议" in client.get(reverse("consulting:meeting", args=[meeting.pk])).content.decode()
    response = client.post(reverse("consulting:meeting_record", args=[meeting.pk]),
                           {"minutes": "确定隔离<b>方案</b>", "conclusions": ""})
    assert response.status_code == 302
    page = client.get(reverse("consulting:meeting", args=[meeting.pk])).content.decode()
    assert "确定隔离&lt;b&gt;方案&lt;/b&gt;" in page
