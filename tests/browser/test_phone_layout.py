"""Pages read on a phone (390 px wide): nothing hidden sideways without a cue, no column squeezed to a few
characters, no page rendered at desktop width; and the home chart's labels clear its legend."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_pairings_sub_navigation_wraps_instead_of_hiding_links(page, world, sign_in):
    sign_in("admin")
    page.set_viewport_size(PHONE)
    page.goto("/pairings/")
    links = page.locator(".pairings-nav .nav-link")
    assert links.count() == 5
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], links.nth(i).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_suggestions_are_cards_on_a_phone_with_names_on_one_line(page, world, sign_in):
    sign_in("admin")
    page.set_viewport_size(PHONE)
    page.goto("/pairings/suggestions/")
    first = page.locator("[data-testid=suggestions] tbody tr").first
    name = first.locator("td").nth(1).bounding_box()
    assert name["width"] > 250  # was ~60 px: 3-4 characters a line
    distance = first.locator("td").nth(3).bounding_box()
    assert distance["y"] >= name["y"] + name["height"] - 1  # below the names, not beside them
    screenshot(page, "phone-suggestions")


def test_the_api_docs_fit_a_phone(page, world):
    page.set_viewport_size(PHONE)
    page.goto("/api/docs")
    page.wait_for_selector("#swagger-ui .info")
    assert page.locator("meta[name=viewport]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_each_area_is_a_card_on_a_phone(page, world, sign_in):
    sign_in("helped_admin")
    page.set_viewport_size(PHONE)
    page.goto(f"/museums/{world.helped_museum.pk}/areas/")
    assert _box(page, "textarea[name=need_text_people]")["width"] > 250  # was ~70 px
    capacity = _box(page, "input[name=offer_capacity_people]")
    assert capacity["width"] > 60  # was ~25 px
    unit = page.locator("input[name=offer_capacity_people] + .input-group-text").bounding_box()
    assert abs(unit["y"] - capacity["y"]) < 4  # 项 beside the box, not wrapped below it
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-areas")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_city_chart_keeps_its_axis_labels_clear_of_the_legend(page, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.wait_for_selector("#city-chart canvas")
    option = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('city-chart'));
        const o = chart.getOption();
        return {legendTop: o.legend[0].top, legendBottom: o.legend[0].bottom, contain: o.grid[0].containLabel};
    }""")
    assert option["contain"] is True and option["legendTop"] == 0 and option["legendBottom"] in (None, "auto")
