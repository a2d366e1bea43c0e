"""The association's placement rule (3–6 months by default, editable): 2.9 months and 6.1 months are refused with a
message naming the rule, beside the end date (service, form page and API alike); exactly 3 and exactly 6 months are
accepted; after the association changes the rule the new numbers apply."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.core.dates import add_months
from bangfu.placements.models import PlacementRule
from bangfu.placements.services import rule_update

from .placements_data import requested, term

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 1)


def test_months_count_from_the_start_to_the_day_before_the_same_day_months_later():
    rule = PlacementRule.current()
    assert (rule.min_months, rule.max_months) == (3, 6)
    assert rule.earliest_end(START) == datetime.date(2026, 5, 31)
    assert rule.latest_end(START) == datetime.date(2026, 8, 31)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert rule.error(START, datetime.date(2026, 5, 31)) == ""
    assert "3–6 个月" in rule.error(START, datetime.date(2026, 5, 28))


@pytest.mark.parametrize("months, days, accepted", [
    (3, -3, False),   # 2.9 months
    (3, 0, True),     # exactly 3
    (6, 0, True),     # exactly 6
    (6, 3, False),    # 6.1 months
])
def test_the_term_must_keep_the_rule(world, months, days, accepted):
    start, end = term(months, start=START, extra_days=days)
    if accepted:
        assert requested(world, months=months, start=start).end == end
        return
    from bangfu.placements.services import placement_request

    with pytest.raises(ValidationError) as refused:
        placement_request(by=world.helped_admin, host=world.helper_museum, person=world.helped_staff, kind="study",
                          start=start, end=end, goals="学习")
    message = refused.value.message_dict["end"][0]
    assert "3–6 个月" in message and "协会规则" in message


def test_the_form_shows_the_refusal_beside_the_end_date(world, login):
    client = login(world.helped_admin)
    start, end = term(6, start=START, extra_days=3)
    response = client.post(reverse("placements:create"), {
        "person": world.helped_staff.pk, "host": world.helper_museum.pk, "kind": "study", "start": start,
        "end": end, "goals": "学习陈列设计"})
    assert response.status_code == 400
    assert "3–6 个月" in " ".join(response.context["form"].errors["end"])


def test_after_the_association_changes_the_rule_the_new_numbers_apply(world, login):
    login(world.admin).post(reverse("placements:rule"), {"min_months": 2, "max_months": 4, "credit_hours": "0"})
    rule = PlacementRule.current()
    assert (rule.min_months, rule.max_months) == (2, 4)
    assert requested(world, months=2, start=START).pk  # 2 months now enough
    with pytest.raises(ValidationError) as refused:
        requested(world, months=5, start=datetime.date(2026, 9, 1))
    assert "2–4 个月" in refused.value.message_dict["end"][0]


def test_only_the_association_edits_the_rule(world, login):
    with pytest.raises(PermissionDenied):
        rule_update(by=world.helper_admin, min_months=1, max_months=12)
    assert login(world.helper_admin).post(reverse("placements:rule"), {"min_months": 1, "max_months": 12,
                                                                        "credit_hours": "0"}).status_code == 403
    with pytest.raises(ValidationError) as refused:
        rule_update(by=world.admin, min_months=5, max_months=4)
    assert "max_months" in refused.value.message_dict
    page = login(world.helped_staff).get(reverse("placements:rule"))
    assert page.status_code == 200 and "3–6 个月" in page.content.decode()
