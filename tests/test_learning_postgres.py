"""What only PostgreSQL can show: certificates issued at the same moment get distinct serials (the unique index
decides, the service draws again), the same source issued twice at once gives one certificate, and the same hours
recorded twice at once give one entry."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from bangfu.learning.models import Certificate, HoursEntry
from bangfu.learning.services import certificate_issue, hours_record

from .factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")]


def at_once(calls):
    errors, barrier = [], threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def issue(world, person, source_id):
    return lambda: certificate_issue(by=world.admin, person=person, kind="class", source_type="training.class",
                                     source_id=source_id, title="藏品管理培训班", issued_on=timezone.localdate(),
                                     hours=24)


def test_certificates_issued_at_the_same_moment_get_distinct_serials(world):
    people = [make_user("museum_staff", museum=world.helped_museum) for _ in range(4)]
    at_once([issue(world, person, 1) for person in people])
    serials = list(Certificate.objects.values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 4


def test_the_same_certificate_issued_twice_at_once_is_issued_once(world):
    at_once([issue(world, world.helped_staff, 9) for _ in range(3)])
    assert Certificate.objects.filter(person=world.helped_staff).count() == 1


def test_the_same_hours_recorded_twice_at_once_count_once(world):
    record = lambda: hours_record(person=world.helped_staff, source_type="courses.course", source_id=3,  # noqa: E731
                                  source_label="线上课程", title="文物摄影", hours=4, date=timezone.localdate())
    at_once([record, record, record])
    assert HoursEntry.objects.filter(person=world.helped_staff).count() == 1
