"""The loan pages: who sees what, the forms posting through the services and the page showing the result, refusals
beside the fields, bad input never a server error, and lists whose number of queries does not grow with the rows."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from PIL import Image

from bangfu.core.models import Attachment, AuditEntry
from bangfu.loans.models import ConditionCheck, Loan, LoanRule, LoanStatus
from tests.loans_helpers import days, make_object, request, to_status, today


def _png(color="red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), color).save(buffer, "PNG")
    return SimpleUploadedFile("现场.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def loan(world):
    return request(world, [make_object(world.helper_museum, name="青铜鼎"),
                           make_object(world.helper_museum, name="彩绘陶壶", material="陶")],
                   exhibition_title="晋国青铜文明展")


def detail(loan):
    return reverse("loans:detail", args=[loan.pk])


def step(loan, action):
    return reverse("loans:step", args=[loan.pk, action])


# --- who sees what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [
    ("helper_staff", 200), ("helper_admin", 200), ("helped_staff", 200), ("admin", 200),
    ("province_supervisor", 200), ("outsider", 404), ("outsider_admin", 404), ("expert", 404),
])
def test_the_loan_page_is_seen_by_its_two_sides_the_association_and_supervisors_only(world, loan, login, who,
                                                                                       status):
    response = login(getattr(world, who)).get(detail(loan))
    assert response.status_code == status
    if status == 200:
        assert "晋国青铜文明展" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, loan):
    response = client.get(detail(loan))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_lender_is_asked_to_review_and_the_borrower_waits(world, loan, login):
    lender_page = login(world.helper_staff).get(detail(loan)).content.decode()
    assert f'data-testid="review-{loan.items.first().pk}"' in lender_page
    assert "完成藏品审查" in lender_page and "拒绝出借" in lender_page
    borrower_page = login(world.helped_staff).get(detail(loan)).content.decode()
    assert "review-" + str(loan.items.first().pk) not in borrower_page
    assert "撤回申请" in borrower_page and "完成藏品审查" not in borrower_page


def test_a_supervisor_reads_the_loan_but_cannot_act_on_it(world, loan, login):
    client = login(world.province_supervisor)
    page = client.get(detail(loan)).content.decode()
    assert 'data-testid="no-action"' in page and "不参与办理" in page
    assert client.post(step(loan, "decline"), {"decline-reason": "不借"}).status_code == 403
    item = loan.items.first()
    assert client.post(reverse("loans:review_item", args=[item.pk]), {f"item{item.pk}-fit": "1"}).status_code == 403
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.REQUESTED


def test_the_borrower_cannot_take_the_lenders_step(world, loan, login):
    response = login(world.helped_staff).post(step(loan, "finish_review"))
    assert response.status_code == 403


def test_an_unknown_step_is_not_found(world, loan, login):
    assert login(world.helper_staff).post(step(loan, "teleport")).status_code == 404


# --- the request -------------------------------------------------------------------------------------------------


def test_an_object_in_the_address_preselects_it_and_its_museum(world, login):
    obj = make_object(world.helper_museum, name="玉璧")
    page = login(world.helped_staff).get(reverse("loans:request") + f"?object={obj.pk}").content.decode()
    checkbox = f'name="objects" value="{obj.pk}"'  # (not the lender's option: ids of museums and objects meet)
    assert checkbox in page and "checked" in page.split(checkbox)[1][:60]
    assert "借展期限" in page and "第五十六条" in page  # the rules beside the form, with their sources


def _request_data(world, chosen, **changes):
    start = days(60)
    data = {"lender": world.helper_museum.pk, "objects": [o.pk for o in chosen], "kind": "loan",
            "exhibition_title": "玉润三晋", "purpose": "充实县馆陈列", "venue": "安泽县博物馆一号展厅",
            "start": start.isoformat(), "end": (start + datetime.timedelta(days=90)).isoformat(), "opening": ""}
    return data | changes


def test_a_request_goes_through_the_service_and_opens_the_loan_page(world, login):
    obj = make_object(world.helper_museum, name="玉璧")
    client = login(world.helped_staff)
    response = client.post(reverse("loans:request"), _request_data(world, [obj]))
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(loan)
    assert loan.borrower == world.helped_museum and loan.lender == world.helper_museum
    assert "玉润三晋" in client.get(detail(loan)).content.decode()


def test_a_refused_object_is_said_beside_the_objects(world, login):
    obj = make_object(world.helper_museum, name="无档案铜镜", has_record=False)
    response = login(world.helped_staff).post(reverse("loans:request"), _request_data(world, [obj]))
    assert response.status_code == 400
    form = response.context["form"]
    assert any("第五十八条" in m for messages in form.errors.values() for m in messages)
    assert not Loan.objects.exists()


def test_a_term_over_the_limit_is_refused_beside_the_end(world, login):
    obj = make_object(world.helper_museum)
    data = _request_data(world, [obj], end=(days(60) + datetime.timedelta(days=4 * 365)).isoformat())
    response = login(world.helped_staff).post(reverse("loans:request"), data)
    assert response.status_code == 400
    assert "第五十六条" in " ".join(response.context["form"].errors.get("end", []))


def test_an_opening_too_soon_warns_of_the_filing_lead(world, login):
    obj = make_object(world.helper_museum)
    data = _request_data(world, [obj], start=days(3).isoformat(), end=days(40).isoformat())
    response = login(world.helped_staff).post(reverse("loans:request"), data, follow=True)
    assert "第三十一条" in response.content.decode()


@pytest.mark.parametrize("start, end", [("9999-01-01", "9999-12-31"), ("2020-12-01", "9999-12-31"),
                                        ("", "9999-12-31")])
def test_refused_or_far_future_dates_are_not_counted_for_warnings(world, login, monkeypatch, start, end):
    from bangfu.loans import services

    def refuse(*args):
        raise AssertionError("working days counted for refused dates")

    monkeypatch.setattr(services, "working_days_between", refuse)
    LoanRule.objects.filter(code="max_term").update(enabled=False)
    obj = make_object(world.helper_museum, has_record=False)  # refused anyway: the page is shown again
    start = start or days(60).isoformat()  # accepted dates, the opening thousands of years ahead
    data = _request_data(world, [obj], start=start, end=end, opening=end)
    response = login(world.helped_staff).post(reverse("loans:request"), data)
    assert response.status_code == 400 and response.context["warnings"] == []


@pytest.mark.parametrize("changes", [
    {"lender": "99999999999999999999"}, {"lender": "１２"}, {"objects": ["abc", "-1"]},
    {"start": "2026-02-30"}, {"end": "９９９９-99-99"}, {"purpose": "a\x00b\x0bc"}, {"venue": "长" * 10_000},
    {"kind": "<script>alert(1)</script>"}, {"exhibition_title": "<img src=x onerror=alert(1)>"},
])
def test_bad_input_on_the_request_is_never_a_server_error(world, login, changes):
    obj = make_object(world.helper_museum)
    client = login(world.helped_staff)
    response = client.post(reverse("loans:request"), _request_data(world, [obj], **changes), follow=True)
    assert response.status_code == (200 if "exhibition_title" in changes else 400)  # a strange title is a title
    assert b"<script>alert(1)" not in response.content and b"<img src=x" not in response.content


def test_only_museum_staff_may_request(world, login):
    assert login(world.expert).get(reverse("loans:request")).status_code == 403
    assert login(world.admin).get(reverse("loans:request")).status_code == 403


# --- the steps through the pages -------------------------------------------------------------------------------


def test_a_loan_walks_from_the_review_to_the_close_through_the_pages(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = make_object(world.helper_museum, name="晋侯鸟尊", grade="一级")
    second = make_object(world.helper_museum, name="彩绘陶壶", material="陶")
    loan = request(world, [first, second], exhibition_title="晋国青铜文明展")
    lender, borrower = login(world.helper_staff), None
    for item in loan.items.all():
        response = lender.post(reverse("loans:review_item", args=[item.pk]),
                               {f"item{item.pk}-fit": "1", f"item{item.pk}-note": "状况良好"})
        assert response.status_code == 302
    assert lender.post(step(loan, "finish_review")).status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.EXPERT_REVIEW  # a 一级文物 goes to the experts
    page = lender.get(detail(loan)).content.decode()
    pending = loan.items.get(obj=first)
    assert f"expert_review-verdict_{pending.pk}" in page
    response = lender.post(step(loan, "expert_review"), {
        "expert_review-experts": "孙文博", "expert_review-date": today().isoformat(),
        "expert_review-opinion": "适宜", f"expert_review-verdict_{pending.pk}": "1"})
    assert response.status_code == 302, response.context and response.context.get("actions")
    response = lender.post(step(loan, "facility_review"), {
        "facility_review-security": "监控", "facility_review-fire": "气体灭火", "facility_review-climate": "恒温恒湿",
        "facility_review-note": "满足"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.FILING
    page = lender.get(detail(loan)).content.decode()
    assert "报主管部门备案" in page and "报国家文物局备案" in page
    for which in ("competent:filing", "national:filing"):
        response = lender.post(step(loan, "file"), {"file-which": which, "file-document_number": "晋文物〔2026〕1号",
                                                    "file-date": today().isoformat()})
        assert response.status_code == 302
    assert lender.post(step(loan, "sign"), {"sign-number": "JZ-1", "sign-signed_on": today().isoformat()}) \
        .status_code == 302
    response = lender.post(step(loan, "transport"), {
        "transport-insurer": "中国人保", "transport-policy_number": "P-1", "transport-insured_amount": "1000000",
        "transport-courier": "文物运输公司", "transport-crates": "2"})
    assert response.status_code == 302
    for item in loan.items.all():
        response = lender.post(reverse("loans:check", args=[item.pk, "outgoing"]), {
            "condition": "good", "notes": "完好", "examiner": "王保管", "checked_on": today().isoformat(),
            "photos": [_png(), _png("blue")]})
        assert response.status_code == 302
    assert Attachment.objects.filter(content_type__model="conditioncheck").count() == 4
    assert lender.post(step(loan, "dispatch"), {"dispatch-date": today().isoformat()}).status_code == 302
    borrower = login(world.helped_staff)
    assert borrower.post(step(loan, "receive"), {"receive-date": today().isoformat()}).status_code == 302
    lender = login(world.helper_staff)
    flagged, fine = loan.items.order_by("pk")
    incoming_form = lender.get(reverse("loans:check", args=[flagged.pk, "incoming"])).content.decode()
    assert 'data-testid="outgoing-report"' in incoming_form  # the outgoing report beside the form
    for item, condition, damage in ((flagged, "fair", "on"), (fine, "good", "")):
        data = {"condition": condition, "notes": "口沿磕痕" if damage else "一致", "examiner": "王保管",
                "checked_on": today().isoformat()}
        if damage:
            data["new_damage"] = damage
        assert lender.post(reverse("loans:check", args=[item.pk, "incoming"]), data).status_code == 302
    assert ConditionCheck.objects.get(item=flagged, direction="incoming").differs
    assert lender.post(step(loan, "return"), {"return-date": today().isoformat()}).status_code == 302
    page = lender.get(detail(loan)).content.decode()
    assert 'data-testid="differs-flag"' in page and 'data-testid="differs"' in page
    assert lender.post(step(loan, "close")).status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED
    page = lender.get(detail(loan)).content.decode()
    assert "借展已结束" in page and "结束借展" in page  # the timeline's last move


def test_an_unfit_object_without_a_note_is_refused_beside_the_note(world, loan, login):
    item = loan.items.first()
    response = login(world.helper_staff).post(reverse("loans:review_item", args=[item.pk]),
                                              {f"item{item.pk}-fit": "0", f"item{item.pk}-note": ""})
    assert response.status_code == 400
    assert "必须说明原因" in response.content.decode()


def test_a_decline_needs_a_reason_and_keeps_the_record(world, loan, login):
    client = login(world.helper_staff)
    response = client.post(step(loan, "decline"), {"decline-reason": ""})
    assert response.status_code == 400 and "请填写此项" in response.content.decode()
    assert client.post(step(loan, "decline"), {"decline-reason": "展期冲突"}).status_code == 302
    page = client.get(detail(loan)).content.decode()
    assert "已拒绝" in page and "展期冲突" in page


def test_a_step_refused_by_the_service_is_said_on_the_page(world, loan, login):
    response = login(world.helper_staff).post(step(loan, "finish_review"), follow=True)
    assert "还有藏品未审查" in response.content.decode()


@pytest.mark.parametrize("date", ["99999999999999999999", "２０２６-01-01", "2026-13-01", "\x00", ""])
def test_bad_dates_on_a_step_are_never_a_server_error(world, loan, login, date):
    loan = to_status(world, loan, LoanStatus.TRANSPORT)
    response = login(world.helper_staff).post(step(loan, "dispatch"), {"dispatch-date": date})
    assert response.status_code == 400


def test_a_dispatch_without_the_outgoing_reports_is_refused_on_the_page(world, loan, login):
    loan = to_status(world, loan, LoanStatus.AGREEMENT)
    client = login(world.helper_staff)
    client.post(step(loan, "sign"), {"sign-number": "JZ-9", "sign-signed_on": today().isoformat()})
    client.post(step(loan, "transport"), {"transport-insurer": "人保", "transport-policy_number": "P",
                                          "transport-courier": "运输公司"})
    response = client.post(step(loan, "dispatch"), {"dispatch-date": today().isoformat()})
    assert response.status_code == 400 and "出馆点交记录" in response.content.decode()


def test_an_insured_amount_below_the_objects_values_warns_in_the_transport_step_and_the_api(world, login):
    from decimal import Decimal

    from bangfu.loans import services

    loan = request(world, [make_object(world.helper_museum, insurance_value=Decimal("800000")),
                           make_object(world.helper_museum, insurance_value=Decimal("700000"))])
    loan = to_status(world, loan, LoanStatus.AGREEMENT)
    services.loan_sign(loan=loan, by=world.helped_staff, number="JZ-9", signed_on=today())
    services.loan_set_transport(loan=loan, by=world.helped_staff, insurer="人保", policy_number="P",
                                insured_amount=1_000_000, courier="运输公司", crates=1)
    html = login(world.helper_staff).get(detail(loan)).content.decode()
    assert 'data-testid="insurance-shortfall"' in html and "相差 500,000.00 元" in html
    from bangfu.loans.api import loan_detail

    assert any("相差 500,000.00 元" in w for w in loan_detail(loan, world.helper_staff)["warnings"])
    services.loan_set_transport(loan=loan, by=world.helped_staff, insurer="人保", policy_number="P",
                                insured_amount=1_500_000, courier="运输公司", crates=1)
    assert 'data-testid="insurance-shortfall"' not in login(world.helper_staff).get(detail(loan)).content.decode()


def test_a_photo_that_is_not_an_image_is_refused_beside_the_photos_and_nothing_is_saved(world, loan, login,
                                                                                          settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    loan = to_status(world, loan, LoanStatus.AGREEMENT)
    client = login(world.helper_staff)
    client.post(step(loan, "sign"), {"sign-number": "JZ-9", "sign-signed_on": today().isoformat()})
    item = loan.items.first()
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(reverse("loans:check", args=[item.pk, "outgoing"]), {
        "condition": "good", "examiner": "王", "checked_on": today().isoformat(), "photos": [fake]})
    assert response.status_code == 400
    assert response.context["form"].errors.get("photos")
    assert not ConditionCheck.objects.exists()


def test_the_condition_form_is_made_for_a_phone_camera(world, loan, login):
    loan = to_status(world, loan, LoanStatus.AGREEMENT)
    login(world.helper_staff).post(step(loan, "sign"), {"sign-number": "JZ-9",
                                                        "sign-signed_on": today().isoformat()})
    page = login(world.helper_staff).get(reverse("loans:check", args=[loan.items.first().pk, "outgoing"]))
    html = page.content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "multiple" in html


def test_a_condition_report_is_corrected_only_by_the_side_that_recorded_it(world, loan, login):
    loan = to_status(world, loan, LoanStatus.ON_LOAN)
    item = loan.items.first()
    url = reverse("loans:check", args=[item.pk, "incoming"])
    borrower = login(world.helped_staff)
    response = borrower.post(url, {"condition": "fair", "examiner": "李", "checked_on": today().isoformat()})
    assert response.status_code == 302
    lender = login(world.helper_staff)
    page = lender.get(url)
    assert page.context["form"] is None and 'data-testid="saved-report"' in page.content.decode()
    assert lender.post(url, {"condition": "good", "examiner": "王",
                             "checked_on": today().isoformat()}).status_code == 403
    assert ConditionCheck.objects.get(item=item, direction="incoming").condition == "fair"
    borrower = login(world.helped_staff)
    page = borrower.get(url)
    assert page.context["form"] is not None and page.context["form"].initial["condition"] == "fair"
    assert borrower.post(url, {"condition": "poor", "examiner": "李",
                               "checked_on": today().isoformat()}).status_code == 302
    check = ConditionCheck.objects.get(item=item, direction="incoming")
    assert check.condition == "poor" and check.differs


# --- documents ---------------------------------------------------------------------------------------------------


def test_the_agreement_prints_and_exports_with_the_objects(world, loan, login):
    loan = to_status(world, loan, LoanStatus.TRANSPORT)
    client = login(world.helped_staff)
    page = client.get(reverse("loans:agreement_print", args=[loan.pk])).content.decode()
    number = loan.items.first().obj.registration_number
    assert world.helper_museum.name in page and number in page and "甲方（盖章）" in page
    response = client.get(reverse("loans:agreement_docx", args=[loan.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert world.helped_museum.name in text and "JZ-2026-01" in text and number in cells


# --- the list ----------------------------------------------------------------------------------------------------


def test_the_list_has_tabs_for_loans_in_and_out(world, login):
    out = request(world, [make_object(world.helper_museum)], exhibition_title="借出的展")
    back = request(world, [make_object(world.helped_museum)], by=world.helper_staff, lender=world.helped_museum,
                   exhibition_title="借入的展", venue="山西博物院")
    client = login(world.helper_staff)
    everything = client.get(reverse("loans:list")).content.decode()
    assert "借出的展" in everything and "借入的展" in everything
    lent = client.get(reverse("loans:list") + "?tab=out").content.decode()
    assert "借出的展" in lent and "借入的展" not in lent
    borrowed = client.get(reverse("loans:list") + "?tab=in").content.decode()
    assert "借入的展" in borrowed and "借出的展" not in borrowed
    assert out.pk != back.pk


def test_the_list_flags_overdue_loans_and_filters_them(world, login):
    loan = request(world, [make_object(world.helper_museum)], exhibition_title="逾期的展", start=days(-30),
                   end=days(-5), today=days(-40))
    to_status(world, loan, LoanStatus.ON_LOAN)
    request(world, [make_object(world.helper_museum)], exhibition_title="正常的展")
    page = login(world.admin).get(reverse("loans:list") + "?overdue=1").content.decode()
    assert "逾期的展" in page and 'data-testid="overdue"' in page and "正常的展" not in page


def test_the_association_filters_by_lender_and_borrower(world, login):
    request(world, [make_object(world.helper_museum)], exhibition_title="省馆出借")
    client = login(world.admin)
    page = client.get(reverse("loans:list") + f"?borrower={world.other_museum.pk}").content.decode()
    assert "省馆出借" not in page
    page = client.get(reverse("loans:list") + f"?lender={world.helper_museum.pk}").content.decode()
    assert "省馆出借" in page


def test_an_outsider_sees_none_of_the_others_loans(world, loan, login):
    page = login(world.outsider).get(reverse("loans:list")).content.decode()
    assert "晋国青铜文明展" not in page and 'data-testid="no-loans"' in page


def test_the_list_answers_htmx_with_the_results_only(world, loan, login):
    response = login(world.helper_staff).get(reverse("loans:list") + "?status=requested",
                                             HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "<html" not in html and "晋国青铜文明展" in html


@pytest.mark.parametrize("query", ["?status=%3Cscript%3E", "?lender=99999999999999999999", "?borrower=%EF%BC%91",
                                   "?tab=%00", "?page=-1", "?overdue=2"])
def test_hostile_list_parameters_are_ignored(world, loan, login, query):
    assert login(world.admin).get(reverse("loans:list") + query).status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_of_the_list_does_not_grow_with_the_loans(world, login):
    request(world, [make_object(world.helper_museum)])
    client = login(world.helper_staff)
    few = _count(client, reverse("loans:list"))
    for _ in range(6):
        request(world, [make_object(world.helper_museum), make_object(world.helper_museum)])
    assert _count(client, reverse("loans:list")) == few
    admin = login(world.admin)
    assert _count(admin, reverse("loans:list")) <= few + 3


def test_the_loan_page_queries_do_not_grow_with_the_objects(world, login):
    small = request(world, [make_object(world.helper_museum)])
    large = request(world, [make_object(world.helper_museum) for _ in range(8)])
    client = login(world.helper_staff)
    assert _count(client, detail(large)) == _count(client, detail(small))


# --- the rules table and an object's history --------------------------------------------------------------------


def test_everyone_signed_in_reads_the_rules_with_their_sources(world, login):
    page = login(world.expert).get(reverse("loans:rules")).content.decode()
    assert "一级文物累计借展期限" in page and "国家文物局关于馆藏一级文物借展管理的通知" in page
    assert "rule-form-" not in page


def test_the_association_changes_a_rule_and_the_change_is_audited(world, login):
    rule = LoanRule.objects.get(code="max_term")
    client = login(world.admin)
    response = client.post(reverse("loans:rules"), {
        "rule": rule.pk, f"rule{rule.pk}-title": rule.title, f"rule{rule.pk}-source": rule.source,
        f"rule{rule.pk}-enabled": "on", f"rule{rule.pk}-value": "24"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.value == 24
    assert AuditEntry.objects.filter(object_type="loans.loanrule", object_id=str(rule.pk)).exists()


@pytest.mark.parametrize("value", ["0", "99999999999999999999", "abc", "１２００１", ""])
def test_a_bad_rule_value_is_refused_beside_the_value(world, login, value):
    rule = LoanRule.objects.get(code="max_term")
    response = login(world.admin).post(reverse("loans:rules"), {
        "rule": rule.pk, f"rule{rule.pk}-title": rule.title, f"rule{rule.pk}-source": rule.source,
        f"rule{rule.pk}-enabled": "on", f"rule{rule.pk}-value": value})
    assert response.status_code == 400
    assert LoanRule.objects.get(pk=rule.pk).value == 36


def test_the_pages_say_a_non_state_lenders_loan_needs_no_statutory_filing(world, login):
    from tests.factories import make_museum, make_user

    private = make_museum("平遥民间博物馆", city="140700", ownership="非国有")
    make_user("museum_staff", museum=private, username="pingyao_staff")
    loan = request(world, [make_object(private)], lender=private)
    html = login(world.helped_staff).get(detail(loan)).content.decode()
    assert "出借方为非国有文物收藏单位" in html and "无需法定备案或审批" in html
    rules = login(world.helped_staff).get(reverse("loans:rules")).content.decode()
    assert "适用于国有馆藏文物" in rules


def test_a_museum_cannot_change_the_rules(world, login):
    rule = LoanRule.objects.get(code="max_term")
    response = login(world.helper_admin).post(reverse("loans:rules"), {
        "rule": rule.pk, f"rule{rule.pk}-title": "改", f"rule{rule.pk}-source": "改", f"rule{rule.pk}-value": "1"})
    assert response.status_code == 403
    assert LoanRule.objects.get(pk=rule.pk).title != "改"


def test_an_objects_history_shows_its_loans_and_the_time_on_loan_against_the_cap(world, login):
    obj = make_object(world.helper_museum, name="晋侯鸟尊", grade="一级")
    request(world, [obj], start=days(30), end=days(119), exhibition_title="第一次借展")
    page = login(world.helped_staff).get(reverse("loans:object_history", args=[obj.pk])).content.decode()
    assert "安泽县博物馆" in page and "累计借展 <strong>90</strong> 天" in page and "上限约" in page
    assert 'id="history-data"' in page


def test_an_objects_history_hides_loans_the_user_may_not_see(world, login):
    obj = make_object(world.helper_museum)
    request(world, [obj])
    page = login(world.outsider).get(reverse("loans:object_history", args=[obj.pk])).content.decode()
    assert "安泽县博物馆" not in page  # the loan itself is not shown to a third museum…
    assert "只对借展双方、协会和主管单位开放" in page  # …and the total says where it comes from


def test_a_hidden_object_has_no_history_page_for_others(world, login):
    obj = make_object(world.helper_museum, offered=False)
    assert login(world.outsider).get(reverse("loans:object_history", args=[obj.pk])).status_code == 404


def test_the_lender_may_send_another_object_to_the_experts(world, login):
    first = make_object(world.helper_museum, name="晋侯鸟尊", grade="一级")
    other = make_object(world.helper_museum, name="彩绘陶壶", grade="三级")
    loan = request(world, [first, other])
    client = login(world.helper_staff)
    for item in loan.items.all():
        client.post(reverse("loans:review_item", args=[item.pk]), {f"item{item.pk}-fit": "1"})
    extra = loan.items.get(obj=other)
    page = client.get(detail(loan)).content.decode()
    assert f'value="{extra.pk}"' in page and "另送专家评估" in page
    assert client.post(step(loan, "finish_review"), {"finish_review-send_to_experts": [str(extra.pk)]}) \
        .status_code == 302
    assert set(loan.items.values_list("expert_verdict", flat=True)) == {"pending"}


PAGES = {
    "detail": lambda loan: detail(loan),
    "print": lambda loan: reverse("loans:agreement_print", args=[loan.pk]),
    "docx": lambda loan: reverse("loans:agreement_docx", args=[loan.pk]),
    "check": lambda loan: reverse("loans:check", args=[loan.items.first().pk, "outgoing"]),
}
ROLES = {"helper_staff": 200, "helper_admin": 200, "helped_staff": 200, "helped_admin": 200, "admin": 200,
         "province_supervisor": 200, "city_supervisor": 404, "outsider": 404, "outsider_admin": 404, "expert": 404}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_loan_page_answers_each_role_as_the_matrix_says(world, loan, client, login, page):
    url = PAGES[page](loan)
    for role, status in ROLES.items():
        assert login(getattr(world, role)).get(url).status_code == status, role
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_refreshing_the_objects_for_another_lender_keeps_what_was_typed(world, login):
    make_object(world.helped_museum, name="碑拓")  # another lender's object
    own = make_object(world.helper_museum, name="玉璧")
    page = login(world.helper_staff).get(reverse("loans:request") + f"?lender={world.helped_museum.pk}"
                                         "&purpose=%E5%85%85%E5%AE%9E&refresh=1").content.decode()
    assert "碑拓" in page and f'name="objects" value="{own.pk}"' not in page and "充实</textarea>" in page


def test_an_objects_history_shows_the_time_it_was_actually_away(world, login):
    obj = make_object(world.helper_museum, name="晋侯鸟尊", grade="一级")
    loan = request(world, [obj], start=days(30), end=days(119))
    Loan.objects.filter(pk=loan.pk).update(dispatched_on=days(-9))  # sent early, not back yet
    page = login(world.helped_staff).get(reverse("loans:object_history", args=[obj.pk])).content.decode()
    assert "约定 90 天" in page and "实际离馆 10 天" in page and "尚未归还" in page
