"""Defects found by walking the training pages with bad input (review round of issue 11): each test is what would
have caught one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.training import services
from bangfu.training.models import ClassStatus, Session, TrainingClass

from .training_helpers import at, make_class

pytestmark = pytest.mark.django_db


def _class_fields(world, **over):
    start = timezone.localdate() + datetime.timedelta(days=20)
    fields = {"title": "县级博物馆藏品管理培训班", "area": "collection", "host": world.helper_museum.pk,
              "start": start.isoformat(), "end": (start + datetime.timedelta(days=2)).isoformat(), "place": "太原",
              "places": "10", "places_per_museum": "2", "eligibility": "all", "threshold": "80",
              "window_before": "30"}
    return {**fields, **over}


def test_a_class_ending_before_it_starts_is_refused_in_chinese_beside_the_end(world, login):
    client = login(world.admin)
    start = timezone.localdate() + datetime.timedelta(days=20)
    page = client.post(reverse("training:class_create"), _class_fields(
        world, start=start.isoformat(), end=(start - datetime.timedelta(days=2)).isoformat()))
    assert page.status_code == 400
    body = page.content.decode()
    assert "结束日期不能早于开始日期。" in body and "约束" not in body and "training_class_dates" not in body
    assert not TrainingClass.objects.exists()


@pytest.mark.parametrize("key", [str(10**30), str(-10**30)])
def test_a_huge_city_key_is_not_in_the_list_rather_than_a_500(world, login, key):
    client = login(world.admin)
    page = client.post(reverse("training:class_create"), _class_fields(world, eligibility="cities", cities=[key]))
    assert page.status_code == 400 and "请从列表中选择。" in page.content.decode()


def test_a_huge_person_key_in_the_nomination_form_is_refused_rather_than_a_500(world, login):
    klass = make_class(world)
    page = login(world.helped_admin).post(reverse("training:nominate", args=[klass.pk]), {"people": [str(10**30)]})
    assert page.status_code == 400 and "请从列表中选择。" in page.content.decode()
    assert not klass.nominations.exists()


def test_a_session_cannot_end_after_the_class(world, login):
    klass = make_class(world, days=2)
    start = at(klass.start, 9)
    with pytest.raises(services.ValidationError) as error:
        services.session_add(klass=klass, by=world.admin, title="加课", start=start,
                             end=start + datetime.timedelta(days=900), hours=3)
    assert "下课时间须在培训班日期内" in error.value.error_dict["end"][0].message
    page = login(world.admin).post(reverse("training:session_add", args=[klass.pk]), {
        "title": "加课", "start": start.strftime("%Y-%m-%dT%H:%M"), "end": "2030-01-01T10:00", "hours": "3"})
    assert page.status_code == 400 and "下课时间须在培训班日期内" in page.content.decode()
    assert Session.objects.filter(klass=klass).count() == 2


def test_completing_twice_says_why_instead_of_a_blank_400(world, login):
    start = timezone.localdate() - datetime.timedelta(days=10)
    klass = make_class(world, start=start, days=2, places=5)
    client = login(world.admin)
    url = reverse("training:complete", args=[klass.pk])
    client.post(url, {"date": timezone.localdate().isoformat()})
    klass.refresh_from_db()
    assert klass.status == ClassStatus.COMPLETED
    again = client.post(url, {"date": timezone.localdate().isoformat()}, follow=True)  # a second tab, a double click
    assert again.status_code == 200
    said = [str(m) for m in again.context["messages"]]
    assert said and all(m.strip() for m in said)


def test_an_api_nomination_of_a_huge_id_names_it_rather_than_a_500(world, client):
    klass = make_class(world)
    raw = _token(world.helped_admin)
    answer = client.post(f"/api/training/classes/{klass.pk}/nominations", {"user_ids": [10**30]},
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 422 and "user_ids" in answer.json()["detail"]  # refused by the shared Id type


def _token(user) -> str:
    from bangfu.api.services import token_create

    return token_create(user=user, name="qa")[1]


def test_the_host_of_an_association_class_must_be_a_helper_museum(world, client):
    with pytest.raises(services.ValidationError) as error:
        services.class_create(by=world.admin, title="班", area="other", start=timezone.localdate(),
                              end=timezone.localdate(), places=3, place="太原", host=world.helped_museum)
    assert "承办馆须为帮扶馆" in error.value.error_dict["host"][0].message
    start = timezone.localdate() + datetime.timedelta(days=20)
    answer = client.post("/api/training/classes", {
        "title": "API班", "area": "collection", "start": start.isoformat(), "end": start.isoformat(), "hours": 6,
        "places": 10, "host_id": world.helped_museum.pk}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token(world.admin)}")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "host"
    assert not TrainingClass.objects.exists()


def test_more_places_move_the_waiting_list_up_at_once(world):
    from .training_helpers import staff

    klass = make_class(world, places=1, per_museum=0)
    rows = services.nominate(klass=klass, by=world.helped_admin,
                             people=[world.helped_staff, *staff(world.helped_museum, 2, "az")])
    assert [n.state for n in rows] == ["accepted", "waiting", "waiting"]
    services.class_update(klass=klass, by=world.admin, places=2)
    assert [n.state for n in klass.nominations.order_by("queued_at", "pk")] == ["accepted", "accepted", "waiting"]
    services.class_update(klass=klass, by=world.admin, places=3, places_per_museum=2)  # the museum's quota holds
    assert [n.state for n in klass.nominations.order_by("queued_at", "pk")] == ["accepted", "accepted", "waiting"]


def test_moving_a_class_s_dates_away_from_its_sessions_is_refused(world):
    klass = make_class(world, days=2)
    later = klass.start + datetime.timedelta(days=30)
    with pytest.raises(services.ValidationError) as error:
        services.class_update(klass=klass, by=world.admin, start=later, end=later + datetime.timedelta(days=1))
    assert "不在新的日期内" in error.value.error_dict["start"][0].message
    services.class_update(klass=klass, by=world.admin, end=klass.end + datetime.timedelta(days=1))  # still holds


def test_the_teacher_and_the_host_museum_admin_show_the_sign_in_code_others_do_not(world, login):
    """The issue: the code is "shown by the teacher" — a teacher from the expert pool (their account) and an admin of
    the host museum open the session's code and QR pages, without the organiser's attendance buttons; another
    expert, the host's staff and a nominating museum's admin get 403."""
    from bangfu.experts.services import expert_create

    from .factories import make_user

    teacher = expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院", areas=["conservation"],
                            user=world.expert)
    klass = make_class(world, start=timezone.localdate() + datetime.timedelta(days=3))
    session = klass.sessions.order_by("start").first()
    session.experts.add(teacher)
    for user in (world.expert, world.helper_admin):
        client = login(user)
        page = client.get(reverse("training:session", args=[session.pk]))
        assert page.status_code == 200 and session.code in page.content.decode()
        assert reverse("training:attendance_mark", args=[session.pk]) not in page.content.decode()
        assert client.get(reverse("training:session_qr", args=[session.pk]))["Content-Type"] == "image/svg+xml"
    mine = login(world.expert).get(reverse("training:mine")).content.decode()
    assert "我授课的课程" in mine and reverse("training:session", args=[session.pk]) in mine
    organiser = login(world.admin).get(reverse("training:session", args=[session.pk])).content.decode()
    assert reverse("training:manage", args=[klass.pk]) in organiser and session.code in organiser
    other_expert = make_user("expert", username="other_expert")
    for user in (other_expert, world.helper_staff, world.helped_admin):
        assert login(user).get(reverse("training:session", args=[session.pk])).status_code == 403
