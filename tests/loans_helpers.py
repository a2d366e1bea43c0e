"""Loans built through the services for the loans tests: objects of the world's lender (山西博物院), a request by
the borrower (安泽县博物馆) and the steps to any state."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from bangfu.loans import services as s
from bangfu.loans.models import Loan, LoanStatus
from bangfu.objects.models import CollectionObject

_numbers = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def make_object(museum, *, name=None, grade="二级", condition="good", fragile=False, has_record=True,
                offered=True, material="铜", insurance_value=None, **fields) -> CollectionObject:
    number = next(_numbers)
    return CollectionObject.objects.create(
        museum=museum, name=name or f"青铜器{number}", registration_number=f"JZ{number:05d}", grade=grade,
        material=material, condition=condition, fragile=fragile, has_record=has_record, offered=offered,
        insurance_value=insurance_value, **fields)


def request(world, objects, *, start=None, end=None, by=None, lender=None, **fields) -> Loan:
    start = start or days(60)
    return s.loan_request(by=by or world.helped_staff, lender=lender or world.helper_museum, objects=objects,
                          purpose=fields.pop("purpose", "配合本馆基本陈列改陈"),
                          venue=fields.pop("venue", "安泽县博物馆二号展厅"),
                          start=start, end=end or start + datetime.timedelta(days=89), **fields)


def review_all(world, loan, *, fit=True):
    for item in loan.items.all():
        s.loan_review_item(item=item, by=world.helper_staff, fit=fit, note="" if fit else "不宜")
    return s.loan_finish_review(loan=loan, by=world.helper_staff)


def to_status(world, loan, target: str) -> Loan:
    """Walk `loan` (just requested) through the workflow up to `target`."""
    from bangfu.accounts.models import User

    def staff_of(museum, default):
        return default if default.museum_id == museum.pk else User.objects.filter(museum=museum).order_by("pk").first()

    lender, borrower = staff_of(loan.lender, world.helper_staff), staff_of(loan.borrower, world.helped_staff)
    loan.refresh_from_db()
    while loan.status != target:
        status = loan.status
        if status == LoanStatus.REQUESTED:
            review_all(world, loan)
        elif status == LoanStatus.EXPERT_REVIEW:
            pending = loan.items.filter(expert_verdict="pending")
            s.loan_expert_review(loan=loan, by=lender, experts="张三、李四", date=today(), opinion="适宜展陈运输",
                                 verdicts={i.pk: (True, "") for i in pending})
        elif status == LoanStatus.FACILITY_REVIEW:
            s.loan_facility_review(loan=loan, by=lender, security="24小时监控", fire="气体灭火", climate="恒温恒湿展柜",
                                   note="满足要求")
        elif status == LoanStatus.FILING:
            for f in s.required_filings(loan):
                if f["done"] is None:
                    s.loan_record_filing(loan=loan, by=borrower, authority=f["authority"], kind=f["kind"],
                                         document_number=f"晋文物〔2026〕{next(_numbers)}号", date=today())
        elif status == LoanStatus.AGREEMENT:
            s.loan_sign(loan=loan, by=borrower, number="JZ-2026-01", signed_on=today())
        elif status == LoanStatus.TRANSPORT:
            s.loan_set_transport(loan=loan, by=borrower, insurer="中国人保", policy_number="PICC-1",
                                 insured_amount=1_000_000, courier="文物专业运输公司", crates=2)
            for item in loan.items.all():
                if item.in_loan:
                    s.loan_condition_check(item=item, by=lender, direction="outgoing", condition="good",
                                           checked_on=today(), examiner="王保管")
            s.loan_dispatch(loan=loan, by=lender, date=today())
        elif status == LoanStatus.DISPATCHED:
            s.loan_receive(loan=loan, by=borrower, date=today())
        elif status in (LoanStatus.ON_LOAN, LoanStatus.RETURNING):
            for item in loan.items.all():
                if item.in_loan and item.returned_on is None:
                    s.loan_condition_check(item=item, by=lender, direction="incoming", condition="good",
                                           checked_on=today(), examiner="王保管")
            s.loan_return(loan=loan, by=lender, date=today())
        elif status == LoanStatus.RETURNED:
            s.loan_close(loan=loan, by=lender)
        else:
            raise AssertionError(f"cannot walk from {status} to {target}")
        loan.refresh_from_db()
        assert loan.status != status, f"stuck at {status}"
    return loan
