"""One person has one open placement at a time, even when their museum's admins request several at the same moment:
`placement_request` locks the person's row before it looks for overlapping placements, so the writers queue.
Skipped on SQLite's in-memory test database; run with a PostgreSQL DATABASE_URL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bangfu.placements.models import Placement
from bangfu.placements.services import placement_request

from .factories import build_world
from .placements_data import term
from .test_pairing_concurrency import _reload_divisions_afterwards, race  # noqa: F401 — the fixture is used

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_requests_for_one_person_give_one_placement():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is shared between threads in shared-cache mode (see "
                    "tests/test_pairing_concurrency.py): run with a file or PostgreSQL DATABASE_URL.")
    world = build_world()
    start, end = term(4)

    def request():
        return placement_request(by=world.helped_admin, host=world.helper_museum, person=world.helped_staff,
                                 kind="study", start=start, end=end, goals="学习")

    results = race([request for _ in range(4)])
    assert sum(isinstance(r, Placement) for r in results) == 1
    assert all(isinstance(r, (Placement, ValidationError)) for r in results), results
    assert Placement.objects.count() == 1
