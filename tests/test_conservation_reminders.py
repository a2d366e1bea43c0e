"""Conservation reminders: a request waiting a week for the lab reminds the lab's staff, destructive sampling
waiting a week reminds the requesting museum's admins (not its staff) — once a week, whatever the runs."""

import datetime

import pytest
from django.utils import timezone

from bangfu.conservation.reminders import collect
from bangfu.conservation.services import request_accept

from .conservation_data import a_request

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_request_waiting_a_week_reminds_the_lab_and_an_unapproved_sampling_the_requesters_admin(world):
    waiting = a_request(world)
    sampling = a_request(world, destructive=True)
    assert collect(TODAY, 14) == []
    later = collect(TODAY + datetime.timedelta(days=8), 14)
    lab = {(r.user, r.key) for r in later if r.key.startswith("conservation-waiting-lab-")}
    assert lab == {(world.helper_admin, f"conservation-waiting-lab-{waiting.pk}-w1"),
                   (world.helper_staff, f"conservation-waiting-lab-{waiting.pk}-w1")}
    approval = [r for r in later if r.key.startswith("conservation-waiting-approval-")]
    assert [(r.user, r.key) for r in approval] == [(world.helped_admin,
                                                    f"conservation-waiting-approval-{sampling.pk}-w1")]
    request_accept(request=waiting, by=world.helper_staff)
    assert not [r for r in collect(TODAY + datetime.timedelta(days=8), 14) if str(waiting.pk) in r.key
                and "lab" in r.key]
