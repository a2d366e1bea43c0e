"""A museum named like an HTML payload shows as text everywhere in a real browser, and no script runs; the
Content-Security-Policy keeps the pages and the API docs working (the page fixture fails on any violation)."""

import pytest
from playwright.sync_api import expect

from bangfu.museums.services import museum_set_position
from tests.factories import make_museum

from .conftest import REPORT_CSP_VIOLATIONS

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = "<img src=x onerror=alert(42)>"
SPOT = (111.6, 39.3)  # lng, lat: in Xinzhou, far from the world's other museums


@pytest.fixture
def hostile_museum(world):
    museum = make_museum(PAYLOAD, county="140902", grade="三级")
    return museum_set_position(museum=museum, by=world.admin, lng=SPOT[0], lat=SPOT[1])


@pytest.fixture
def dialogs(page):
    """Every alert/confirm the page opens (dismissed): an injected alert(42) would land here."""
    seen = []

    def record(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def show_tooltip_of_point(page, selector: str, lng: float, lat: float, text: str) -> None:
    """Hover the mouse over the point at (lng, lat) of the ECharts map in `selector` until its tooltip shows
    `text` (the points grow in with an animation, so the first hover may land before they are there)."""
    page.wait_for_function(
        """sel => { const c = window.echarts && echarts.getInstanceByDom(document.querySelector(sel));
                    return c && ((c.getOption() || {}).series || []).some(s => s.data && s.data.length); }""",
        arg=selector,
    )
    chart = page.locator(selector)
    for _ in range(10):
        x, y = page.evaluate(
            """([sel, lng, lat]) => echarts.getInstanceByDom(document.querySelector(sel))
                                          .convertToPixel({geoIndex: 0}, [lng, lat])""",
            [selector, lng, lat],
        )
        box = chart.bounding_box()
        page.mouse.move(box["x"] + 5, box["y"] + 5)
        page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
        page.wait_for_timeout(300)
        if text in chart.text_content():
            return
    expect(chart).to_contain_text(text)


def assert_no_injected_markup(page) -> None:
    assert page.locator("img[src=x]").count() == 0


def test_hostile_museum_name_shows_as_text_in_the_directory_map_tooltip(page, hostile_museum, dialogs):
    page.goto("/museums/")
    expect(page.get_by_role("link", name=PAYLOAD)).to_be_visible()
    page.click("label[for=view-map]")
    show_tooltip_of_point(page, "#directory-map", *SPOT, PAYLOAD)
    assert_no_injected_markup(page)
    assert dialogs == []


def test_hostile_museum_name_shows_as_text_on_the_home_page_map(page, hostile_museum, dialogs):
    page.goto("/")
    show_tooltip_of_point(page, "#home-map", *SPOT, PAYLOAD)
    assert_no_injected_markup(page)
    assert dialogs == []


def test_hostile_museum_name_shows_as_text_on_its_own_page_and_map(page, hostile_museum, dialogs):
    page.goto(f"/museums/{hostile_museum.pk}/")
    expect(page.locator("h1")).to_contain_text(PAYLOAD)
    show_tooltip_of_point(page, "#museum-map", *SPOT, PAYLOAD)
    assert_no_injected_markup(page)
    assert dialogs == []


def test_an_injected_inline_handler_is_blocked_by_the_policy(browser, live_server, world):
    """Even markup that escaped the escaping could not run: the policy refuses inline handlers."""
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: violations.append(msg.text) if "CSP violation" in msg.text else None)
    page.goto("/museums/")
    page.evaluate("""() => { const d = document.createElement("div");
                             d.innerHTML = '<img src="/static/favicon.svg" onload="alert(42)">';
                             document.body.appendChild(d); }""")
    page.wait_for_timeout(500)
    context.close()
    assert dialogs == []
    assert any("script-src" in m for m in violations), violations


def test_api_docs_work_under_the_policy(page, world):
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("山西省博物馆帮扶信息平台 API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
