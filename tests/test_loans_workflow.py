"""The loan's workflow from the request to the close: each side takes only its steps, illegal moves are refused,
objects come back one by one or all at once with incoming reports, a worse condition is flagged and the lender
told, and the closed loan writes one ledger entry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.core.models import AuditEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.loans import services as s
from bangfu.loans.models import LoanStatus
from bangfu.notifications.models import Notification
from bangfu.objects.models import ObjectGrade

from .loans_helpers import make_object, request, review_all, to_status, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(world):
    return request(world, [make_object(world.helper_museum, name="鸟尊", grade=ObjectGrade.FIRST),
                           make_object(world.helper_museum, name="玉璧")])


def test_a_loan_goes_from_request_through_expert_review_to_closed_with_every_step_in_its_timeline(world, loan):
    review_all(world, loan)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.EXPERT_REVIEW
    assert {i.obj.name: i.expert_verdict for i in loan.items.all()} == {"鸟尊": "pending", "玉璧": ""}
    to_status(world, loan, LoanStatus.CLOSED)
    moves = list(AuditEntry.objects.filter(object_id=loan.pk).exclude(to_status="")
                 .order_by("pk").values_list("to_status", flat=True))
    assert moves == ["expert_review", "facility_review", "filing", "agreement", "transport", "dispatched", "on_loan",
                     "returned", "closed"]


def test_a_loan_without_first_grade_objects_skips_the_expert_review(world):
    loan = request(world, [make_object(world.helper_museum)])
    review_all(world, loan)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.FACILITY_REVIEW


def test_the_lender_may_send_other_objects_to_the_experts(world):
    loan = request(world, [make_object(world.helper_museum)])
    item = loan.items.get()
    s.loan_review_item(item=item, by=world.helper_staff, fit=True)
    s.loan_finish_review(loan=loan, by=world.helper_staff, send_to_experts=[item.pk])
    loan.refresh_from_db()
    assert loan.status == LoanStatus.EXPERT_REVIEW


def test_the_object_review_needs_every_object_judged_a_note_for_unfit_and_one_fit_object(world, loan):
    a, b = loan.items.all()
    with pytest.raises(ValidationError, match="不宜出借必须说明原因"):
        s.loan_review_item(item=a, by=world.helper_staff, fit=False)
    s.loan_review_item(item=a, by=world.helper_staff, fit=False, note="有裂隙")
    with pytest.raises(ValidationError, match="还有藏品未审查"):
        s.loan_finish_review(loan=loan, by=world.helper_staff)
    s.loan_review_item(item=b, by=world.helper_staff, fit=False, note="褪色")
    with pytest.raises(ValidationError, match="没有适宜出借的藏品：请拒绝出借"):
        s.loan_finish_review(loan=loan, by=world.helper_staff)


def test_experts_judge_every_object_sent_and_unfit_ones_are_dropped(world, loan):
    review_all(world, loan)
    first = loan.items.get(obj__name="鸟尊")
    with pytest.raises(ValidationError, match="请给出每件送评藏品的评估意见"):
        s.loan_expert_review(loan=loan, by=world.helper_staff, experts="张三", date=today(), opinion="…", verdicts={})
    with pytest.raises(ValidationError, match="不宜展陈运输必须说明原因"):
        s.loan_expert_review(loan=loan, by=world.helper_staff, experts="张三", date=today(), opinion="意见",
                             verdicts={first.pk: (False, "")})
    s.loan_expert_review(loan=loan, by=world.helper_staff, experts="张三、李四", date=today(),
                         opinion="鸟尊不宜长途运输", verdicts={first.pk: (False, "胎体脆弱")})
    loan.refresh_from_db()
    first.refresh_from_db()
    assert loan.status == LoanStatus.FACILITY_REVIEW and loan.expert_names == "张三、李四"
    assert not first.in_loan and first.expert_verdict == "unfit"
    assert [f["name"] for f in s.required_filings(loan)] == ["主管部门"]  # no 一级 left: no national filing


def test_illegal_moves_are_refused_with_the_states_named(world, loan):
    with pytest.raises(ValidationError, match="借展当前为“待审查藏品”，不能改为“运输途中”"):
        s.loan_dispatch(loan=loan, by=world.helper_staff, date=today())
    with pytest.raises(ValidationError, match="不能改为“已结束”"):
        s.loan_close(loan=loan, by=world.helper_staff)
    with pytest.raises(ValidationError):
        s.loan_sign(loan=loan, by=world.helper_staff, number="1", signed_on=today())
    with pytest.raises(ValidationError, match="不能改为“已取消”"):
        s.loan_cancel(loan=loan, by=world.helped_staff, reason="不借了")
    to_status(world, loan, LoanStatus.ON_LOAN)
    with pytest.raises(ValidationError, match="不能改为“已拒绝”"):
        s.loan_decline(loan=loan, by=world.helper_staff, reason="不借")
    with pytest.raises(ValidationError, match="不能改为“已撤回”"):
        s.loan_withdraw(loan=loan, by=world.helped_staff, reason="不借")


def test_each_side_takes_only_its_own_steps(world, loan):
    item = loan.items.first()
    for user in (world.helped_staff, world.outsider, world.admin, world.province_supervisor):
        with pytest.raises(PermissionDenied):
            s.loan_review_item(item=item, by=user, fit=True)
        with pytest.raises(PermissionDenied):
            s.loan_decline(loan=loan, by=user, reason="x")
    for user in (world.helper_staff, world.outsider, world.admin):
        with pytest.raises(PermissionDenied):
            s.loan_withdraw(loan=loan, by=user, reason="x")
    to_status(world, loan, LoanStatus.DISPATCHED)
    with pytest.raises(PermissionDenied):
        s.loan_receive(loan=loan, by=world.helper_staff, date=today())
    s.loan_receive(loan=loan, by=world.helped_admin, date=today())
    with pytest.raises(PermissionDenied):
        s.loan_return(loan=loan, by=world.helped_staff, date=today())


def test_either_side_records_filings_and_the_association_may_only_cancel(world, loan):
    to_status(world, loan, LoanStatus.FILING)
    with pytest.raises(PermissionDenied):
        s.loan_record_filing(loan=loan, by=world.admin, authority="competent", kind="filing", document_number="1",
                             date=today())
    s.loan_record_filing(loan=loan, by=world.helper_staff, authority="competent", kind="filing",
                         document_number="晋文物〔2026〕1号", date=today(), authority_name="山西省文物局")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.FILING  # 国家文物局 still to file (a 一级文物)
    with pytest.raises(ValidationError, match="已经登记"):
        s.loan_record_filing(loan=loan, by=world.helped_staff, authority="competent", kind="filing",
                             document_number="2", date=today())
    with pytest.raises(ValidationError, match="本借展无需此项备案审批；需要的是：报主管部门备案、报国家文物局备案"):
        s.loan_record_filing(loan=loan, by=world.helped_staff, authority="provincial", kind="approval",
                             document_number="2", date=today())
    with pytest.raises(PermissionDenied):
        s.loan_cancel(loan=loan, by=world.province_supervisor, reason="x")
    with pytest.raises(ValidationError, match="取消必须说明原因"):
        s.loan_cancel(loan=loan, by=world.admin, reason=" ")
    s.loan_cancel(loan=loan, by=world.admin, reason="国家文物局未予备案")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED


def test_recording_the_last_required_filing_moves_on_to_the_agreement(world):
    loan = request(world, [make_object(world.helper_museum)])
    to_status(world, loan, LoanStatus.FILING)
    s.loan_record_filing(loan=loan, by=world.helped_staff, authority="competent", kind="filing",
                         document_number="晋文物〔2026〕9号", date=today())
    loan.refresh_from_db()
    assert loan.status == LoanStatus.AGREEMENT
    assert s.required_filings(loan)[0]["done"].document_number == "晋文物〔2026〕9号"


def test_dispatch_needs_insurance_transport_and_an_outgoing_report_for_every_object(world):
    loan = request(world, [make_object(world.helper_museum, name="甲"), make_object(world.helper_museum, name="乙")])
    to_status(world, loan, LoanStatus.TRANSPORT)
    with pytest.raises(ValidationError, match="发运前请登记保险公司、保单号和承运单位"):
        s.loan_dispatch(loan=loan, by=world.helper_staff, date=today())
    for amount in (-1, 10**12, "abc"):
        with pytest.raises(ValidationError):
            s.loan_set_transport(loan=loan, by=world.helped_staff, insurer="人保", policy_number="P1",
                                 insured_amount=amount, courier="运输公司", crates=1)
    s.loan_set_transport(loan=loan, by=world.helped_staff, insurer="人保", policy_number="P1",
                         insured_amount=500000, courier="运输公司", crates=1)
    first = loan.items.get(obj__name="甲")
    s.loan_condition_check(item=first, by=world.helper_staff, direction="outgoing", condition="good",
                           checked_on=today(), examiner="王")
    with pytest.raises(ValidationError, match="发运前请为每件藏品登记出馆点交记录：乙"):
        s.loan_dispatch(loan=loan, by=world.helper_staff, date=today())
    with pytest.raises(ValidationError, match="归还点交只能在藏品借出、尚未归还时登记"):
        s.loan_condition_check(item=first, by=world.helper_staff, direction="incoming", condition="good",
                               checked_on=today(), examiner="王")


def test_objects_come_back_one_by_one_each_with_its_incoming_report(world):
    loan = request(world, [make_object(world.helper_museum, name="甲"), make_object(world.helper_museum, name="乙")])
    to_status(world, loan, LoanStatus.ON_LOAN)
    first, second = loan.items.get(obj__name="甲"), loan.items.get(obj__name="乙")
    with pytest.raises(ValidationError, match="出馆点交只能在发运前"):
        s.loan_condition_check(item=first, by=world.helper_staff, direction="outgoing", condition="good",
                               checked_on=today(), examiner="王")
    with pytest.raises(ValidationError, match="归还前请为每件藏品登记归还点交记录：甲"):
        s.loan_return(loan=loan, by=world.helper_staff, items=[first], date=today())
    s.loan_condition_check(item=first, by=world.helped_staff, direction="incoming", condition="good",
                           checked_on=today(), examiner="李")
    s.loan_return(loan=loan, by=world.helper_staff, items=[first], date=today())
    loan.refresh_from_db()
    first.refresh_from_db()
    assert loan.status == LoanStatus.RETURNING and first.returned_on == today() and loan.returned_on is None
    with pytest.raises(ValidationError, match="只能归还本次借展中尚未归还的藏品"):
        s.loan_return(loan=loan, by=world.helper_staff, items=[first], date=today())
    with pytest.raises(ValidationError, match="归还点交只能在藏品借出、尚未归还时登记"):
        s.loan_condition_check(item=first, by=world.helper_staff, direction="incoming", condition="fair",
                               checked_on=today(), examiner="王")
    s.loan_condition_check(item=second, by=world.helper_staff, direction="incoming", condition="good",
                           checked_on=today(), examiner="王")
    s.loan_return(loan=loan, by=world.helper_staff, date=today())
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.returned_on == today()


def test_an_incoming_report_worse_than_the_outgoing_one_is_flagged_and_the_lender_told(
        world, django_capture_on_commit_callbacks):
    loan = request(world, [make_object(world.helper_museum, name="甲"), make_object(world.helper_museum, name="乙"),
                           make_object(world.helper_museum, name="丙")])
    to_status(world, loan, LoanStatus.ON_LOAN)
    a, b, c = (loan.items.get(obj__name=n) for n in "甲乙丙")
    with django_capture_on_commit_callbacks(execute=True):
        worse = s.loan_condition_check(item=a, by=world.helped_staff, direction="incoming", condition="fair",
                                       checked_on=today(), examiner="李", notes="口沿新增磕痕")
    damaged = s.loan_condition_check(item=b, by=world.helped_staff, direction="incoming", condition="good",
                                     checked_on=today(), examiner="李", new_damage=True)
    same = s.loan_condition_check(item=c, by=world.helped_staff, direction="incoming", condition="good",
                                  checked_on=today(), examiner="李")
    assert (worse.differs, damaged.differs, same.differs) == (True, True, False)
    told = Notification.objects.filter(title__contains="甲").filter(title__contains="归还时状况与出馆时不一致")
    assert {n.user for n in told} == {world.helper_admin, world.helper_staff}


def test_closing_writes_one_ledger_entry_in_exhibitions_counting_the_objects_lent(world):
    loan = request(world, [make_object(world.helper_museum), make_object(world.helper_museum),
                           make_object(world.helper_museum)], exhibition_title="晋国霸业")
    for i, item in enumerate(loan.items.all()):
        s.loan_review_item(item=item, by=world.helper_staff, fit=i < 2, note="" if i < 2 else "修复后再借")
    s.loan_finish_review(loan=loan, by=world.helper_staff)
    to_status(world, loan, LoanStatus.CLOSED)
    entries = LedgerEntry.objects.filter(source_type="loans.loan", source_id=loan.pk)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.helper, entry.helped, entry.area, entry.kind, entry.object_count) == (
        world.helper_museum, world.helped_museum, "loan", "借展", 2)
    assert "《晋国霸业》" in entry.description and entry.confirmation == "confirmed"
    with pytest.raises(ValidationError):
        s.loan_close(loan=loan, by=world.helper_staff)
    assert entries.count() == 1


def test_the_entry_belongs_to_the_two_museums_open_pairing(world):
    from bangfu.pairings.services import pairing_create
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=today() - datetime.timedelta(days=30),
                             end_date=today() + datetime.timedelta(days=300))
    loan = to_status(world, request(world, [make_object(world.helper_museum)]), LoanStatus.CLOSED)
    assert LedgerEntry.objects.get(source_type="loans.loan", source_id=loan.pk).pairing == pairing


def test_every_step_tells_the_other_side(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        loan = request(world, [make_object(world.helper_museum)])
    assert Notification.objects.filter(user=world.helper_staff, title__contains="申请借展").exists()
    assert not Notification.objects.filter(user=world.helped_staff).exists()
    with django_capture_on_commit_callbacks(execute=True):
        s.loan_decline(loan=loan, by=world.helper_admin, reason="该器物同期在本馆展出")
    told = Notification.objects.get(user=world.helped_staff)
    assert "出借方拒绝出借" in told.title and told.body == "该器物同期在本馆展出"


def test_next_actions_are_the_users_sides_steps_in_the_current_state(world, loan):
    assert [a["action"] for a in s.next_actions(loan, world.helper_staff)] == ["review_item", "finish_review",
                                                                            "decline"]
    assert [a["action"] for a in s.next_actions(loan, world.helped_staff)] == ["withdraw"]
    assert s.next_actions(loan, world.outsider) == [] and s.next_actions(loan, world.admin) == []
    to_status(world, loan, LoanStatus.FILING)
    assert [a["action"] for a in s.next_actions(loan, world.helped_staff)] == ["file", "withdraw", "cancel"]
    assert [a["action"] for a in s.next_actions(loan, world.admin)] == ["cancel"]
    to_status(world, loan, LoanStatus.DISPATCHED)
    assert [a["action"] for a in s.next_actions(loan, world.helped_staff)] == ["receive"]
    assert s.next_actions(loan, world.helper_staff) == []


def test_object_loan_days_adds_up_every_loan_that_is_not_void(world):
    obj = make_object(world.helper_museum)
    start = today() + datetime.timedelta(days=10)
    request(world, [obj], start=start, end=start + datetime.timedelta(days=9))
    later = start + datetime.timedelta(days=100)
    withdrawn = request(world, [obj], start=later, end=later + datetime.timedelta(days=19), by=world.outsider)
    assert s.object_loan_days(obj) == 30
    s.loan_withdraw(loan=withdrawn, by=world.outsider, reason="取消展览")
    assert s.object_loan_days(obj) == 10


def test_the_other_side_cannot_overwrite_a_condition_report_and_the_recorder_corrects_it_keeping_the_flag(world):
    loan = request(world, [make_object(world.helper_museum, name="甲")])
    to_status(world, loan, LoanStatus.ON_LOAN)
    item = loan.items.get()
    first = s.loan_condition_check(item=item, by=world.helped_staff, direction="incoming", condition="fair",
                                   checked_on=today(), examiner="李", notes="口沿新增磕痕")
    assert first.differs
    with pytest.raises(ValidationError) as exc:
        s.loan_condition_check(item=item, by=world.helper_staff, direction="incoming", condition="good",
                               checked_on=today(), examiner="王")
    assert exc.value.message_dict["direction"][0].startswith("该件藏品的归还点交记录已登记（借入方登记）")
    first.refresh_from_db()
    assert (first.condition, first.examiner, first.recorded_by) == ("fair", "李", world.helped_staff)
    corrected = s.loan_condition_check(item=item, by=world.helped_staff, direction="incoming", condition="good",
                                       checked_on=today(), examiner="李", notes="复核：磕痕为旧伤")
    assert corrected.pk == first.pk and corrected.condition == "good" and corrected.differs  # never cleared
    entry = AuditEntry.objects.filter(action="更正归还点交记录").get()
    assert entry.changes["保存状态"] == ["基本完好", "完好"]
    with pytest.raises(PermissionDenied):
        s.loan_condition_check(item=item, by=world.admin, direction="incoming", condition="good",
                               checked_on=today(), examiner="协会")
