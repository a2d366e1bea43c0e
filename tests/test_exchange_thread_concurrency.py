"""An offer's capacity holds when two threads are confirmed at the same moment for its last place.

As in tests/test_pairing_concurrency.py: each thread has its own connection and commits for real (a transactional
test), a barrier releases them together. `thread_confirm_match` locks the post's row (SELECT … FOR UPDATE) before it
counts the places taken, so the second confirmation waits for the first to commit, counts again and is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bangfu.exchange.models import PostStatus, Thread, ThreadStatus
from bangfu.exchange.services import post_create
from bangfu.exchange.threads import thread_confirm_match, thread_start

from .factories import ensure_divisions, make_museum, make_user
from .test_pairing_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

TERMS = "派员指导 2 天。"


@pytest.fixture(scope="module", autouse=True)
def _reload_divisions_afterwards(django_db_blocker):
    """A transactional test empties every table when it ends; the other tests expect the divisions loaded."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def offer_and_two_threads():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is shared between threads in shared-cache mode (see "
                    "tests/test_pairing_concurrency.py); PostgreSQL and a file database run this test")
    ensure_divisions()
    helper = make_museum("山西博物院", city="140100", grade="一级", tier="省级")
    helper_admin = make_user("museum_admin", museum=helper, username="race_helper")
    offer = post_create(by=helper_admin, kind="offer", area="exhibition", title="巡展「晋国霸业」",
                        description="成熟展览巡展，含布展和讲解培训。", capacity=1, publish=True)
    threads = []
    for i in range(2):
        admin = make_user("museum_admin", museum=make_museum(f"县博物馆{i}", county="141026"), username=f"race_{i}")
        thread, _ = thread_start(post=offer, by=admin, message="我馆希望承接巡展。")
        thread_confirm_match(thread=thread, by=admin, terms=TERMS)  # the respondent confirmed first
        threads.append(thread)
    return offer, helper_admin, threads


def test_two_confirmations_racing_for_the_last_place_match_only_one(offer_and_two_threads):
    offer, helper_admin, threads = offer_and_two_threads
    results = race([lambda t=t: thread_confirm_match(thread=t, by=helper_admin, terms=TERMS) for t in threads])
    matched = [r for r in results if isinstance(r, Thread)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(matched) == 1 and len(refused) == 1, results
    assert "名额" in refused[0].messages[0]
    assert Thread.objects.filter(post=offer, status=ThreadStatus.MATCHED).count() == 1
    offer.refresh_from_db()
    assert offer.status == PostStatus.MATCHED
