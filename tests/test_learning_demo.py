"""The learning demo: the association's target of this year and last year (90 学时), set once."""

import pytest
from django.utils import timezone

from bangfu.demo.learning import load_learning
from bangfu.learning.models import HoursTarget

from .factories import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_sets_this_and_last_years_target_once():
    assert load_learning() == 0  # without the demo's association account nothing is written
    make_user("association_admin", username="xiehui")
    assert load_learning() == 2
    assert load_learning() == 0
    year = timezone.localdate().year
    assert dict(HoursTarget.objects.values_list("year", "hours")) == {year: 90, year - 1: 90}
