"""Demo loans between the demo museums (山西博物院 lends to 安泽县博物馆, and once the other way), built through the
loan services, in the states a visitor should see: requested, at filing, on loan, overdue, returned with an
incoming report that differs from the outgoing one, and closed (its ledger entry written). Only when there are no
loans yet.

The objects: the objects demo's when it is loaded (`bangfu.demo.objects`), else the ones made here through
`get_or_create` by registration number (JZ-DEMO-…)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.loans import services as s
from bangfu.loans.models import Loan, LoanStatus
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject

# registration number, name, grade, category, material, insurance value (yuan)
OBJECTS = {
    "山西博物院": [
        ("JZ-DEMO-001", "晋侯鸟尊（复制品）", "一级", "铜器", "铜", 20_000_000),
        ("JZ-DEMO-002", "青铜鼎", "二级", "铜器", "铜", 3_000_000),
        ("JZ-DEMO-003", "彩绘陶壶", "三级", "陶器", "陶", 400_000),
        ("JZ-DEMO-004", "白釉瓷碗", "一般", "瓷器", "瓷", 80_000),
        ("JZ-DEMO-005", "铜镜", "二级", "铜器", "铜", 1_200_000),
        ("JZ-DEMO-006", "石刻造像", "三级", "雕塑、造像", "石", 600_000),
        ("JZ-DEMO-007", "玉璧", "二级", "玉石器、宝石", "宝玉石", 2_500_000),
        ("JZ-DEMO-008", "清代山水画轴", "三级", "书法、绘画", "纸", 300_000),
        ("JZ-DEMO-009", "黑釉瓷罐", "一般", "瓷器", "瓷", 50_000),
        ("JZ-DEMO-010", "铁剑", "三级", "武器", "铁", 150_000),
    ],
    "安泽县博物馆": [
        ("JZ-DEMO-101", "荀子故里碑拓", "一般", "碑帖拓本", "纸", 30_000),
    ],
}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def demo_objects() -> dict[str, CollectionObject]:
    found = {}
    for museum_name, rows in OBJECTS.items():
        museum = Museum.objects.get(name=museum_name)
        for number, name, grade, category, material, value in rows:
            obj, _ = CollectionObject.objects.get_or_create(
                museum=museum, registration_number=number,
                defaults={"name": name, "grade": grade, "category": category, "material": material,
                          "condition": "good", "has_record": True, "offered": True, "insurance_value": value,
                          "dimensions": "通高约 30 厘米"})
            found[number] = obj
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
                if f["done"] is None:
                    s.loan_record_filing(loan=loan, by=borrower, authority=f["authority"], kind=f["kind"],
                                         authority_name=authority,
                                         document_number=f"晋文物函〔{day.year}〕{loan.pk * 10 + number}号", date=day)
        elif status == LoanStatus.AGREEMENT:
            s.loan_sign(loan=loan, by=lender, number=f"JZXY-{day.year}-{loan.pk:03d}", signed_on=day)
        elif status == LoanStatus.TRANSPORT:
            s.loan_set_transport(loan=loan, by=borrower, insurer="中国人民财产保险股份有限公司山西省分公司",
                                 policy_number=f"PICC{day:%Y%m%d}{loan.pk:03d}", insured_amount=5_000_000,
                                 courier="山西文物专业运输有限公司", crates=loan.items.count(),
                                 note="恒温囊匣包装，专车押运，双方各派两人随车")
            for item in loan.items.all():
                if item.in_loan:
                    s.loan_condition_check(item=item, by=lender, direction="outgoing", condition="good",
                                           checked_on=day, examiner="王保管、周婷",
                                           notes="器表完整，无新增伤况；原有锈蚀稳定")
            s.loan_dispatch(loan=loan, by=lender, date=day)
        elif status == LoanStatus.DISPATCHED:
            s.loan_receive(loan=loan, by=borrower, date=day)
        elif status in (LoanStatus.ON_LOAN, LoanStatus.RETURNING):
            for index, item in enumerate(loan.items.filter(returned_on__isnull=True)):
                if not item.in_loan:
                    continue
                flagged = differs and index == 0
                s.loan_condition_check(item=item, by=lender, direction="incoming",
                                       condition="fair" if flagged else "good", checked_on=day,
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
    """Returns how many loans were created (0 when there are loans already)."""
    if Loan.objects.exists():
        return 0
    today = today or timezone.localdate()
    objects = demo_objects()
    sxbwy, anze = Museum.objects.get(name="山西博物院"), Museum.objects.get(name="安泽县博物馆")
    lender, borrower = _user("sxbwy_staff"), _user("anze_staff")

    def ask(numbers, start, end, *, title, by=borrower, museum=sxbwy, asked=None, **fields):
        return s.loan_request(by=by, lender=museum, objects=[objects[n] for n in numbers],
                              purpose=fields.pop("purpose", "配合县馆基本陈列提升，充实晋南青铜文化单元"),
                              venue=fields.pop("venue", "安泽县博物馆一号展厅"), start=start, end=end,
                              exhibition_title=title, today=asked or today, **fields)

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    def ahead(days: int) -> datetime.date:
        return today + datetime.timedelta(days=days)

    # closed: lent last year, back in good order, the ledger entry written
    closed = ask(["JZ-DEMO-003", "JZ-DEMO-004"], ago(300), ago(150), title="晋南陶瓷精品展", asked=ago(330))
    _walk(closed, LoanStatus.CLOSED, lender=lender, borrower=borrower, day=ago(310))
    # returned with one object flagged (incoming report differs from the outgoing one)
    flagged = ask(["JZ-DEMO-005", "JZ-DEMO-006"], ago(120), ago(20), title="古代铜镜与造像艺术展", asked=ago(140))
    _walk(flagged, LoanStatus.ON_LOAN, lender=lender, borrower=borrower, day=ago(125))
    _walk(flagged, LoanStatus.RETURNED, lender=lender, borrower=borrower, day=ago(15), differs=True)
    # overdue: the end passed, still away
    overdue = ask(["JZ-DEMO-010"], ago(100), ago(10), title="兵器与战争专题展", asked=ago(110))
    _walk(overdue, LoanStatus.ON_LOAN, lender=lender, borrower=borrower, day=ago(102))
    # on loan, with a 一级文物 (expert review, national filing)
    on_loan = ask(["JZ-DEMO-001", "JZ-DEMO-002"], ago(30), ahead(150), title="晋国青铜文明展", asked=ago(60))
    _walk(on_loan, LoanStatus.ON_LOAN, lender=lender, borrower=borrower, day=ago(32))
    # at filing, opening soon (the filing-lead warning shows)
    filing = ask(["JZ-DEMO-007", "JZ-DEMO-008"], ahead(10), ahead(120), title="玉润三晋——古代玉器展")
    _walk(filing, LoanStatus.FILING, lender=lender, borrower=borrower, day=today)
    # just requested, waiting for the lender's review
    ask(["JZ-DEMO-009"], ahead(60), ahead(240), title="瓷韵山西")
    # the other way round: 安泽县博物馆 lends a rubbing to 山西博物院
    ask(["JZ-DEMO-101"], ahead(45), ahead(135), title="三晋碑刻拓本展", by=lender, museum=anze,
        venue="山西博物院临展厅", purpose="省馆临展“三晋碑刻拓本展”借用县馆藏拓本")
    return Loan.objects.count()
