"""Two museums request overlapping dates of one touring exhibition at the same moment: one stop is booked, the
other refused naming it.

As in tests/test_exchange_thread_concurrency.py: each thread has its own connection and commits for real (a
transactional test), a barrier releases them together. `stop_request` locks the exhibition's row (SELECT … FOR
UPDATE) before it reads the held stops, so the second request waits for the first to commit, reads again and is
refused. Without the lock both would read an empty calendar and both be booked."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bangfu.exhibitions.models import TourStop
from bangfu.exhibitions.services import stop_accept, stop_request, touring_create

from .exhibitions_data import day
from .factories import ensure_divisions, make_museum, make_user
from .test_pairing_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _reload_divisions_afterwards(django_db_blocker):
    """A transactional test empties every table when it ends; the other tests expect the divisions loaded."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def exhibition_and_venues():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is shared between threads in shared-cache mode (see "
                    "tests/test_pairing_concurrency.py); PostgreSQL and a file database run this test")
    ensure_divisions()
    owner = make_museum("山西博物院", city="140100", grade="一级", tier="省级")
    owner_admin = make_user("museum_admin", museum=owner, username="race_owner")
    exhibition = touring_create(museum=owner, by=owner_admin, title="晋国霸业", description="青铜器精品巡展。",
                                floor_area=600, windows=[(day(0), day(400))], publish=True)
    venues = []
    for i in range(2):
        museum = make_museum(f"县博物馆{i}", county="141026")
        venues.append(make_user("museum_admin", museum=museum, username=f"race_venue_{i}"))
    return exhibition, owner_admin, venues


def test_two_simultaneous_overlapping_requests_book_only_one_stop(exhibition_and_venues):
    exhibition, _, venues = exhibition_and_venues
    results = race([lambda a=a, s=s: stop_request(exhibition=exhibition, venue=a.museum, by=a, start=day(s),
                                                  end=day(s + 40))
                    for a, s in zip(venues, (30, 45), strict=True)])
    booked = [r for r in results if isinstance(r, TourStop)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert "档期冲突" in refused[0].message_dict["start"][0]
    assert booked[0].venue.name in refused[0].message_dict["start"][0]
    assert TourStop.objects.filter(exhibition=exhibition).count() == 1


def test_two_simultaneous_requests_with_apart_dates_are_both_booked(exhibition_and_venues):
    exhibition, owner_admin, venues = exhibition_and_venues
    results = race([lambda a=a, s=s: stop_request(exhibition=exhibition, venue=a.museum, by=a, start=day(s),
                                                  end=day(s + 40))
                    for a, s in zip(venues, (30, 200), strict=True)])
    assert all(isinstance(r, TourStop) for r in results), results
    accepted = race([lambda r=r: stop_accept(stop=r, by=owner_admin) for r in results])
    assert all(isinstance(r, TourStop) for r in accepted), accepted
