"""A museum records help given outside the platform; the other museum hears of it, confirms it, and the ledger's
totals and chart follow the filters in place."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.services import ledger_record

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_confirm_and_filter_the_ledger(page, world, sign_in, tmp_path):
    today = timezone.localdate()
    ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="exhibition",
                  kind="巡展", date=today - datetime.timedelta(days=40), visitors=5000, description="巡展进县馆")
    evidence = tmp_path / "签到表.pdf"
    evidence.write_bytes(b"%PDF-1.4 sign-in sheet")

    sign_in("helper_staff")
    page.goto("/ledger/new/")
    page.check("input[name=our_side][value=helper]")
    page.select_option("#id_counterpart", str(world.helped_museum.pk))
    page.select_option("#id_area", "people")
    page.fill("#id_kind", "培训")
    page.fill("#id_date", (today - datetime.timedelta(days=3)).isoformat())
    page.fill("#id_description", "基层文物保护培训班，县域各文管所 28 人参加")
    page.fill("#id_people_trained", "28")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("button:has-text('登记')")
    expect(page.locator("h1")).to_contain_text("山西博物院 → 安泽县博物馆")
    expect(page.locator(".alert-warning")).to_contain_text("等待安泽县博物馆确认")

    page.context.clear_cookies()
    sign_in("helped_staff")
    expect(page.locator("[data-testid=notification-badge] .badge")).to_have_text("1")
    page.click("[data-testid=unread] a:has-text('请确认')")
    expect(page.locator("[data-testid=confirm-box]")).to_be_visible()
    expect(page.locator("[data-testid=notification-badge] .badge")).to_have_count(0)  # read on the way
    screenshot(page, "ledger-confirm")
    page.click("[data-testid=confirm-box] button:has-text('确认')")
    expect(page.locator(".alert-success")).to_contain_text("已确认")
    assert LedgerEntry.objects.get(kind="培训").confirmation == "confirmed"

    page.goto("/ledger/")
    expect(page.locator("[data-total=entries]")).to_have_text("2")
    expect(page.locator("[data-total=people_trained]")).to_have_text("28")
    page.select_option("select[name=area]", "exhibition")  # htmx swaps the results only
    expect(page.locator("[data-total=entries]")).to_have_text("1")
    expect(page.locator("[data-total=people_trained]")).to_have_text("0")
    assert "area=exhibition" in page.url and "area=exhibition" in page.get_attribute("#export-link", "href")
    page.click("label[for=group-month]")
    page.select_option("#chart-measure", "visitors")
    expect(page.locator("#ledger-chart canvas")).to_have_count(1)
    screenshot(page, "ledger-filtered")
