"""The capacity rules hold when several people create pairings at the same moment.

Each thread has its own database connection and commits for real (a transactional test); a barrier releases them
together. On PostgreSQL `pairing_create` locks both museums' rows (SELECT … FOR UPDATE) before it counts, so the
writers queue on the lock; on SQLite the IMMEDIATE transactions serialise them on the database's write lock.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from bangfu.pairings.forms import years_later
from bangfu.pairings.models import Pairing
from bangfu.pairings.services import pairing_create, rules_update

from .factories import ensure_divisions, make_museum, make_user

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
TODAY = timezone.localdate()


@pytest.fixture(scope="module", autouse=True)
def _reload_divisions_afterwards(django_db_blocker):
    """A transactional test empties every table when it ends; the other tests expect the divisions loaded once
    per session (tests/conftest.py), so load them again."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


def race(calls) -> list:
    """Run the calls in threads released at the same moment; each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — reported to the test, which decides
            results[index] = exc
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return results


def _create(admin, helper, helped, **fields):
    return lambda: pairing_create(by=admin, helper=helper, helped=helped, start_date=TODAY,
                                  end_date=years_later(TODAY, 3), **fields)


@pytest.fixture
def people():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is shared between threads in shared-cache mode, where a "
                    "busy writer makes the others fail at once ('database table is locked') instead of waiting; "
                    "a file database (production, or a TEST NAME in the settings) waits on busy_timeout and runs "
                    "these tests")
    ensure_divisions()
    admin = make_user("association_admin", username="race_admin")
    rules_update(by=admin, data={"max_helped_per_helper": 3, "max_primary_helpers_per_helped": 1})
    return admin


def _outcomes(results):
    created = [r for r in results if isinstance(r, Pairing)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    other = [r for r in results if not isinstance(r, Pairing | ValidationError)]
    assert other == [], f"unexpected errors: {other!r}"
    return created, refused


def test_only_one_primary_helper_wins_when_many_pair_the_same_museum_at_once(people):
    helped = make_museum("安泽县博物馆", county="141026")
    helpers = [make_museum(f"帮扶馆{i}", city="140100", grade="一级", tier="省级") for i in range(THREADS)]
    results = race([_create(people, helper, helped) for helper in helpers])
    created, refused = _outcomes(results)
    assert len(created) == 1 and len(refused) == THREADS - 1
    assert all("已有主要帮扶方" in exc.messages[0] for exc in refused)
    assert Pairing.objects.open().filter(helped=helped, is_primary=True).count() == 1


def test_a_helper_gets_no_more_than_its_capacity_when_many_pair_it_at_once(people):
    helper = make_museum("山西博物院", city="140100", grade="一级", tier="省级")
    helped = [make_museum(f"受援馆{i}", county="141026") for i in range(THREADS)]
    results = race([_create(people, helper, museum) for museum in helped])
    created, refused = _outcomes(results)
    assert len(created) == 3 and len(refused) == THREADS - 3
    assert all("达到上限 3 家" in exc.messages[0] for exc in refused)
    assert Pairing.objects.open().filter(helper=helper).count() == 3


def test_the_same_pair_is_created_once_when_submitted_twice_at_once(people):
    helper = make_museum("山西博物院", city="140100", grade="一级", tier="省级")
    helped = make_museum("安泽县博物馆", county="141026")
    results = race([_create(people, helper, helped, is_primary=False) for _ in range(THREADS)])
    created, refused = _outcomes(results)
    assert len(created) == 1 and len(refused) == THREADS - 1
    assert Pairing.objects.filter(helper=helper, helped=helped).count() == 1
