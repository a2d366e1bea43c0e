"""The rules a loan request must pass, each refused with a message naming the rule and its source, read from the
rules table the association edits: the term, the collection record, the condition, the chained cap (void loans not
counted, the all-grades switch), the filings the law requires, and the filing-lead warning in Chinese working days."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.models import AuditEntry
from bangfu.loans import services as s
from bangfu.loans.models import ItemReview, LoanRule, LoanStatus
from bangfu.objects.models import ObjectGrade

from .factories import make_museum, make_user
from .loans_helpers import days, make_object, request, review_all, to_status, today

pytestmark = pytest.mark.django_db


def refusal(exc_info, field="objects") -> str:
    return " ".join(exc_info.value.message_dict[field])


def set_rule(code, **values):
    LoanRule.objects.filter(code=code).update(**values)


# --- the term (Art. 56) --------------------------------------------------------------------------------------


def test_a_loan_of_exactly_36_calendar_months_is_accepted_and_one_day_more_is_refused_citing_article_56(world):
    start = datetime.date(2027, 3, 15)
    ok = request(world, [make_object(world.helper_museum)], start=start, end=datetime.date(2030, 3, 14))
    assert ok.days == (datetime.date(2030, 3, 15) - start).days
    with pytest.raises(ValidationError) as exc:
        request(world, [make_object(world.helper_museum)], start=start, end=datetime.date(2030, 3, 15))
    assert refusal(exc, "end") == ("借展期限不得超过36个月，本次最晚至2030年3月14日"
                                   "（《文物保护法》（2024年修订）第五十六条）。")


def test_months_are_calendar_months_even_at_the_end_of_a_month():
    assert s.term_end(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 27)
    assert s.add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert s.cap_days(datetime.date(2026, 1, 1), 36) == 1096
    assert s.add_months(datetime.date(9999, 6, 1), 12) == datetime.date.max


def test_the_term_the_association_edits_takes_effect_and_a_switched_off_rule_is_not_enforced(world):
    set_rule("max_term", value=6)
    with pytest.raises(ValidationError) as exc:
        request(world, [make_object(world.helper_museum)], start=days(10), end=days(10 + 200))
    assert "借展期限不得超过6个月" in refusal(exc, "end")
    set_rule("max_term", enabled=False)
    assert request(world, [make_object(world.helper_museum)], start=days(10), end=days(10 + 200)).pk


def test_a_missing_rule_row_falls_back_to_the_laws_default(world):
    LoanRule.objects.filter(code="max_term").delete()
    with pytest.raises(ValidationError) as exc:
        request(world, [make_object(world.helper_museum)], start=days(10), end=days(10 + 1200))
    assert "不得超过36个月" in refusal(exc, "end")


def test_dates_must_be_in_order_not_in_the_past_and_not_absurdly_far(world):
    obj = make_object(world.helper_museum)
    with pytest.raises(ValidationError) as exc:
        request(world, [obj], start=days(20), end=days(10))
    assert refusal(exc, "end") == "借展截止日不能早于起始日。"
    with pytest.raises(ValidationError) as exc:
        request(world, [obj], start=days(-1), end=days(10))
    assert refusal(exc, "start") == "借展起始日不能早于今天。"
    with pytest.raises(ValidationError) as exc:
        request(world, [obj], start=datetime.date(9999, 12, 1), end=datetime.date(9999, 12, 31))
    assert "请检查年份" in refusal(exc, "start")
    with pytest.raises(ValidationError) as exc:
        request(world, [obj], start=days(10), end=days(20), opening=days(30))
    assert refusal(exc, "opening") == "开展日期应在借展期限之内。"


# --- the objects (Art. 58, the notice) ------------------------------------------------------------------------


def test_an_object_without_a_collection_record_is_refused_citing_article_58(world):
    obj = make_object(world.helper_museum, name="铜鼎", has_record=False)
    with pytest.raises(ValidationError) as exc:
        request(world, [obj])
    assert refusal(exc) == f"{obj}未建立藏品档案，不得出借（《文物保护法》（2024年修订）第五十八条）。"


@pytest.mark.parametrize(("fields", "words"), [
    ({"condition": "poor"}, "保存状态为“残缺/较差”，不得出借"),
    ({"condition": "under_treatment"}, "保存状态为“修复中”，不得出借"),
    ({"fragile": True}, "运输易损，不得出借"),
])
def test_objects_in_poor_condition_fragile_or_under_treatment_are_refused_citing_the_notice(world, fields, words):
    obj = make_object(world.helper_museum, **fields)
    with pytest.raises(ValidationError) as exc:
        request(world, [obj])
    assert words in refusal(exc) and "国家文物局关于馆藏一级文物借展管理的通知（2025年7月）" in refusal(exc)


def test_every_refusal_of_the_objects_comes_at_once(world):
    a = make_object(world.helper_museum, has_record=False)
    b = make_object(world.helper_museum, condition="poor")
    with pytest.raises(ValidationError) as exc:
        request(world, [a, b], start=days(5), end=days(1))
    assert len(exc.value.message_dict["objects"]) == 2 and "end" in exc.value.message_dict


def test_objects_must_be_the_lenders_and_offered_and_the_lender_another_museum(world):
    mine = make_object(world.helped_museum)
    hidden = make_object(world.helper_museum, offered=False)
    with pytest.raises(ValidationError) as exc:
        request(world, [mine, hidden])
    assert refusal(exc) == "所选藏品不存在或未开放借展。"
    with pytest.raises(ValidationError) as exc:
        request(world, [mine], lender=world.helped_museum)
    assert refusal(exc, "lender") == "出借方必须是其他博物馆。"
    with pytest.raises(ValidationError) as exc:
        request(world, [])
    assert refusal(exc) == "请至少选择一件藏品。"


def test_a_request_never_names_an_object_the_lender_does_not_offer(world):
    other = make_museum(name="第三方博物馆")
    secret = make_object(world.helper_museum, name="未开放的秘藏", offered=False)
    retired = make_object(world.helper_museum, name="已注销的铜镜", is_active=False)
    elsewhere = make_object(other, name="别馆的铜鼎")
    for obj in (secret, retired, elsewhere):
        with pytest.raises(ValidationError) as exc:
            request(world, [obj, make_object(world.helper_museum)])
        assert refusal(exc) == "所选藏品不存在或未开放借展。"
        assert obj.name not in str(exc.value) and obj.registration_number not in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        request(world, [10**9])
    assert refusal(exc) == "所选藏品不存在或未开放借展。"


def test_an_object_cannot_be_on_two_loans_at_the_same_time(world):
    obj = make_object(world.helper_museum)
    request(world, [obj], start=days(10), end=days(100))
    with pytest.raises(ValidationError) as exc:
        request(world, [obj], start=days(50), end=days(150), by=world.outsider)
    assert "已有借展，与本次期限重叠" in refusal(exc)


def test_only_museum_staff_request_loans(world):
    with pytest.raises(Exception) as exc:
        request(world, [make_object(world.helper_museum)], by=world.admin)
    assert type(exc.value).__name__ == "PermissionDenied"


# --- the chained cap (the notice) ----------------------------------------------------------------------------


def chain(world, obj, start, months, by):
    return request(world, [obj], start=start, end=s.term_end(start, months), by=by)


def test_a_first_grade_objects_chained_loans_to_different_borrowers_add_up_to_at_most_36_months(world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.FIRST, name="晋侯鸟尊")
    start = days(30)
    chain(world, obj, start, 18, world.helped_staff)
    second = s.add_months(start, 18)
    chain(world, obj, second, 18, world.outsider)  # exactly 36 months in all: allowed
    assert s.object_loan_days(obj) == s.cap_days(start, 36)
    with pytest.raises(ValidationError) as exc:
        chain(world, obj, s.add_months(start, 36), 1, world.helped_staff)
    assert f"累计借展期限不得超过36个月（{s.cap_days(start, 36)}天）" in refusal(exc)
    assert "国家文物局关于馆藏一级文物借展管理的通知" in refusal(exc)


def test_chained_loans_to_the_same_borrower_count_too(world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.FIRST)
    start = days(30)
    chain(world, obj, start, 30, world.helped_staff)
    with pytest.raises(ValidationError) as exc:
        chain(world, obj, s.add_months(start, 30), 7, world.helped_staff)
    assert "累计借展期限不得超过36个月" in refusal(exc)
    assert chain(world, obj, s.add_months(start, 30), 6, world.helped_staff).pk


def test_declined_withdrawn_and_cancelled_loans_are_not_counted(world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.FIRST)
    start = days(30)
    first = chain(world, obj, start, 36, world.helped_staff)
    s.loan_withdraw(loan=first, by=world.helped_staff, reason="展览延期")
    second = chain(world, obj, start, 36, world.outsider)
    s.loan_decline(loan=second, by=world.helper_staff, reason="同期自用")
    assert s.object_loan_days(obj) == 0
    assert chain(world, obj, start, 36, world.helped_staff).pk


def test_an_object_dropped_as_unfit_does_not_count_in_the_chain(world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.FIRST)
    loan = chain(world, obj, days(30), 36, world.helped_staff)
    item = loan.items.get(obj=obj)
    s.loan_review_item(item=item, by=world.helper_staff, fit=False, note="器壁有裂隙")
    assert s.object_loan_days(obj) == 0


def test_the_cap_applies_to_every_grade_only_when_the_association_switches_it_on(world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.SECOND)
    start = days(30)
    chain(world, obj, start, 36, world.helped_staff)
    assert chain(world, obj, s.add_months(start, 36), 12, world.outsider).pk  # 二级: no cap by default
    set_rule("chain_cap_all_grades", enabled=True)
    with pytest.raises(ValidationError) as exc:
        chain(world, obj, s.add_months(start, 48), 1, world.helped_staff)
    assert "累计借展期限不得超过36个月" in refusal(exc)


def test_the_edited_cap_takes_effect(world):
    set_rule("chain_cap", value=12)
    obj = make_object(world.helper_museum, grade=ObjectGrade.FIRST)
    start = days(30)
    chain(world, obj, start, 10, world.helped_staff)
    with pytest.raises(ValidationError) as exc:
        chain(world, obj, s.add_months(start, 10), 3, world.outsider)
    assert "累计借展期限不得超过12个月" in refusal(exc)


# --- filings and approvals (Art. 56, 57) ---------------------------------------------------------------------


def names(loan):
    return [(f["name"], f["kind"], f["label"]) for f in s.required_filings(loan)]


def test_a_state_borrower_files_with_the_competent_authority_and_with_ncha_when_a_first_grade_object_is_in(world):
    plain = request(world, [make_object(world.helper_museum)])
    assert names(plain) == [("主管部门", "filing", "报主管部门备案")]
    first = request(world, [make_object(world.helper_museum, grade=ObjectGrade.FIRST),
                            make_object(world.helper_museum)])
    assert names(first) == [("主管部门", "filing", "报主管部门备案"), ("国家文物局", "filing", "报国家文物局备案")]
    assert all(f["done"] is None and "第五十六条" in f["source"] for f in s.required_filings(first))


def test_a_non_state_borrower_needs_approval_instead(world):
    private = make_museum("大同市民俗博物馆", city="140200", ownership="非国有")
    staff = make_user("museum_staff", museum=private)
    plain = request(world, [make_object(world.helper_museum)], by=staff)
    assert names(plain) == [("主管部门", "approval", "报主管部门批准")]
    first = request(world, [make_object(world.helper_museum, grade=ObjectGrade.FIRST)], by=staff)
    assert names(first) == [("主管部门", "approval", "报主管部门批准"), ("国家文物局", "approval", "报国家文物局批准")]


def test_an_exchange_needs_provincial_approval_and_national_filing_and_only_between_state_museums(world):
    loan = request(world, [make_object(world.helper_museum)], kind="exchange")
    assert names(loan) == [("省级文物行政部门", "approval", "报省级文物行政部门批准"),
                           ("国家文物局", "filing", "报国家文物局备案")]
    assert all("第五十七条" in f["source"] for f in s.required_filings(loan))
    private = make_museum("私立博物馆", ownership="非国有")
    with pytest.raises(ValidationError) as exc:
        request(world, [make_object(world.helper_museum)], kind="exchange",
                by=make_user("museum_staff", museum=private))
    assert refusal(exc, "kind") == "交换馆藏文物仅限国有文物收藏单位之间（《文物保护法》（2024年修订）第五十七条）。"


def test_a_non_state_lenders_loan_needs_no_statutory_filing_and_goes_straight_to_the_agreement(world):
    private = make_museum("平遥民间博物馆", city="140700", ownership="非国有")
    staff = make_user("museum_staff", museum=private, username="pingyao_staff")
    loan = request(world, [make_object(private, grade=ObjectGrade.FIRST)], lender=private)
    assert s.required_filings(loan) == []
    s.loan_review_item(item=loan.items.get(), by=staff, fit=True)
    s.loan_finish_review(loan=loan, by=staff)
    assert to_status(world, loan, LoanStatus.AGREEMENT).status == LoanStatus.AGREEMENT
    assert AuditEntry.objects.filter(object_id=loan.pk, to_status="agreement",
                                     note__contains="出借方为非国有文物收藏单位").exists()


def test_with_the_exchange_rule_off_an_exchange_still_needs_the_ordinary_article_56_filing(world):
    set_rule("exchange_approval", enabled=False)
    loan = request(world, [make_object(world.helper_museum, grade=ObjectGrade.FIRST)], kind="exchange")
    assert names(loan) == [("主管部门", "filing", "报主管部门备案"), ("国家文物局", "filing", "报国家文物局备案")]
    assert all("第五十六条" in f["source"] for f in s.required_filings(loan))


def test_a_first_grade_object_dropped_in_review_no_longer_needs_the_national_filing(world):
    first = make_object(world.helper_museum, grade=ObjectGrade.FIRST)
    loan = request(world, [first, make_object(world.helper_museum)])
    s.loan_review_item(item=loan.items.get(obj=first), by=world.helper_staff, fit=False, note="不宜运输")
    assert names(loan) == [("主管部门", "filing", "报主管部门备案")]


def test_with_every_filing_rule_off_the_facility_review_leads_straight_to_the_agreement(world):
    set_rule("competent_filing", enabled=False)
    loan = request(world, [make_object(world.helper_museum)])
    review_all(world, loan)
    s.loan_facility_review(loan=loan, by=world.helper_staff, security="监控", fire="灭火", climate="恒温",
                           note="通过")
    loan.refresh_from_db()
    assert loan.status == "agreement"


# --- the filing lead (博物馆条例 Art. 31) -----------------------------------------------------------------------


def test_the_filing_lead_counts_chinese_working_days_with_the_national_day_holidays(world):
    # 2026-09-24 (Thu) → opening 2026-10-12 (Mon): 12 plain weekdays, but 中秋 (9/25) and 国庆 (10/1–7) are off and
    # Saturday 10/10 is worked: 7 working days, fewer than 10. The last day to file was Monday 9/21.
    loan = request(world, [make_object(world.helper_museum)], start=datetime.date(2026, 10, 12),
                   end=datetime.date(2026, 12, 31), today=datetime.date(2026, 9, 1))
    warnings = s.rule_warnings(loan, today=datetime.date(2026, 9, 24))
    assert warnings == ["距开展（2026年10月12日）仅剩7个工作日，不足10个工作日：展览应最迟于2026年9月21日"
                        "报主管部门备案，请尽快办理（《博物馆条例》第三十一条）。"]
    assert s.rule_warnings(loan, today=datetime.date(2026, 9, 21)) == []  # exactly 10 working days left
    assert "仅剩9个工作日" in s.rule_warnings(loan, today=datetime.date(2026, 9, 22))[0]


def test_the_filing_lead_warning_uses_the_opening_date_and_the_edited_number_of_days(world):
    loan = request(world, [make_object(world.helper_museum)], start=datetime.date(2026, 10, 8),
                   end=datetime.date(2026, 12, 31), opening=datetime.date(2026, 10, 12),
                   today=datetime.date(2026, 9, 1))
    assert s.rule_warnings(loan, today=datetime.date(2026, 9, 21)) == []
    set_rule("filing_lead_days", value=15)
    # 15 working days back from 10/12 reach over the worked Sunday 9/20: the last day was 9/15.
    assert "仅剩10个工作日，不足15个工作日：展览应最迟于2026年9月15日" in s.rule_warnings(
        loan, today=datetime.date(2026, 9, 21))[0]
    set_rule("filing_lead_days", enabled=False)
    assert s.rule_warnings(loan, today=datetime.date(2026, 10, 9)) == []


# --- the object rules again at the review and at dispatch ---------------------------------------------------


def _refused(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_an_object_that_became_unlendable_cannot_be_judged_fit_nor_the_review_finished(world):
    obj = make_object(world.helper_museum, name="晋侯铜鼎")
    other = make_object(world.helper_museum, name="玉璧")
    loan = request(world, [obj, other])
    for item in loan.items.all():
        s.loan_review_item(item=item, by=world.helper_staff, fit=True)
    type(obj).objects.filter(pk=obj.pk).update(condition="under_treatment")
    with pytest.raises(ValidationError) as exc:
        s.loan_finish_review(loan=loan, by=world.helper_staff)
    assert "晋侯铜鼎" in _refused(exc) and "修复中”，不得出借" in _refused(exc) and "不宜出借" in _refused(exc)
    item = loan.items.get(obj=obj)
    with pytest.raises(ValidationError) as exc:
        s.loan_review_item(item=item, by=world.helper_staff, fit=True)
    assert "晋侯铜鼎" in " ".join(exc.value.message_dict["fit"])
    s.loan_review_item(item=item, by=world.helper_staff, fit=False, note="正在修复")
    assert s.loan_finish_review(loan=loan, by=world.helper_staff).status == "facility_review"
    assert loan.items.get(obj=obj).review == ItemReview.UNFIT


def test_the_expert_review_follows_the_objects_current_grade(world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.SECOND)
    loan = request(world, [obj])
    type(obj).objects.filter(pk=obj.pk).update(grade=ObjectGrade.FIRST)
    assert review_all(world, loan).status == "expert_review"


def test_dispatch_is_refused_when_the_outgoing_report_finds_an_object_poor_or_it_became_unlendable(world):
    obj = make_object(world.helper_museum, name="彩绘陶壶")
    loan = request(world, [obj])
    to_status(world, loan, LoanStatus.AGREEMENT)
    s.loan_sign(loan=loan, by=world.helped_staff, number="JZ-1", signed_on=today())
    s.loan_set_transport(loan=loan, by=world.helped_staff, insurer="人保", policy_number="P-1",
                         insured_amount=None, courier="运输公司", crates=1)
    item = loan.items.get()
    s.loan_condition_check(item=item, by=world.helper_staff, direction="outgoing", condition="poor",
                           checked_on=today(), examiner="王")
    with pytest.raises(ValidationError) as exc:
        s.loan_dispatch(loan=loan, by=world.helper_staff, date=today())
    assert "彩绘陶壶" in _refused(exc) and "出馆点交时保存状态为“残缺/较差”，不得出借" in _refused(exc)
    s.loan_condition_check(item=item, by=world.helper_staff, direction="outgoing", condition="good",
                           checked_on=today(), examiner="王")
    type(obj).objects.filter(pk=obj.pk).update(fragile=True)
    with pytest.raises(ValidationError) as exc:
        s.loan_dispatch(loan=loan, by=world.helper_staff, date=today())
    assert "）运输易损，不得出借" in _refused(exc)
    type(obj).objects.filter(pk=obj.pk).update(fragile=False)
    assert s.loan_dispatch(loan=loan, by=world.helper_staff, date=today()).status == LoanStatus.DISPATCHED


def test_no_lead_warning_is_counted_for_an_opening_more_than_five_years_ahead(world, monkeypatch):
    from bangfu.loans.models import Loan

    def refuse(*args):
        raise AssertionError("working days counted for a far-future opening")

    monkeypatch.setattr(s, "working_days_between", refuse)
    far = Loan(start=days(10), end=datetime.date(9999, 12, 31), opening=datetime.date(9999, 12, 1))
    assert s.rule_warnings(far) == []
