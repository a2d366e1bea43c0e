"""Training classes: quotas and the waiting list, withdrawal moving the first eligible person up, sign-in windows
and refusals, completion by attendance and assessment, 学时 and certificates written once, one ledger entry per
sending museum, feedback, the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.learning.models import Certificate, HoursEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.notifications.models import Notification
from bangfu.training import services
from bangfu.training.models import ClassStatus

from .factories import make_user
from .training_helpers import at, make_class, staff

pytestmark = pytest.mark.django_db


def states(rows):
    return [n.state for n in rows]


def test_nominations_are_accepted_within_the_quotas_and_wait_beyond_them(world):
    klass = make_class(world, places=3, per_museum=2)
    helped = [world.helped_staff, *staff(world.helped_museum, 2, "az")]
    rows = services.nominate(klass=klass, by=world.helped_admin, people=helped)
    assert states(rows) == ["accepted", "accepted", "waiting"]
    other = services.nominate(klass=klass, by=world.outsider_admin, people=[world.outsider,
                                                                            *staff(world.other_museum, 1, "tz")])
    assert states(other) == ["accepted", "waiting"]  # the class is full after one more


def test_nominating_again_changes_nothing(world):
    klass = make_class(world, places=1)
    first = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    again = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    assert [n.pk for n in first] == [n.pk for n in again] and states(again) == ["accepted"]


def test_an_admin_cannot_nominate_another_museums_staff(world):
    klass = make_class(world)
    with pytest.raises(ValidationError) as error:
        services.nominate(klass=klass, by=world.helped_admin, people=[world.outsider])
    assert "outsider" in str(error.value) or "测试" in str(error.value)


def test_staff_cannot_nominate(world):
    klass = make_class(world)
    with pytest.raises(PermissionDenied):
        services.nominate(klass=klass, by=world.helped_staff, people=[world.helped_staff])


def test_a_draft_or_closed_class_takes_no_nominations(world):
    klass = make_class(world, publish=False)
    with pytest.raises(PermissionDenied):
        services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])


def test_a_class_for_chosen_cities_refuses_other_museums(world):
    from .factories import division

    klass = make_class(world, eligibility="cities", cities=[division("140200")])
    assert services.eligibility_error(klass, world.helped_museum)
    with pytest.raises(PermissionDenied):
        services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])


def test_a_withdrawal_moves_the_first_eligible_waiting_person_up_and_tells_them(world):
    klass = make_class(world, places=2, per_museum=1)
    a, b = staff(world.helped_museum, 2, "az")
    [first] = services.nominate(klass=klass, by=world.helped_admin, people=[a])
    [second] = services.nominate(klass=klass, by=world.helped_admin, people=[b])          # museum quota: waits
    [third] = services.nominate(klass=klass, by=world.outsider_admin, people=[world.outsider])  # accepted
    assert (second.state, third.state) == ("waiting", "accepted")
    services.nomination_withdraw(nomination=third, by=world.outsider)
    second.refresh_from_db()
    assert second.state == "waiting"  # its museum still has its one place taken
    services.nomination_withdraw(nomination=first, by=world.helped_admin)
    second.refresh_from_db()
    assert second.state == "accepted"
    assert Notification.objects.filter(user=b, title__contains="由候补转为录取").exists()


def test_the_organiser_rejects_and_accepts_by_hand(world):
    klass = make_class(world, places=1)
    a, b = staff(world.helped_museum, 2, "az")
    first, second = services.nominate(klass=klass, by=world.helped_admin, people=[a, b])
    with pytest.raises(ValidationError):
        services.nomination_accept(nomination=second, by=world.admin)  # full
    services.nomination_reject(nomination=first, by=world.admin, reason="岗位不符")
    second.refresh_from_db()
    assert second.state == "accepted"
    with pytest.raises(PermissionDenied):
        services.nomination_reject(nomination=second, by=world.helped_admin)


def _session(klass, n=0):
    return klass.sessions.order_by("start")[n]


def test_sign_in_works_only_inside_the_window(world):
    klass = make_class(world)
    services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    session = _session(klass)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        services.checkin(code=session.code, by=world.helped_staff, now=session.start - datetime.timedelta(minutes=31))
    _, created = services.checkin(code=session.code, by=world.helped_staff,
                                  now=session.start - datetime.timedelta(minutes=30))
    assert created
    _, again = services.checkin(code=session.code, by=world.helped_staff, now=session.end)
    assert again is False  # already signed in: fine
    later = _session(klass, 1)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        services.checkin(code=later.code, by=world.helped_staff, now=later.end + datetime.timedelta(seconds=1))


def test_the_window_is_set_per_class(world):
    klass = make_class(world, window_before=5)
    services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    session = _session(klass)
    with pytest.raises(ValidationError):
        services.checkin(code=session.code, by=world.helped_staff, now=session.start - datetime.timedelta(minutes=6))


def test_sign_in_refuses_a_wrong_code_and_a_non_participant(world):
    klass = make_class(world)
    services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    session = _session(klass)
    wrong = "000000" if session.code != "000000" else "111111"
    with pytest.raises(ValidationError, match="签到码不正确"):
        services.checkin(code=wrong, by=world.helped_staff, now=session.start)
    with pytest.raises(ValidationError, match="签到码不正确"):
        services.checkin(code="１２３４５６", by=world.helped_staff, now=session.start)
    with pytest.raises(ValidationError, match="不是培训班"):
        services.checkin(code=session.code, by=world.outsider, now=session.start)


def _ended_class(world, **extra):
    start = timezone.localdate() - datetime.timedelta(days=10)
    return make_class(world, start=start, days=2, sessions=2, hours=4, places=5, **extra)


def test_completion_needs_the_attendance_threshold_and_writes_hours_certificates_and_ledger_once(world):
    klass = _ended_class(world)
    a = world.helped_staff
    b = make_user("museum_staff", museum=world.helped_museum, username="az_b")
    [na, nb] = services.nominate(klass=klass, by=world.helped_admin, people=[a, b])
    [nc] = services.nominate(klass=klass, by=world.outsider_admin, people=[world.outsider])
    [nh] = services.nominate(klass=klass, by=world.helper_admin, people=[world.helper_staff])
    s1, s2 = _session(klass), _session(klass, 1)
    for nomination in (na, nc, nh):
        services.attendance_mark(session=s1, nomination=nomination, by=world.admin, present=True)
        services.attendance_mark(session=s2, nomination=nomination, by=world.admin, present=True)
    services.attendance_mark(session=s1, nomination=nb, by=world.admin, present=True)  # 50 % < 80 %
    completers = services.class_complete(klass=klass, by=world.admin)
    assert {n.person_id for n in completers} == {a.pk, world.outsider.pk, world.helper_staff.pk}
    assert HoursEntry.objects.get(person=a, source_type="training.class").hours == Decimal("8.0")
    assert not HoursEntry.objects.filter(person=b).exists()
    certificate = Certificate.objects.get(person=a, source_type="training.class", source_id=klass.pk)
    assert certificate.hours == Decimal("8.0") and certificate.title == klass.title
    entries = LedgerEntry.objects.filter(source_type="training.class")
    assert {(e.helper_id, e.helped_id, e.people_trained) for e in entries} == {
        (world.helper_museum.pk, world.helped_museum.pk, 1), (world.helper_museum.pk, world.other_museum.pk, 1)}
    assert all(e.days == 2 and e.area == "people" for e in entries)  # the host's own staff write no entry
    with pytest.raises(ValidationError):
        services.class_complete(klass=klass, by=world.admin)  # once
    assert Certificate.objects.filter(person=a).count() == 1


def test_an_assessment_must_be_passed(world):
    klass = _ended_class(world, has_assessment=True, pass_mark=Decimal("60"))
    b = make_user("museum_staff", museum=world.helped_museum, username="az_b")
    na, nb = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff, b])
    for session in klass.sessions.all():
        for n in (na, nb):
            services.attendance_mark(session=session, nomination=n, by=world.admin, present=True)
    services.assessment_record(klass=klass, by=world.admin, scores={na.pk: Decimal("75"), nb.pk: Decimal("59.5")})
    completers = services.class_complete(klass=klass, by=world.admin)
    assert [n.pk for n in completers] == [na.pk]


def test_a_class_that_has_not_ended_cannot_complete(world):
    klass = make_class(world)
    with pytest.raises(ValidationError, match="结束后"):
        services.class_complete(klass=klass, by=world.admin)


def test_feedback_once_by_participants_after_completion(world):
    klass = _ended_class(world)
    [n] = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    with pytest.raises(ValidationError):
        services.feedback_give(klass=klass, by=world.helped_staff, content=5, teachers=5, organisation=4)
    services.class_complete(klass=klass, by=world.admin)
    klass.refresh_from_db()
    services.feedback_give(klass=klass, by=world.helped_staff, content=5, teachers=4, organisation=4, comment="好")
    with pytest.raises(ValidationError):
        services.feedback_give(klass=klass, by=world.helped_staff, content=5, teachers=4, organisation=4)
    with pytest.raises(PermissionDenied):
        services.feedback_give(klass=klass, by=world.outsider, content=5, teachers=4, organisation=4)


def test_an_association_class_may_name_its_host_later_but_before_completion(world):
    """The API's contract (issue 11) creates an association's class from title, area, dates, hours and places
    only: the host — the helper side of the ledger entries — is named on the page before the class completes."""
    start = timezone.localdate() - datetime.timedelta(days=10)
    klass = services.class_create(by=world.admin, title="班", area="other", start=start,
                                  end=start + datetime.timedelta(days=1), places=3, place="太原")
    assert klass.host is None
    services.session_add(klass=klass, by=world.admin, title="第1讲", start=at(start, 9), end=at(start, 12), hours=4)
    services.class_publish(klass=klass, by=world.admin)
    [nomination] = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    services.attendance_mark(session=_session(klass), nomination=nomination, by=world.admin, present=True)
    with pytest.raises(ValidationError, match="承办馆"):
        services.class_complete(klass=klass, by=world.admin)
    assert not LedgerEntry.objects.exists()
    services.class_update(klass=klass, by=world.admin, host=world.helper_museum)
    services.class_complete(klass=klass, by=world.admin)
    entry = LedgerEntry.objects.get(source_type="training.class")
    assert (entry.helper_id, entry.helped_id, entry.people_trained) == (world.helper_museum.pk,
                                                                       world.helped_museum.pk, 1)


# --- pages ----------------------------------------------------------------------------------------------------


def test_the_pages_render_with_data(world, login):
    klass = _ended_class(world)
    [n] = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    for session in klass.sessions.all():
        services.attendance_mark(session=session, nomination=n, by=world.admin, present=True)
    client = login(world.admin)
    page = client.get(reverse("training:manage", args=[klass.pk]))
    assert page.status_code == 200 and "出勤（学员 × 课程）" in page.content.decode()
    session = _session(klass)
    page = client.get(reverse("training:session", args=[session.pk]))
    assert session.code in page.content.decode()
    qr = client.get(reverse("training:session_qr", args=[session.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    client.post(reverse("training:complete", args=[klass.pk]), {"date": timezone.localdate().isoformat()})
    klass.refresh_from_db()
    assert klass.status == ClassStatus.COMPLETED
    client = login(world.helped_staff)
    mine = client.get(reverse("training:mine")).content.decode()
    assert klass.title in mine and "SXMA-" in mine
    assert "培训评价" in client.get(reverse("training:class", args=[klass.pk])).content.decode()


def test_an_admin_nominates_on_the_class_page(world, login):
    klass = make_class(world, places=1)
    b = make_user("museum_staff", museum=world.helped_museum, username="az_b")
    client = login(world.helped_admin)
    page = client.get(reverse("training:class", args=[klass.pk]))
    assert "推荐本馆人员" in page.content.decode()
    client.post(reverse("training:nominate", args=[klass.pk]), {"people": [world.helped_staff.pk, b.pk]})
    assert sorted(klass.nominations.values_list("state", flat=True)) == ["accepted", "waiting"]
    refused = client.post(reverse("training:nominate", args=[klass.pk]), {"people": [world.outsider.pk]})
    assert refused.status_code == 400


def test_sign_in_pages_on_the_phone(world, login):
    start = timezone.localdate()
    klass = make_class(world, start=start)
    services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    session = klass.sessions.order_by("start").first()
    session.start = timezone.now() - datetime.timedelta(minutes=5)
    session.end = timezone.now() + datetime.timedelta(hours=1)
    session.save()
    client = login(world.helped_staff)
    page = client.get(reverse("training:checkin", args=[session.code]))
    assert session.title in page.content.decode()
    done = client.post(reverse("training:checkin_entry"), {"code": session.code})
    assert "签到成功" in done.content.decode()
    bad = client.post(reverse("training:checkin_entry"), {"code": "12ab56"})
    assert bad.status_code == 400
    outsider = login(world.outsider).post(reverse("training:checkin", args=[session.code]))
    assert outsider.status_code == 400 and "不是培训班" in outsider.content.decode()


def test_list_and_manage_pages_do_not_grow_queries_with_rows(world, login):
    klass = _ended_class(world)
    client = login(world.admin)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    manage, listing = reverse("training:manage", args=[klass.pk]), reverse("training:classes") + "?show=all"
    before = (count(manage), count(listing))
    for i in range(3):
        people = staff(world.helped_museum, 1, f"q{i}_")
        make_class(world, start=timezone.localdate() - datetime.timedelta(days=10), days=2)
        from bangfu.training.services import nominate

        [n] = nominate(klass=klass, by=world.helped_admin, people=people)
        for session in klass.sessions.all():
            services.attendance_mark(session=session, nomination=n, by=world.admin, present=True)
    assert (count(manage), count(listing)) == before


def test_a_big_museum_organises_and_hosts_its_own_class_and_completes_it(world):
    start = timezone.localdate() - datetime.timedelta(days=5)
    klass = services.class_create(by=world.helper_admin, title="陈列设计培训班", area="display", start=start,
                                  end=start, places=4, place="山西博物院", publish=True)
    assert (klass.organiser_museum, klass.host) == (world.helper_museum, world.helper_museum)
    from .training_helpers import at

    session = services.session_add(klass=klass, by=world.helper_admin, title="展陈大纲", start=at(start, 9),
                                   end=at(start, 12), hours=3)
    [n] = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    services.attendance_mark(session=session, nomination=n, by=world.helper_admin, present=True)
    with pytest.raises(PermissionDenied):
        services.class_complete(klass=klass, by=world.outsider_admin)
    services.class_complete(klass=klass, by=world.helper_admin)
    entry = LedgerEntry.objects.get(source_type="training.class")
    assert (entry.helper_id, entry.helped_id, entry.recorded_side) == (world.helper_museum.pk,
                                                                       world.helped_museum.pk, "helper")
    assert entry.confirmation == "confirmed"


def test_staff_and_helped_museums_cannot_create_classes(world):
    for user in (world.helped_staff, world.helped_admin):
        with pytest.raises(PermissionDenied):
            services.class_create(by=user, title="班", area="other", start=timezone.localdate(),
                                  end=timezone.localdate(), places=3, place="太原")


def test_a_class_for_helped_museums_takes_only_museums_in_a_pairing(world):
    from bangfu.pairings.services import pairing_create

    klass = make_class(world, eligibility="helped")
    assert services.eligibility_error(klass, world.helped_museum)
    today = timezone.localdate()
    pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                   start_date=today, end_date=today + datetime.timedelta(days=365))
    assert services.eligibility_error(klass, world.helped_museum) == ""
    assert services.eligibility_error(klass, world.other_museum)


def test_reminders_for_the_deadline_and_tomorrows_session(world):
    from bangfu.training.reminders import collect

    today = timezone.localdate()
    klass = make_class(world, start=today + datetime.timedelta(days=1), deadline=today + datetime.timedelta(days=1))
    services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    reminders = collect(today, 3)
    keys = {(r.user.username, r.key.rsplit("-", 1)[0]) for r in reminders}
    assert ("helped_admin", "training-deadline") in keys and ("helped_staff", "training-session") in keys


def test_the_organiser_edits_a_session_and_its_code_stays(world, login):
    klass = make_class(world)
    session = klass.sessions.order_by("start").first()
    client = login(world.admin)
    url = reverse("training:session_edit", args=[session.pk])
    assert client.get(url).status_code == 200
    start = timezone.localtime(session.start)
    data = {"title": "藏品定级", "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "hours": "2"}
    assert client.post(url, data).status_code == 302
    edited = klass.sessions.get(pk=session.pk)
    assert (edited.title, edited.hours, edited.code) == ("藏品定级", Decimal("2.0"), session.code)
    bad = client.post(url, data | {"start": (start + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")})
    assert bad.status_code == 400 and "课程日期须在培训班日期内" in bad.content.decode()
    assert login(world.helped_admin).get(url).status_code == 403


@pytest.mark.parametrize("typed", ["NaN", "abc", "1e999999", "101", "-1", "Infinity"])
def test_a_bad_score_is_refused_in_chinese(world, login, typed):
    klass = make_class(world, has_assessment=True, pass_mark=Decimal("60"))
    [n] = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    response = login(world.admin).post(reverse("training:assessment", args=[klass.pk]), {f"score-{n.pk}": typed},
                                       follow=True)
    assert response.status_code == 200 and "成绩须为 0–100 的数字" in response.content.decode()
    n.refresh_from_db()
    assert n.score is None


def test_the_attendance_grid_marks_through_its_cells(world, login):
    """The grid's cells are written in Python (views.GRID_CELL): each is a form posting to its session's mark
    address with the CSRF token, and posting it marks the person present."""
    klass = _ended_class(world)
    [n] = services.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    session = _session(klass)
    client = login(world.admin)
    page = client.get(reverse("training:manage", args=[klass.pk])).content.decode()
    mark = reverse("training:attendance_mark", args=[session.pk])
    assert f'<form method="post" action="{mark}"><input type="hidden" name="csrfmiddlewaretoken"' in page
    assert f'name="nomination" value="{n.pk}"' in page and "未到" in page
    client.post(mark, {"nomination": n.pk, "present": "1"})
    assert session.attendance.filter(nomination=n).exists()
    assert "已到" in client.get(reverse("training:manage", args=[klass.pk])).content.decode()
