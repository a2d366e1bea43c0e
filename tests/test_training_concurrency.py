"""The quotas of a class hold when several museum admins nominate at the same moment.

As in tests/test_exchange_thread_concurrency.py: each thread has its own connection and commits for real, a
barrier releases them together. `nominate` locks the class row (SELECT … FOR UPDATE) before it counts the places
taken, so each nomination counts what the ones before it accepted: never more accepted than the places, never more
than the per-museum quota, the rest waiting."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from bangfu.training.models import Nomination, NominationState
from bangfu.training.services import class_create, nominate, nomination_withdraw

from .factories import ensure_divisions, make_museum, make_user
from .test_pairing_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _reload_divisions_afterwards(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def crowd():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is shared between threads in shared-cache mode (see "
                    "tests/test_pairing_concurrency.py); PostgreSQL and a file database run this test")
    ensure_divisions()
    host = make_museum("山西博物院", city="140100", grade="一级", tier="省级")
    association = make_user("association_admin", username="race_assoc")
    today = timezone.localdate()
    klass = class_create(by=association, title="安全管理培训班", area="safety", start=today,
                         end=today + datetime.timedelta(days=1), places=5, places_per_museum=2, host=host,
                         place="太原", publish=True)
    museums = []
    for i in range(4):
        museum = make_museum(f"县博物馆{i}", county="141026")
        admin = make_user("museum_admin", museum=museum, username=f"race_admin{i}")
        people = [make_user("museum_staff", museum=museum, username=f"race_{i}_{j}") for j in range(3)]
        museums.append((admin, people))
    return klass, association, museums


def test_simultaneous_nominations_keep_the_total_and_per_museum_quotas(crowd):
    klass, _, museums = crowd
    results = race([lambda a=admin, p=people: nominate(klass=klass, by=a, people=p) for admin, people in museums])
    assert all(isinstance(r, list) for r in results), results
    accepted = Nomination.objects.filter(klass=klass, state=NominationState.ACCEPTED)
    assert accepted.count() == 5
    per_museum = {}
    for museum_id in accepted.values_list("museum_id", flat=True):
        per_museum[museum_id] = per_museum.get(museum_id, 0) + 1
    assert max(per_museum.values()) <= 2
    assert Nomination.objects.filter(klass=klass, state=NominationState.WAITING).count() == 7


def test_simultaneous_withdrawals_move_up_within_the_quotas(crowd):
    klass, _, museums = crowd
    for admin, people in museums:
        nominate(klass=klass, by=admin, people=people)
    leaving = list(Nomination.objects.filter(klass=klass, state=NominationState.ACCEPTED)[:3])
    results = race([lambda n=n: nomination_withdraw(nomination=n, by=n.person) for n in leaving])
    assert all(isinstance(r, Nomination) for r in results), results
    accepted = Nomination.objects.filter(klass=klass, state=NominationState.ACCEPTED)
    assert accepted.count() == 5
    counts = {}
    for museum_id in accepted.values_list("museum_id", flat=True):
        counts[museum_id] = counts.get(museum_id, 0) + 1
    assert max(counts.values()) <= 2
