"""The hours API: a person's year (hours, target, shortfall, entries, valid certificates) for whoever may see the
person on the pages, 404 for anyone else, 422 in Chinese for a bad year; /api/me gives the user's id."""

import datetime

import pytest
from django.utils import timezone

from bangfu.api.services import token_create
from bangfu.learning.services import certificate_issue, certificate_revoke, hours_record, target_set

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def auth(user):
    _, raw = token_create(user=user, name="脚本")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def record(world):
    target_set(by=world.admin, year=YEAR, hours=40)
    hours_record(person=world.helped_staff, source_type="training.class", source_id=7, source_label="培训班",
                 title="藏品管理培训班", hours="24", date=datetime.date(YEAR, 3, 2))
    hours_record(person=world.helped_staff, source_type="courses.course", source_id=3, source_label="线上课程",
                 title="文物摄影", hours="4.5", date=datetime.date(YEAR - 1, 5, 1))
    kept = certificate_issue(by=world.admin, person=world.helped_staff, kind="class", source_type="training.class",
                             source_id=7, title="藏品管理培训班", issued_on=datetime.date(YEAR, 3, 2), hours=24)
    gone = certificate_issue(by=world.admin, person=world.helped_staff, kind="course",
                             source_type="courses.course", source_id=3, title="文物摄影",
                             issued_on=datetime.date(YEAR - 1, 5, 1))
    certificate_revoke(by=world.admin, certificate=gone, reason="误发")
    return kept


def test_a_person_reads_their_years_hours_and_certificates(client, world, record, settings):
    settings.SITE_URL = "https://bangfu.example.org"
    body = client.get(f"/api/people/{world.helped_staff.pk}/hours", **auth(world.helped_staff)).json()
    assert body == {
        "user_id": world.helped_staff.pk, "year": YEAR, "hours": 24.0, "target": 40.0, "short_by": 16.0,
        "entries": [{"date": f"{YEAR}-03-02", "title": "藏品管理培训班", "source": "培训班", "hours": 24.0}],
        "certificates": [{"serial": record.serial, "title": "藏品管理培训班",
                          "verify_url": f"https://bangfu.example.org/verify/{record.code}/"}],
    }
    last = client.get(f"/api/people/{world.helped_staff.pk}/hours?year={YEAR - 1}", **auth(world.helped_staff))
    assert last.json()["hours"] == 4.5 and last.json()["short_by"] == 85.5  # the default 90


def test_the_museum_admin_the_association_and_the_supervisor_read_it_others_get_404(client, world, record):
    url = f"/api/people/{world.helped_staff.pk}/hours"
    for user in (world.helped_admin, world.admin, world.province_supervisor):
        assert client.get(url, **auth(user)).status_code == 200
    for user in (world.outsider, world.helper_admin, world.helper_staff, world.city_supervisor, world.expert):
        response = client.get(url, **auth(user))
        assert response.status_code == 404 and "detail" in response.json()
    assert client.get(url).status_code == 401
    assert client.get("/api/people/99999999/hours", **auth(world.admin)).status_code == 404


@pytest.mark.parametrize("year", ["1999", "2101", "abc", "２０２６x", "99999999999999999999", "-1"])
def test_a_bad_year_is_answered_422_in_chinese(client, world, year):
    response = client.get(f"/api/people/{world.helped_staff.pk}/hours?year={year}", **auth(world.helped_staff))
    assert response.status_code == 422
    text = response.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_me_includes_the_users_id(client, world):
    body = client.get("/api/me", **auth(world.helped_staff)).json()
    assert body["id"] == world.helped_staff.pk and body["username"] == "helped_staff"
