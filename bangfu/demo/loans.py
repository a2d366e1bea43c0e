"""Demo loans between the demo museums (山西博物院 lends to 安泽县博物馆, and once the other way), built through the
loan services, in the states a visitor should see: requested, at filing, on loan (a 一级文物 through the experts),
overdue, returned with an incoming report that differs from the outgoing one, closed (its ledger entry written), and
a request the other way. Only when there are no loans yet.

The objects are the objects demo's (`bangfu.demo.objects`: SX-… of 山西博物院, AZ-… of 安泽县博物馆), so the
registry, the exhibitions and the loans show one collection. Every object lent is offered, has its record, is in
good or fair condition and not fragile (the loan rules), and appears in one loan only (no overlap; the chained cap
of the 一级文物 far from reached). Without the objects demo (its museums or accounts missing) no loan is made."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.loans import services as s
from bangfu.loans.models import Loan, LoanStatus
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject

# The objects demo's registration numbers each loan names (see `load_loans`).
NUMBERS = {
    "山西博物院": ("SX-0001", "SX-0002", "SX-0004", "SX-0012", "SX-0022", "SX-0024", "SX-0025", "SX-0027",
                "SX-0030", "SX-0031", "SX-0033"),
    "安泽县博物馆": ("AZ-0007", "AZ-0008"),
}


def demo_objects() -> dict[str, CollectionObject]:
    """{registration number: object} of the objects demo's objects the loans name (missing ones left out)."""
    found = {}
    for museum_name, numbers in NUMBERS.items():
        rows = CollectionObject.objects.filter(museum__name=museum_name, registration_number__in=numbers)
        found |= {obj.registration_number: obj for obj in rows}
    return found


def _walk(loan: Loan, target: str, *, lender, borrower, day: datetime.date, differs: bool = False) -> Loan:
    """Take `loan` through the steps up to `target`, every step dated `day` (a past day for a past loan)."""
    loan.refresh_from_db()
    while loan.status != target:
        status = loan.status
        if status == LoanStatus.REQUESTED:
            for item in loan.items.all():
                s.loan_review_item(item=item, by=lender, fit=True, note="状况良好，适宜出借")
            s.loan_finish_review(loan=loan, by=lender)
        elif status == LoanStatus.EXPERT_REVIEW:
            verdicts = {i.pk: (True, "") for i in loan.items.filter(expert_verdict="pending")}
            s.loan_expert_review(loan=loan, by=lender, experts="孙文博、王立新", date=day,
                                 opinion="器物结构稳定，按专业包装运输，适宜展陈", verdicts=verdicts)
        elif status == LoanStatus.FACILITY_REVIEW:
            s.loan_facility_review(loan=loan, by=lender, security="展厅24小时视频监控，专人值守，入侵报警联网",
                                   fire="气体灭火系统，消防验收合格",
                                   climate="恒温恒湿独立展柜，温度20±2℃，相对湿度45±5%", note="满足借展要求")
        elif status == LoanStatus.FILING:
            for number, f in enumerate(s.required_filings(loan), start=1):
                authority = "国家文物局" if f["authority"] == "national" else "山西省文物局"
                prefix = "文物博函" if f["authority"] == "national" else "晋文物函"  # each authority's own numbers
                if f["done"] is None:
                    s.loan_record_filing(loan=loan, by=borrower, authority=f["authority"], kind=f["kind"],
                                         authority_name=authority,
                                         document_number=f"{prefix}〔{day.year}〕{loan.pk * 10 + number}号", date=day)
        elif status == LoanStatus.AGREEMENT:
            s.loan_sign(loan=loan, by=lender, number=f"JZXY-{day.year}-{loan.pk:03d}", signed_on=day)
        elif status == LoanStatus.TRANSPORT:
            insured = sum((i.obj.insurance_value or Decimal(0)) for i in loan.items.select_related("obj")
                          if i.in_loan)
            s.loan_set_transport(loan=loan, by=borrower, insurer="中国人民财产保险股份有限公司山西省分公司",
                                 policy_number=f"PICC{day:%Y%m%d}{loan.pk:03d}", insured_amount=insured,
                                 courier="山西文物专业运输有限公司", crates=loan.items.count(),
                                 note="恒温囊匣包装，专车押运，双方各派两人随车")
            for item in loan.items.select_related("obj"):
                if item.in_loan:
                    s.loan_condition_check(item=item, by=lender, direction="outgoing", condition=item.obj.condition,
                                           checked_on=day, examiner="王保管、周婷",
                                           notes="器表完整，无新增伤况；原有锈蚀稳定")
            s.loan_dispatch(loan=loan, by=lender, date=day)
        elif status == LoanStatus.DISPATCHED:
            s.loan_receive(loan=loan, by=borrower, date=day)
        elif status in (LoanStatus.ON_LOAN, LoanStatus.RETURNING):
            for index, item in enumerate(loan.items.select_related("obj").filter(returned_on__isnull=True)):
                if not item.in_loan:
                    continue
                flagged = differs and index == 0
                s.loan_condition_check(item=item, by=lender, direction="incoming",
                                       condition="fair" if flagged else item.obj.condition, checked_on=day,
                                       examiner="王保管、周婷", new_damage=flagged,
                                       notes="口沿新增细小磕痕一处，约 2 毫米" if flagged else "与出馆时一致")
            s.loan_return(loan=loan, by=lender, date=day)
        elif status == LoanStatus.RETURNED:
            s.loan_close(loan=loan, by=lender)
        else:
            raise AssertionError(f"cannot walk from {status} to {target}")
        loan.refresh_from_db()
    return loan


def load_loans(today: datetime.date | None = None) -> int:
    """Returns how many loans were created (0 when there are loans already, or the objects demo is missing)."""
    if Loan.objects.exists():
        return 0
    today = today or timezone.localdate()
    objects = demo_objects()
    wanted = [n for numbers in NUMBERS.values() for n in numbers]
    sxbwy, anze = Museum.objects.filter(name="山西博物院").first(), Museum.objects.filter(name="安泽县博物馆").first()
    lender = User.objects.filter(username="sxbwy_staff", museum=sxbwy).first()
    borrower = User.objects.filter(username="anze_staff", museum=anze).first()
    if None in (sxbwy, anze, lender, borrower) or set(wanted) - set(objects):
        return 0

    def ask(numbers, start, end, *, title, by=borrower, museum=sxbwy, asked=None, **fields):
        return s.loan_request(by=by, lender=museum, objects=[objects[n] for n in numbers],
                              purpose=fields.pop("purpose", "配合县馆基本陈列提升，充实晋南历史文化单元"),
                              venue=fields.pop("venue", "安泽县博物馆一号展厅"), start=start, end=end,
                              exhibition_title=title, today=asked or today, **fields)

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    def ahead(days: int) -> datetime.date:
        return today + datetime.timedelta(days=days)

    # closed: lent last year, back in good order, the ledger entry written
    closed = ask(["SX-0033", "SX-0022"], ago(300), ago(150), title="三晋工艺美术精品展", asked=ago(330))
    _walk(closed, LoanStatus.CLOSED, lender=lender, borrower=borrower, day=ago(310))
    # returned with one object flagged (incoming report differs from the outgoing one)
    flagged = ask(["SX-0012", "SX-0031"], ago(120), ago(20), title="古代佛教造像艺术展", asked=ago(140))
    _walk(flagged, LoanStatus.ON_LOAN, lender=lender, borrower=borrower, day=ago(125))
    _walk(flagged, LoanStatus.RETURNED, lender=lender, borrower=borrower, day=ago(15), differs=True)
    # overdue: the end passed, still away
    overdue = ask(["SX-0025"], ago(100), ago(10), title="兵器与战争专题展", asked=ago(110))
    _walk(overdue, LoanStatus.ON_LOAN, lender=lender, borrower=borrower, day=ago(102))
    # on loan, with a 一级文物 (expert review, national filing): 晋侯鸟尊
    on_loan = ask(["SX-0001", "SX-0024"], ago(30), ahead(150), title="晋国青铜文明展", asked=ago(60))
    _walk(on_loan, LoanStatus.ON_LOAN, lender=lender, borrower=borrower, day=ago(32))
    # at filing, opening soon (the filing-lead warning shows); 龙形觥 is 一级: experts and national filing
    filing = ask(["SX-0002", "SX-0027"], ahead(10), ahead(120), title="商周青铜礼器展")
    _walk(filing, LoanStatus.FILING, lender=lender, borrower=borrower, day=today)
    # just requested, waiting for the lender's review
    ask(["SX-0004", "SX-0030"], ahead(60), ahead(240), title="晋侯墓地与三晋货币")
    # the other way round: 安泽县博物馆 lends two objects to 山西博物院
    ask(["AZ-0008", "AZ-0007"], ahead(45), ahead(135), title="三晋县域文物精品展", by=lender, museum=anze,
        venue="山西博物院临展厅", purpose="省馆临展“三晋县域文物精品展”借用县馆藏品")
    return Loan.objects.count()
