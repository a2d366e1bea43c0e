"""The main journeys in a real browser: signing in as each role, the directory, a museum page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_museum

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADINGS = {
    "admin": "协会工作台",
    "province_sup": "主管单位工作台",
    "datong_sup": "大同市 · 主管单位工作台",
    "helper_admin": "山西博物院",
    "helped_staff": "安泽县博物馆",
    "expert": "专家工作台",
}


@pytest.mark.parametrize("username", list(HOME_HEADINGS))
def test_each_role_signs_in_and_sees_their_home_page(page, world, sign_in, username):
    sign_in(username)
    expect(page.locator("h1").first).to_contain_text(HOME_HEADINGS[username])
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    if username == "admin":
        expect(page.get_by_test_id("attention")).to_contain_text("所在地待核实")
    screenshot(page, f"home-{username}")


def test_visitor_searches_by_pinyin_and_filters_the_directory(page, world):
    make_museum("平遥县博物馆", county="140728", grade="三级")
    page.goto("/museums/")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 4 家")
    page.fill("#q", "sxbwy")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 家")
    expect(page.locator("#results")).to_contain_text("山西博物院")
    assert "q=sxbwy" in page.url  # htmx pushed the search into the address bar
    page.fill("#q", "")
    page.select_option("select[name=grade]", "三级")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 家")
    expect(page.locator("#results")).to_contain_text("平遥县博物馆")
    page.select_option("select[name=grade]", "")
    page.select_option("#city", label="临汾市")
    expect(page.locator("#results")).to_contain_text("安泽县博物馆")
    expect(page.locator("#results")).not_to_contain_text("平遥县博物馆")
    page.click("label[for=view-map]")
    expect(page.locator("#directory-map canvas")).to_be_visible()
    screenshot(page, "directory-filtered-map")


def test_visitor_opens_a_museum_and_sees_it_on_the_map(page, world):
    page.goto("/museums/")
    page.get_by_role("link", name="安泽县博物馆").click()
    expect(page).to_have_url(re.compile(r"/museums/\d+/$"))
    expect(page.locator("h1")).to_contain_text("安泽县博物馆")
    expect(page.locator("#museum-map canvas")).to_be_visible()
    expect(page.locator("body")).to_contain_text("登录</a>后可见".replace("</a>", ""))
    screenshot(page, "museum-page")


def test_museum_admin_edits_the_profile_and_sees_it_saved(page, world, sign_in):
    sign_in("helped_admin")
    page.goto(f"/museums/{world.helped_museum.pk}/edit/")
    page.fill("#id_introduction", "安泽县博物馆收藏荀子文化相关文物。")
    page.fill("#id_collections", "-3")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator("#id_collections_errors")).to_be_visible()
    page.fill("#id_collections", "1300")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("body")).to_contain_text("荀子文化")


def test_phone_sized_screen_collapses_the_navigation(browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/museums/")
    expect(page.locator(".navbar-toggler")).to_be_visible()
    page.click(".navbar-toggler")
    expect(page.get_by_role("link", name="结对帮扶")).to_be_visible()
    screenshot(page, "directory-phone")
    context.close()
