"""One set of plausible limits for every quantity (people, days, objects, visitors, yuan), edited by the
association and applied by every service that takes quantities, with a message naming the field and the limit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.services import agreement_update, task_complete
from bangfu.core.models import AuditEntry
from bangfu.ledger.models import LedgerEntry, QuantityLimits
from bangfu.ledger.services import ledger_record, limits_update

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DEFAULTS = {"people_trained": 10_000, "days": 3_650, "object_count": 100_000, "visitors": 10_000_000,
            "money_yuan": 100_000_000}
LABELS = {"people_trained": "培训人数", "days": "天数", "object_count": "文物/展品", "visitors": "受众",
          "money_yuan": "金额"}


def record(world, **quantities):
    return ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                         kind="培训", date=datetime.date(2026, 3, 10), description="培训班", **quantities)


@pytest.mark.parametrize("field", sorted(DEFAULTS))
def test_every_quantity_is_accepted_up_to_its_limit_and_refused_above_it(world, field):
    limit = DEFAULTS[field]
    assert getattr(record(world, **{field: limit}), field) == limit
    with pytest.raises(ValidationError) as refused:
        record(world, **{field: limit + 1})
    message = refused.value.message_dict[field][0]
    assert LABELS[field] in message and f"{limit:,}" in message
    assert LedgerEntry.objects.count() == 1


def test_the_figures_found_by_probing_are_refused(world):
    with pytest.raises(ValidationError, match="培训人数不能超过 10,000 人次"):
        record(world, people_trained=999_999_999)
    with pytest.raises(ValidationError, match="金额不能超过 100,000,000 元"):
        record(world, money_yuan=Decimal("99999999999"))
    with pytest.raises(ValidationError, match="不能为负数"):
        record(world, days=Decimal("-1"))
    assert not LedgerEntry.objects.exists()


def test_the_manual_entry_form_shows_the_limit_beside_the_field(world, login):
    response = login(world.helper_staff).post(reverse("ledger:create"), {
        "our_side": "helper", "counterpart": world.helped_museum.pk, "area": "people", "kind": "培训",
        "date": "2026-03-01", "people_trained": "999999999", "days": "0", "object_count": "0", "visitors": "0",
        "money_yuan": "0", "description": "培训班", "evidence_link": "https://news.example.org/1"})
    assert response.status_code == 400
    assert "培训人数不能超过 10,000 人次" in " ".join(response.context["form"].errors["people_trained"])
    assert "培训人数不能超过 10,000 人次" in response.content.decode().split('id="id_people_trained_errors"')[1][:200]
    assert not LedgerEntry.objects.exists()


@pytest.fixture
def task(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30),
                                              "people_trained": 20}])
    return agreement.tasks.get()


def test_a_task_completion_over_the_limit_is_refused_beside_the_field(world, task, login):
    response = login(world.helper_staff).post(reverse("agreements:task_complete", args=[task.pk]), {
        "completed_on": TODAY.isoformat(), "ledger_kind": "培训", "people_trained": "20", "days": "1",
        "object_count": "0", "visitors": "99999999", "money_yuan": "0", "evidence_link": "https://example.org/x"})
    assert response.status_code == 400
    assert "受众不能超过 10,000,000 人次" in " ".join(response.context["complete_form"].errors["visitors"])
    task.refresh_from_db()
    assert task.status != "done" and not LedgerEntry.objects.exists()


def test_planned_quantities_of_a_task_are_bounded_too(world, task):
    with pytest.raises(ValidationError) as refused:
        agreement_update(agreement=task.agreement, by=world.helper_staff,
                         tasks=[{"id": task.pk, "people_trained": 99_999}])
    assert "培训人数不能超过" in refused.value.message_dict["tasks.0.people_trained"][0]
    task.refresh_from_db()
    assert task.people_trained == 20


def test_the_association_changes_the_limits_and_they_apply_at_once(world, task):
    limits_update(by=world.admin, values={"people_trained": 15})
    assert QuantityLimits.current().people_trained == 15
    with pytest.raises(ValidationError, match="培训人数不能超过 15 人次"):
        task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/x")  # 20 as planned
    task_complete(task=task, by=world.helper_staff, people_trained=15, evidence_link="https://example.org/x")
    entry = AuditEntry.objects.get(action="修改台账数量上限")
    assert entry.changes == {"培训人数上限": [10_000, 15]} and entry.actor == world.admin


def test_only_the_association_sets_the_limits(world):
    for user in (world.helper_admin, world.province_supervisor):
        with pytest.raises(PermissionDenied):
            limits_update(by=user, values={"people_trained": 1_000_000})
    assert QuantityLimits.current().people_trained == 10_000


def test_the_limits_page(world, login):
    client = login(world.admin)
    page = client.get(reverse("ledger:limits"))
    assert page.status_code == 200 and 'name="visitors"' in page.content.decode()
    response = client.post(reverse("ledger:limits"), DEFAULTS | {"days": "400"})
    assert response.status_code == 302 and QuantityLimits.current().days == 400
    too_big = client.post(reverse("ledger:limits"), DEFAULTS | {"money_yuan": "10000000000000"})
    assert too_big.status_code == 400 and "money_yuan" in too_big.context["form"].errors
    assert QuantityLimits.current().money_yuan == 100_000_000
    assert login(world.helper_admin).get(reverse("ledger:limits")).status_code == 403


def test_the_limits_page_writes_figures_with_thousands_separators(world, login):
    page = login(world.admin).get(reverse("ledger:limits")).content.decode()
    assert "受众 10,000,000 人次" in page and "投入金额 100,000,000 元" in page
