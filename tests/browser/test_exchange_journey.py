"""The exchange's main journey, as the issue tells it: a county museum posts a need for 壁画修复 guidance through
the form; the big museum finds it recommended on its home page, responds from the post's page; both confirm the
terms, both complete and rate; the ledger shows one entry."""

import pytest
from playwright.sync_api import expect

from bangfu.exchange.models import Post, PostStatus, Thread, ThreadStatus
from bangfu.ledger.models import LedgerEntry

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "馆藏明代壁画残块保护修复指导"
TERMS = "山西博物院派 2 名壁画修复人员到馆指导 3 天，制定保护修复方案；差旅由安泽县博物馆承担。"


def _confirm_terms(page, thread_pk: int):
    page.goto(f"/exchange/threads/{thread_pk}/")
    page.fill("[data-testid=confirm-form] textarea[name=terms]", TERMS)
    page.click("[data-testid=confirm-form] button[type=submit]")


def test_a_need_is_posted_recommended_answered_matched_completed_and_in_the_ledger(page, world, sign_in):
    # The county museum posts its need.
    sign_in("helped_staff")
    page.goto("/exchange/new/?kind=need")
    page.select_option("#id_area", "conservation")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "馆藏明代寺观壁画残块出现起甲、空鼓和酥碱，希望有经验的修复人员到馆现场指导，"
                                 "并帮助制定壁画修复与预防性保护方案。")
    page.click("button[value=publish]")
    page.wait_for_url("**/exchange/*/")
    need = Post.objects.get(title=TITLE)
    assert need.status == PostStatus.PUBLISHED

    # The big museum sees it recommended on its home page and responds from the post's page.
    page.context.clear_cookies()
    sign_in("helper_admin")
    page.goto("/")
    recommended = page.locator("[data-testid=exchange-recommended]")
    expect(recommended).to_contain_text(TITLE)
    screenshot(page, "exchange-journey-home")
    recommended.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/exchange/{need.pk}/")
    page.fill("[data-testid=respond-form] textarea[name=body]", "我院文保中心有壁画修复团队，可以派员到馆指导。")
    page.click("[data-testid=respond-form] button[type=submit]")
    page.wait_for_url("**/exchange/threads/*/")
    thread = Thread.objects.get(post=need)
    _confirm_terms(page, thread.pk)
    expect(page.locator("[data-testid=waiting-confirm]")).to_be_visible()

    # The county museum confirms the same terms and completes with its rating.
    page.context.clear_cookies()
    sign_in("helped_staff")
    _confirm_terms(page, thread.pk)
    expect(page.locator("[data-testid=thread-status]")).to_have_text("已确认对接")
    page.select_option("[data-testid=complete-form] select[name=score]", "5")
    page.fill("[data-testid=complete-form] textarea[name=comment]", "指导细致，方案切实可行。")
    page.click("[data-testid=complete]")
    expect(page.locator("[data-testid=waiting-complete]")).to_be_visible()

    # The big museum states what the help came to, completes and rates.
    page.context.clear_cookies()
    sign_in("helper_admin")
    page.goto(f"/exchange/threads/{thread.pk}/")
    page.fill("[data-testid=complete-form] input[name=people_trained]", "6")
    page.fill("[data-testid=complete-form] input[name=days]", "3")
    page.select_option("[data-testid=complete-form] select[name=score]", "5")
    page.click("[data-testid=complete]")
    expect(page.locator("[data-testid=thread-status]")).to_have_text("已完成")
    screenshot(page, "exchange-journey-completed")

    thread.refresh_from_db()
    need.refresh_from_db()
    assert thread.status == ThreadStatus.COMPLETED and need.status == PostStatus.COMPLETED
    entry = LedgerEntry.objects.get(source_type="exchange.thread", source_id=thread.pk)
    assert (entry.helper, entry.helped, entry.area) == (world.helper_museum, world.helped_museum, "conservation")
    assert (entry.people_trained, entry.days) == (6, 3)

    page.goto("/ledger/")
    row = page.locator(f"a[href='/ledger/{entry.pk}/']").first
    expect(page.locator("body")).to_contain_text("供需对接")
    screenshot(page, "exchange-journey-ledger")
    row.click()
    expect(page.locator("body")).to_contain_text(TITLE)
