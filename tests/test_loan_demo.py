"""The demo's loans: 山西博物院 and 安泽县博物馆 lending to each other, one loan in each state a visitor should see
(requested, filing, on loan, overdue, returned with a flagged report, closed with its ledger entry), built through
the services from the objects demo's objects (one collection), each lendable and in one loan only — and loading the
demo again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from bangfu.ledger.models import LedgerEntry
from bangfu.loans import services as s
from bangfu.loans.models import ConditionCheck, Loan, LoanItem
from bangfu.objects.models import CollectionObject

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_loan_in_every_state_a_visitor_should_see(capsys):
    call_command("load_demo")
    statuses = list(Loan.objects.values_list("status", flat=True))
    assert {"requested", "filing", "on_loan", "returned", "closed"} <= set(statuses)
    assert Loan.objects.overdue(timezone.localdate()).count() == 1
    assert ConditionCheck.objects.filter(differs=True, item__loan__status="returned").exists()
    closed = Loan.objects.get(status="closed")
    assert LedgerEntry.objects.filter(source_type="loans.loan", source_id=closed.pk).exists()
    assert Loan.objects.filter(lender__name="安泽县博物馆", borrower__name="山西博物院").exists()
    assert Loan.objects.filter(items__expert_verdict="fit").exists()  # a 一级文物 went through the experts
    before = Loan.objects.count()
    call_command("load_demo")
    assert Loan.objects.count() == before
    assert "借展新增 0 个" in capsys.readouterr().out


def test_the_demo_loans_lend_the_objects_demos_objects_each_lendable_and_in_one_loan_only():
    call_command("load_demo")
    assert Loan.objects.count() == 7
    assert not CollectionObject.objects.filter(registration_number__startswith="JZ-DEMO").exists()
    items = list(LoanItem.objects.select_related("obj__museum", "loan"))
    rules = s.rules_in_force()
    for item in items:
        obj = item.obj
        assert obj.registration_number[:3] in ("SX-", "AZ-") and obj.museum_id == item.loan.lender_id
        assert obj.offered and obj.is_active and s.lendability_errors(obj, rules=rules) == []
    assert len({item.obj_id for item in items}) == len(items)  # no object in two loans: no overlap, no chain
    bird = LoanItem.objects.get(obj__registration_number="SX-0001", obj__museum__name="山西博物院")
    assert bird.obj.name == "晋侯鸟尊" and bird.loan.status == "on_loan" and bird.expert_verdict == "fit"
