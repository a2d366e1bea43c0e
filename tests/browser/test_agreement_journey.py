"""Issue 3's journey in the browser: the association asks for suggestions and accepts one, the helper drafts the
agreement, both museums confirm it, a task is completed with a photo, and the ledger shows the entry."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from bangfu.ledger.models import LedgerEntry
from bangfu.pairings.models import Pairing

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_suggest_accept_draft_confirm_and_complete_a_task_with_a_photo(page, world, sign_in, tmp_path):
    today = timezone.localdate()
    sign_in("admin")
    page.goto("/pairings/suggestions/")
    row = page.locator("[data-testid=suggestions] tr", has_text="安泽县博物馆")
    expect(row).to_contain_text("山西博物院")
    row.locator("input.accept").check()
    page.click("#accept-button")
    expect(page.locator(".alert-success")).to_contain_text("1")
    pairing = Pairing.objects.get(helper=world.helper_museum, helped=world.helped_museum)
    assert pairing.source == "suggestion" and pairing.status == "proposed"
    page.context.clear_cookies()
    photo = tmp_path / "培训合影.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "#8a6d3b").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    sign_in("helper_staff")
    page.goto(f"/pairings/{pairing.pk}/")
    page.click("button:has-text('起草协议')")
    expect(page.locator("h1")).to_contain_text("编辑帮扶协议")
    page.fill("#id_goal-people", "为县馆培训讲解员")
    page.fill("#id_task-0-title", "讲解员培训")
    page.select_option("#id_task-0-area", "people")
    page.fill("#id_task-0-due_date", (today + datetime.timedelta(days=60)).isoformat())
    page.fill("#id_task-0-ledger_kind", "培训")
    page.click("button:has-text('保存')")
    expect(page.locator("[data-testid=agreement-status]")).to_have_text("草拟中")
    page.click("button:has-text('提交双方确认')")
    expect(page.locator("[data-testid=agreement-status]")).to_have_text("待双方确认")

    for admin in ("helper_admin", "helped_admin"):
        page.context.clear_cookies()
        sign_in(admin)
        page.goto(f"/pairings/{pairing.pk}/")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button:has-text('代表本馆确认协议')")
    expect(page.locator("[data-testid=agreement-status]")).to_have_text("已确认")
    expect(page.locator("[data-testid=pairing-status]")).to_have_text("已签约")

    page.context.clear_cookies()
    sign_in("helper_staff")  # the helper carries the task out and marks it done
    page.goto(f"/pairings/{pairing.pk}/")
    page.click("[data-testid=task-card]:has-text('讲解员培训')")
    page.fill("#id_people_trained", "18")
    page.set_input_files("#id_evidence_file", str(photo))
    page.click("[data-testid=complete]")
    expect(page.locator("[data-testid=task-status]")).to_have_text("已完成")
    expect(page.locator("[data-testid=evidence] img")).to_have_count(1)
    page.click("a:has-text('已记入帮扶台账')")
    expect(page.locator("[data-testid=ledger]")).to_contain_text("讲解员培训")
    expect(page.locator("[data-testid=ledger]")).to_contain_text("培训人数 18 人次")
    expect(page.locator("#timeline-chart canvas")).to_have_count(1)
    screenshot(page, "agreement-pairing-page")
    entry = LedgerEntry.objects.get()
    assert entry.people_trained == 18 and entry.pairing == pairing

    page.goto("/ledger/")  # the ledger itself: the entry, counted in the totals
    expect(page.locator(".ledger-table")).to_contain_text("山西博物院")
    expect(page.locator(".ledger-table")).to_contain_text("培训")
    expect(page.locator("[data-total=people_trained]")).to_have_text("18")
    screenshot(page, "ledger-after-journey")
