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
