"""Long choice lists are searched by typing, with pinyin, on a desktop and on a 390 px phone."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def open_search(page, select_id: str):
    """Open the Tom Select that replaced <select id=select_id> and return its search box."""
    page.locator(f"#{select_id} + .ts-wrapper .ts-control").click()
    box = page.locator(f"#{select_id} + .ts-wrapper .dropdown-input")
    expect(box).to_be_visible()
    return box


@pytest.mark.parametrize("width", [1280, 390])
def test_the_association_finds_a_museum_by_pinyin_initials_on_the_account_form(browser, live_server, world, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                  base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.goto("/accounts/new/")
    box = open_search(page, "id_museum")
    box.fill("sxbwy")
    options = page.locator("#id_museum + .ts-wrapper .ts-dropdown .option")
    expect(options).to_have_text(["山西博物院"])
    box.fill("anze")
    expect(options).to_have_text(["安泽县博物馆"])
    screenshot(page, f"select-search-{width}")
    options.first.click()
    assert page.eval_on_selector("#id_museum", "s => s.options[s.selectedIndex].text") == "安泽县博物馆"
    assert page.eval_on_selector("#id_museum + .ts-wrapper", "w => w.getBoundingClientRect().right") <= width
    context.close()
    assert not errors, errors


def test_the_directorys_county_search_follows_the_chosen_city(page, world):
    page.goto("/museums/")
    page.select_option("#city", label="临汾市")
    box = open_search(page, "county")
    options = page.locator("#county + .ts-wrapper .ts-dropdown .option")
    expect(options.filter(has_text="安泽县")).to_have_count(1)
    expect(options.filter(has_text="天镇县")).to_have_count(0)  # 大同市: hidden with the other cities' counties
    box.fill("azx")
    expect(options).to_have_text(["安泽县"])
    box.press("Enter")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 家")
    expect(page.locator("#results")).to_contain_text("安泽县博物馆")
