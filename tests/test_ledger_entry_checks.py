"""What a manual ledger entry must be: it counts something (a quantity above 0), it is not the same help typed
twice (a likely duplicate needs an explicit 「确认不是重复登记」), and its inputs carry the association's limits, so
that the browser and the server agree on the largest figure."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.services import ledger_record, ledger_void, limits_update

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def post(world, **changes):
    return {"our_side": "helper", "counterpart": str(world.helped_museum.pk), "area": "people", "kind": "培训",
            "date": DAY.isoformat(), "people_trained": "30", "days": "2", "object_count": "", "visitors": "",
            "money_yuan": "", "description": "讲解员培训", "evidence_link": "https://example.org/photos"} | changes


def test_an_entry_that_counts_nothing_is_refused_in_chinese(world, login):
    response = login(world.helper_staff).post(reverse("ledger:create"), post(world, people_trained="0", days=""))
    assert response.status_code == 400
    assert "请至少填写一项大于 0 的数量" in response.context["form"].errors["people_trained"][0]
    with pytest.raises(ValidationError, match="请至少填写一项大于 0 的数量"):
        ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=DAY, description="培训")
    assert not LedgerEntry.objects.exists()


def test_the_same_entry_twice_asks_for_an_explicit_confirmation(world, login):
    client = login(world.helper_staff)
    assert client.post(reverse("ledger:create"), post(world)).status_code == 302
    again = client.post(reverse("ledger:create"), post(world))
    assert again.status_code == 400
    html = again.content.decode()
    assert 'data-testid="duplicate"' in html and "确认不是重复登记" in html and "可能重复登记" in html
    assert LedgerEntry.objects.count() == 1
    confirmed = client.post(reverse("ledger:create"), post(world, confirm_not_duplicate="on"))
    assert confirmed.status_code == 302 and LedgerEntry.objects.count() == 2


def test_a_first_entry_shows_no_duplicate_checkbox(world, login):
    html = login(world.helper_staff).get(reverse("ledger:create")).content.decode()
    assert "确认不是重复登记" not in html


def test_a_voided_twin_or_a_different_figure_is_not_a_duplicate(world):
    values = {"helper": world.helper_museum, "helped": world.helped_museum, "area": "people", "kind": "培训",
              "date": DAY, "description": "培训", "people_trained": 30}
    first = ledger_record(by=world.admin, **values)
    with pytest.raises(ValidationError, match="可能重复登记") as caught:
        ledger_record(by=world.helper_staff, **values)
    assert "confirm_not_duplicate" in caught.value.message_dict
    ledger_record(by=world.admin, **(values | {"people_trained": 31}))
    ledger_void(entry=first, by=world.admin, reason="录错")
    ledger_record(by=world.helper_staff, **values)
    assert LedgerEntry.objects.count() == 3


def test_the_quantity_inputs_carry_the_associations_limits(world, login):
    limits_update(by=world.admin, values={"days": 365})
    html = login(world.helper_staff).get(reverse("ledger:create")).content.decode()
    days = re.search(r'<input[^>]*name="days"[^>]*>', html).group(0)
    assert 'max="365"' in days and 'min="0"' in days
    people = re.search(r'<input[^>]*name="people_trained"[^>]*>', html).group(0)
    assert 'max="10000"' in people
    response = login(world.helper_staff).post(reverse("ledger:create"), post(world, days="999999999"))
    assert response.context["form"].errors["days"] == [
        "帮扶天数不能超过 365 天（协会设定的单条记录上限）；请核对是否多输了位数，确需登记请联系协会。"]


def test_the_task_and_completion_forms_carry_the_limits_too(world, login):
    from django.utils import timezone

    from .factories import make_agreement

    agreement = make_agreement(world, tasks=[{"title": "讲解员培训",
                                              "due_date": timezone.localdate() + datetime.timedelta(days=30)}])
    client = login(world.helper_staff)
    for url in (reverse("agreements:task", args=[agreement.tasks.get().pk]),
                reverse("agreements:task_create", args=[agreement.pairing_id])):
        html = client.get(url).content.decode()
        assert 'max="3650"' in re.search(r'<input[^>]*name="days"[^>]*>', html).group(0), url
