"""Review of issue 11's people modules: defects found in review, each with the test that shows it fixed."""

import pytest

from bangfu.training import services as training
from bangfu.training.models import NominationState

from .training_helpers import make_class, staff

pytestmark = pytest.mark.django_db


def test_more_places_on_a_class_move_its_waiting_list_up(world):
    klass = make_class(world, places=2, per_museum=1)
    a, b, c = staff(world.helped_museum, 3, "rv")
    rows = training.nominate(klass=klass, by=world.helped_admin, people=[a, b, c])
    assert [n.state for n in rows] == ["accepted", "waiting", "waiting"]
    training.class_update(klass=klass, by=world.admin, places_per_museum=2)  # the museum's quota grows by one
    states = dict(klass.nominations.values_list("person_id", "state"))
    assert states == {a.pk: NominationState.ACCEPTED, b.pk: NominationState.ACCEPTED,
                      c.pk: NominationState.WAITING}  # in the order of nomination, within the total of 2
    training.class_update(klass=klass, by=world.admin, places=3, places_per_museum=0)
    assert not klass.nominations.filter(state=NominationState.WAITING).exists()


def test_learning_services_check_their_permission_through_the_rules(world):
    """Revoking a certificate and setting the target go through `require` with the rules the pages use (not a
    copy of the check), and the audit trail says what happened in Chinese like every other module."""
    import datetime

    from django.core.exceptions import PermissionDenied

    from bangfu.core.models import AuditEntry
    from bangfu.learning import services as learning

    certificate = learning.certificate_issue(by=world.admin, person=world.helped_staff, kind="class",
                                             source_type="review.test", source_id=1, title="测试班",
                                             issued_on=datetime.date(2026, 5, 1), hours=4)
    for user in (world.helped_admin, world.helped_staff, world.province_supervisor):
        with pytest.raises(PermissionDenied):
            learning.certificate_revoke(by=user, certificate=certificate, reason="误发")
        with pytest.raises(PermissionDenied):
            learning.target_set(by=user, year=2026, hours=60)
    learning.certificate_revoke(by=world.admin, certificate=certificate, reason="误发")
    learning.target_set(by=world.admin, year=2026, hours=60)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"签发证书", "撤销证书", "设置继续教育学时目标"} <= actions


def test_calendar_months_are_counted_once_in_the_kernel():
    """Loans (36-month terms) and placements (the 3–6 month rule) count months with the one kernel function."""
    import datetime

    from bangfu.core import dates
    from bangfu.loans import services as loans
    from bangfu.placements import models as placements

    assert loans.add_months is dates.add_months and not hasattr(placements, "months_later")
    assert dates.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert dates.add_months(datetime.date(2028, 3, 31), -1) == datetime.date(2028, 2, 29)
    assert dates.add_months(datetime.date(9999, 6, 1), 12) == datetime.date.max
    assert dates.add_months(datetime.date(1, 3, 1), -3) == datetime.date.min


def test_a_consultation_meetings_link_and_number_are_shown_only_to_its_people(world, login):
    """Every signed-in user reads the Q&A and sees that a meeting was booked, but the meeting link and number (the
    way into a museum's video call) are shown to its participants, the asking museum and the association only."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from bangfu.consulting.services import answer_add, meeting_book

    from .consulting_data import ask, experts, pair

    pair(world)
    experts(world)
    question = ask(world)
    answer_add(question=question, by=world.expert, body="建议先隔离。")
    meeting = meeting_book(question=question, by=world.helped_staff, link="https://meeting.tencent.com/dm/Zz99Yy88",
                           starts_at=timezone.now() + datetime.timedelta(days=2), participants=[world.expert],
                           meeting_code="987 654 321")
    url = reverse("consulting:meeting", args=[meeting.pk])
    for user in (world.helped_staff, world.helped_admin, world.expert, world.admin):
        page = login(user).get(url).content.decode()
        assert "Zz99Yy88" in page and "987 654 321" in page, user.username
    for user in (world.outsider, world.outsider_admin, world.educator, world.province_supervisor):
        response = login(user).get(url)
        page = response.content.decode()
        assert response.status_code == 200 and "Zz99Yy88" not in page and "987 654 321" not in page, user.username
        assert "仅参加人和提问馆可见" in page


def test_qr_codes_are_drawn_by_one_kernel_helper(world, login):
    """The certificate's QR code (PDF) and a session's sign-in QR code (SVG) come from bangfu.core.qr; no module
    draws its own."""
    import pathlib

    from django.urls import reverse

    from bangfu.core.qr import qr_svg

    modules = pathlib.Path(__file__).resolve().parent.parent / "bangfu"
    drawing_qr = {p.relative_to(modules).as_posix() for p in modules.rglob("*.py") if "QrCodeWidget" in p.read_text()}
    assert drawing_qr == {"core/qr.py"}
    klass = make_class(world)
    session = klass.sessions.order_by("pk").first()
    response = login(world.admin).get(reverse("training:session_qr", args=[session.pk]))
    checkin = "http://testserver" + reverse("training:checkin", args=[session.code])
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == qr_svg(checkin, size=240)
    assert response.content.decode().lstrip().startswith("<?xml") and "<svg" in response.content.decode()


def test_a_museum_admin_cannot_undo_the_organisers_rejection_by_nominating_again(world, login):
    """Rejection is the organiser's decision: nominating the person again (page or API) is refused, naming them,
    and the page no longer offers them; the organiser may still admit them by hand."""
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    klass = make_class(world, places=3)
    [nomination] = training.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    training.nomination_reject(nomination=nomination, by=world.admin, reason="岗位不符")
    with pytest.raises(ValidationError) as error:
        training.nominate(klass=klass, by=world.helped_admin, people=[world.helped_staff])
    assert "不予录取" in str(error.value) and str(world.helped_staff.pk) in str(error.value)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.REJECTED
    page = login(world.helped_admin).get(reverse("training:class", args=[klass.pk]))
    assert world.helped_staff.pk not in [p.pk for p in page.context["nominate_form"].fields["people"].queryset]
    training.nomination_accept(nomination=nomination, by=world.admin)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ACCEPTED


@pytest.mark.parametrize("huge", [2**63, 2**70, 10**30])
def test_training_api_answers_a_422_for_ids_beyond_64_bits(client, world, huge):
    """A user id or museum id too large for the database is a 422 naming the field, not a 500 (SQLite cannot even
    bind it)."""
    from .test_training_api import auth, body

    klass = make_class(world, places=3)
    response = client.post(f"/api/training/classes/{klass.pk}/nominations",
                           {"user_ids": [world.helped_staff.pk, huge]}, content_type="application/json",
                           **auth(world.helped_admin))
    assert response.status_code == 422, response.content
    assert "user_ids" in response.content.decode()
    response = client.post("/api/training/classes", body(world, host_id=huge), content_type="application/json",
                           **auth(world.admin))
    assert response.status_code == 422, response.content
    assert "host_id" in response.content.decode()


def test_training_forms_answer_ids_beyond_64_bits_beside_the_field(world, login):
    """Nominating, a session's experts and a class's cities with an id SQLite cannot bind: a message, not a 500."""
    from django.urls import reverse

    klass = make_class(world, places=3)
    huge = str(2**70)
    client = login(world.helped_admin)
    response = client.post(reverse("training:nominate", args=[klass.pk]), {"people": [world.helped_staff.pk, huge]})
    assert response.status_code == 400 and "请从列表中选择" in response.content.decode()
    client = login(world.admin)
    session = klass.sessions.order_by("pk").first()
    response = client.post(reverse("training:session_edit", args=[session.pk]), {
        "title": "第1讲", "start": "2026-01-01T09:00", "end": "2026-01-01T12:00", "hours": "3", "experts": [huge]})
    assert response.status_code == 400 and "请从列表中选择" in response.content.decode()
    from bangfu.training.forms import ClassForm

    form = ClassForm({"cities": [huge]}, instance=klass)
    assert not form.is_valid() and "cities" in form.errors
