"""A loan in the browser from the request to the close, at a desktop's and at a phone's width: the borrower asks
for two objects (one 一级文物), the lender reviews each, records the experts' review, accepts the facility, both
filings are recorded, the agreement signed, insurance and transport set, an outgoing report made per object (one
with a photo taken on the phone), the objects dispatched and received, brought back with incoming reports (one
flagged), and the loan closed."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from bangfu.loans.models import ConditionCheck, Loan, LoanStatus
from tests.loans_helpers import make_object

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _step(page, action: str, fields: dict | None = None) -> None:
    for name, value in (fields or {}).items():
        page.fill(f"#id_{action}-{name}", value)
    page.click(f"[data-testid=step-{action}]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_loan_from_the_request_to_the_close(page, world, sign_in, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    today = timezone.localdate()
    iso = today.isoformat()
    bird = make_object(world.helper_museum, name="晋侯鸟尊", grade="一级")
    jar = make_object(world.helper_museum, name="彩绘陶壶", grade="三级", material="陶")
    photo = tmp_path / "出馆.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "#8a6d3b").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    # the borrower asks, from the object's link
    sign_in("helped_staff")
    page.goto(f"/loans/new/?object={bird.pk}")
    expect(page.locator("[data-testid=loan-rules]")).to_contain_text("第五十六条")
    expect(page.locator(f"input[name=objects][value='{bird.pk}']")).to_be_checked()
    page.check(f"input[name=objects][value='{jar.pk}']")
    page.fill("#id_exhibition_title", "晋国青铜文明展")
    page.fill("#id_purpose", "充实县馆青铜文化单元")
    page.fill("#id_venue", "安泽县博物馆一号展厅")
    page.fill("#id_start", (today + datetime.timedelta(days=60)).isoformat())
    page.fill("#id_end", (today + datetime.timedelta(days=150)).isoformat())
    page.click("[data-testid=submit-request]")
    expect(page.locator("[data-testid=loan-status]")).to_have_text("待审查藏品")
    loan = Loan.objects.get()
    if width == 1280:
        screenshot(page, "loan-requested-borrower")

    # the lender reviews each object, then the experts, the facility
    page.context.clear_cookies()
    sign_in("helper_staff")
    page.goto(f"/loans/{loan.pk}/")
    for item in loan.items.order_by("pk"):
        page.check(f"#id_item{item.pk}-fit_0")
        page.fill(f"#id_item{item.pk}-note", "状况良好")
        page.locator(f"[data-testid=review-{item.pk}] button").click()
        page.wait_for_load_state("networkidle")
    _step(page, "finish_review")
    expect(page.locator("[data-testid=loan-status]")).to_have_text("专家评估")
    pending = loan.items.get(obj=bird)
    page.check(f"#id_expert_review-verdict_{pending.pk}_0")
    _step(page, "expert_review", {"experts": "孙文博、王立新", "date": iso, "opinion": "适宜展陈和运输"})
    expect(page.locator("[data-testid=loan-status]")).to_have_text("场馆评估")
    expect(page.locator("[data-testid=no-climate]")).to_be_visible()
    _step(page, "facility_review", {"security": "24小时监控", "fire": "气体灭火", "climate": "恒温恒湿展柜",
                                    "note": "满足要求"})
    expect(page.locator("[data-testid=loan-status]")).to_have_text("备案审批")

    # the borrower records both filings (a 一级文物: also 国家文物局) and signs
    page.context.clear_cookies()
    sign_in("helped_staff")
    page.goto(f"/loans/{loan.pk}/")
    for which, number in (("competent:filing", "晋文物函〔2026〕1号"), ("national:filing", "文物博函〔2026〕2号")):
        page.select_option("#id_file-which", which)
        _step(page, "file", {"document_number": number, "date": iso})
    expect(page.locator("[data-testid=filing-done]")).to_have_count(2)
    _step(page, "sign", {"number": "JZXY-2026-01", "signed_on": iso})
    _step(page, "transport", {"insurer": "中国人保", "policy_number": "PICC-1", "insured_amount": "25000000",
                              "courier": "山西文物专业运输", "crates": "2"})
    expect(page.locator("[data-testid=loan-summary]")).to_contain_text("中国人保")

    # the lender's outgoing reports (a photo from the phone) and the dispatch
    page.context.clear_cookies()
    sign_in("helper_staff")
    for number, item in enumerate(loan.items.order_by("pk")):
        page.goto(f"/loans/{loan.pk}/")
        page.click(f"[data-testid=check-outgoing-{item.pk}]")
        page.check("#id_condition_0")
        page.fill("#id_notes", "器表完整")
        if number == 0:
            page.set_input_files("#id_photos", str(photo))
            screenshot(page, f"loan-condition-form-{width}")
        page.click("[data-testid=save-check]")
        page.wait_for_load_state("networkidle")
    assert ConditionCheck.objects.filter(direction="outgoing").count() == 2
    _step(page, "dispatch", {"date": iso})
    expect(page.locator("[data-testid=loan-status]")).to_have_text("运输途中")

    page.context.clear_cookies()
    sign_in("helped_staff")
    page.goto(f"/loans/{loan.pk}/")
    _step(page, "receive", {"date": iso})
    expect(page.locator("[data-testid=loan-status]")).to_have_text("借展中")

    # back: incoming reports, one flagged, then the return of all and the close
    page.context.clear_cookies()
    sign_in("helper_staff")
    for number, item in enumerate(loan.items.order_by("pk")):
        page.goto(f"/loans/{loan.pk}/")
        page.click(f"[data-testid=check-incoming-{item.pk}]")
        expect(page.locator("[data-testid=outgoing-report]")).to_contain_text("器表完整")
        page.check("#id_condition_1" if number == 0 else "#id_condition_0")
        if number == 0:
            page.check("#id_new_damage")
            page.fill("#id_notes", "口沿新增细小磕痕")
        page.click("[data-testid=save-check]")
        page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=differs-flag]")).to_have_count(1)
    _step(page, "return", {"date": iso})
    expect(page.locator("[data-testid=loan-status]")).to_have_text("已归还")
    screenshot(page, f"loan-page-returned-{width}")
    _step(page, "close")
    expect(page.locator("[data-testid=loan-status]")).to_have_text("已结束")
    assert Loan.objects.get().status == LoanStatus.CLOSED

    page.goto("/loans/")
    expect(page.locator("[data-testid=loan-row]")).to_contain_text("晋国青铜文明展")
    screenshot(page, f"loan-list-{width}")
