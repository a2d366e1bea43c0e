"""A 对接 from the thread page to the ledger, in the browser, on a phone-sized screen: the helper museum has
responded to a county museum's need; both confirm the same terms, the helped side is refused different ones and
shown what was confirmed, a message goes with a file, both complete and rate, and the ledger shows the entry."""

import pytest
from playwright.sync_api import expect

from bangfu.exchange.models import ThreadStatus
from bangfu.exchange.services import post_create
from bangfu.exchange.threads import thread_start
from bangfu.ledger.models import LedgerEntry

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

TERMS = "山西博物院派 2 名修复人员到馆指导 3 天，差旅由安泽县博物馆承担。"


def test_both_sides_confirm_complete_and_rate_and_the_ledger_shows_it(page, world, sign_in, tmp_path):
    need = post_create(by=world.helped_admin, kind="need", area="conservation", title="馆藏明代壁画残块的保护修复指导",
                       description="壁画残块起甲、酥碱，希望派员现场指导。", publish=True)
    thread, _ = thread_start(post=need, by=world.helper_admin, message="我院可以派员到馆指导。")
    page.set_viewport_size({"width": 390, "height": 844})
    plan = tmp_path / "方案.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    sign_in("helper_admin")
    page.goto(f"/exchange/threads/{thread.pk}/")
    page.fill("[data-testid=message-form] textarea[name=body]", "修复方案初稿见附件。")
    page.click("[data-testid=message-form] summary")
    page.set_input_files("[data-testid=message-form] input[name=file]", str(plan))
    page.click("[data-testid=message-form] button[type=submit]")
    expect(page.locator("[data-testid=message-attachment]")).to_contain_text("方案")
    page.fill("[data-testid=confirm-form] textarea[name=terms]", TERMS)
    page.click("[data-testid=confirm-form] button[type=submit]")
    expect(page.locator("[data-testid=waiting-confirm]")).to_be_visible()

    page.context.clear_cookies()
    sign_in("helped_staff")
    page.goto(f"/exchange/threads/{thread.pk}/")
    page.fill("[data-testid=confirm-form] textarea[name=terms]", "派 1 人指导 1 天。")
    page.click("[data-testid=confirm-form] button[type=submit]")
    expect(page.locator("[data-testid=confirm-form] .invalid-feedback")).to_contain_text(TERMS)
    page.fill("[data-testid=confirm-form] textarea[name=terms]", TERMS)
    page.click("[data-testid=confirm-form] button[type=submit]")
    expect(page.locator("[data-testid=thread-status]")).to_have_text("已确认对接")
    expect(page.locator("[data-testid=complete-form] input[name=people_trained]")).to_have_count(0)
    page.select_option("[data-testid=complete-form] select[name=score]", "5")
    page.fill("[data-testid=complete-form] textarea[name=comment]", "指导细致，方案实用。")
    page.click("[data-testid=complete]")
    expect(page.locator("[data-testid=waiting-complete]")).to_be_visible()

    page.context.clear_cookies()
    sign_in("helper_staff")
    page.goto(f"/exchange/threads/{thread.pk}/")
    page.fill("[data-testid=complete-form] input[name=people_trained]", "6")
    page.fill("[data-testid=complete-form] input[name=days]", "3")
    page.click("[data-testid=complete]")
    expect(page.locator("[data-testid=thread-status]")).to_have_text("已完成")
    expect(page.locator("[data-testid=ratings]")).to_contain_text("指导细致")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "exchange-thread-completed-390")
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.COMPLETED
    entry = LedgerEntry.objects.get(source_type="exchange.thread", source_id=thread.pk)
    page.click("[data-testid=ledger-link]")
    expect(page.locator("body")).to_contain_text("馆藏明代壁画残块的保护修复指导")
    assert page.url.endswith(f"/ledger/{entry.pk}/")
