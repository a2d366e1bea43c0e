"""The exchange's posts in a real browser: a county museum posts a need through the form (the sub-type select
offers only the chosen area's sub-types), the search page finds it with the word highlighted, and every posts page
fits a phone without scripts blocked by the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from bangfu.exchange.models import Post, Subtype
from bangfu.exchange.services import post_attachment_add, post_create, rules_update
from bangfu.exchange.vocabulary import subtype_add
from tests.browser.conftest import screenshot
from tests.exchange_access_posts import registry_row

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_county_museum_posts_a_need_and_the_board_finds_it(page, world, sign_in):
    # The sub-types the association keeps (a migration seeds them, but a transactional test before this one may
    # have flushed every table): one per area the form's script has to choose between.
    for area, name in (("conservation", "保护修复方案"), ("exhibition", "巡展"), ("education", "研学课程")):
        if not Subtype.objects.filter(area=area, name=name).exists():
            subtype_add(by=world.admin, area=area, name=name)
    sign_in("helped_admin")
    page.goto("/exchange/new/?kind=need")
    page.select_option("#id_area", "conservation")
    # Only the chosen area's group stays (locators poll without evaluating strings, which the CSP forbids).
    expect(page.locator("#id_subtype optgroup:not([hidden])")).to_have_count(1)
    expect(page.locator("#id_subtype optgroup:not([hidden])")).to_have_attribute("label", "文物保护")
    page.select_option("#id_subtype", label="保护修复方案")
    page.fill("#id_title", "馆藏明代壁画修复指导")
    page.fill("#id_description", "寺观壁画出现空鼓、起甲，需要专家现场会诊并制定保护修复方案。")
    page.check("[data-testid=regions] >> text=临汾市")
    page.fill("#id_contact_phone", "0357-1234567")
    screenshot(page, "exchange-form")
    page.click("button[value=publish]")
    page.wait_for_url("**/exchange/*/")
    post = Post.objects.get(title="馆藏明代壁画修复指导")
    assert post.status == "published" and post.subtype.name == "保护修复方案"
    assert [r.name for r in post.regions.all()] == ["临汾市"]
    screenshot(page, "exchange-detail")

    page.goto("/exchange/")
    page.fill("#q", "壁画")
    page.wait_for_selector("[data-testid=post]")
    assert "馆藏明代壁画修复指导" in page.inner_text("#results")
    screenshot(page, "exchange-search")


def test_the_posts_pages_fit_a_phone(page, world, sign_in):
    need = post_create(by=world.helped_admin, kind="need", area="conservation", title="馆藏明代壁画病害调查与修复指导"
                       "（含彩塑、青铜器预防性保护与温湿度监测方案）",
                       description="本馆收藏的明代寺观壁画出现空鼓、起甲和酥碱。" * 8, terms="差旅由本馆承担",
                       contact_name="王馆长", contact_phone="0351-1234567", publish=True)
    post_attachment_add(post=need, by=world.helped_admin, link="https://example.org/mural", caption="壁画现状照片")
    post_create(by=world.helper_admin, kind="offer", area="exhibition", title="晋国青铜器精品展巡展",
                description="成熟展览可巡展到县级博物馆，含布展和讲解培训。", capacity=3, publish=True)
    registry_row(world.helped_museum, by=world.helped_admin, kind="need", area="education",
                 text="希望与大馆合作开发面向县城中小学的研学课程，每学期两次。")
    rules_update(by=world.admin, moderation=True)
    post_create(by=world.helped_staff, kind="need", area="people", title="讲解员跟班学习",
                description="派两名讲解员到省博跟班学习三个月。", publish=True)
    pages = {"helped_admin": ["/exchange/", f"/exchange/{need.pk}/", f"/exchange/{need.pk}/edit/",
                              "/exchange/new/?kind=need", "/exchange/mine/"],
             "admin": ["/exchange/review/", "/exchange/new/?kind=offer"]}
    for user, urls in pages.items():
        page.context.clear_cookies()
        sign_in(user)
        page.set_viewport_size(PHONE)
        for url in urls:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width} px wide"
            name = url.strip("/").replace("/", "-").replace("?kind=", "-") or "search"
            screenshot(page, f"phone-{user}-{name}")
        page.set_viewport_size({"width": 1280, "height": 900})
