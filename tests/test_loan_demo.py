"""The demo's loans: 山西博物院 and 安泽县博物馆 lending to each other, one loan in each state a visitor should see
(requested, filing, on loan, overdue, returned with a flagged report, closed with its ledger entry), built through
the services — and loading the demo again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from bangfu.ledger.models import LedgerEntry
from bangfu.loans.models import ConditionCheck, Loan

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
