"""The parties: one declaration of a record's sides (`PARTIES` on its model) and one `side_of`, whatever the sides
are called."""

import datetime

import pytest
from django.utils import timezone

from bangfu.ledger.models import LedgerEntry
from bangfu.parties import (
    ASSOCIATION,
    acting_side,
    museums_of,
    other_side,
    parties_of,
    party,
    side_of,
    side_of_museum,
)

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def test_a_record_that_belongs_to_a_pairing_has_the_pairings_sides(world):
    due = timezone.localdate() + datetime.timedelta(days=30)
    agreement = make_agreement(world, tasks=[{"title": "布展", "due_date": due}])
    task = agreement.tasks.get()
    expected = {"helper": world.helper_museum.pk, "helped": world.helped_museum.pk}
    assert parties_of(agreement.pairing) == parties_of(agreement) == parties_of(task) == expected
    assert side_of(world.helper_staff, task) == "helper" and side_of(world.helped_admin, task) == "helped"
    assert museums_of(task, {"helped"}) == [world.helped_museum.pk] and other_side(task, "helper") == "helped"


@pytest.mark.parametrize("persona", ["admin", "province_supervisor", "expert", "outsider"])
def test_only_staff_of_a_party_museum_are_on_a_side(world, persona):
    agreement = make_agreement(world, tasks=[], confirmed=False)
    assert side_of(getattr(world, persona), agreement) is None


def test_the_association_and_the_platform_act_for_the_programme(world):
    agreement = make_agreement(world, tasks=[], confirmed=False)
    assert acting_side(world.admin, agreement) == acting_side(None, agreement) == ASSOCIATION
    assert acting_side(world.helped_staff, agreement) == "helped"


def test_an_inactive_account_is_on_no_side(world):
    world.helped_staff.is_active = False
    assert side_of(world.helped_staff, make_agreement(world, tasks=[], confirmed=False)) is None


def test_the_sides_may_have_any_names(world):
    loan = {"lender": world.helper_museum, "borrower": world.helped_museum.pk}
    assert side_of(world.helped_staff, loan) == "borrower" and side_of(world.helper_admin, loan) == "lender"
    assert other_side(loan, "lender") == "borrower" and parties_of(world.helped_museum) == {}


def test_a_side_s_museum_as_an_object_and_the_side_a_museum_is_on(world):
    agreement = make_agreement(world, tasks=[], confirmed=False)
    assert party(agreement, "helped") == world.helped_museum
    assert party(agreement.pairing, "helper") == world.helper_museum
    assert side_of_museum(agreement, world.helped_museum) == side_of_museum(agreement, world.helped_museum.pk)
    assert side_of_museum(agreement, world.helped_museum) == "helped" and side_of_museum(agreement, 0) is None
    assert party(agreement, ASSOCIATION) is None and party(agreement, None) is None
    assert other_side(agreement, ASSOCIATION) is None  # the association is no side: it has no "other" one


def test_a_ledger_entry_names_the_museum_that_recorded_it_and_the_one_it_waits_for(world):
    entry = LedgerEntry(helper=world.helper_museum, helped=world.helped_museum, recorded_side="helped")
    assert (entry.recording_museum, entry.awaiting_museum) == (world.helped_museum, world.helper_museum)
    entry.recorded_side = ASSOCIATION  # counts at once: recorded by no museum, waiting for none
    assert (entry.recording_museum, entry.awaiting_museum) == (None, None)
