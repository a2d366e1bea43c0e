"""A tour booking in the browser, on a phone-sized screen: a county museum asks for dates that collide with another
venue's stop (set-up and transit included) and is refused beside the date field, naming that venue; it chooses
free dates, the owner accepts, and the tour calendar draws both stops without script errors."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.exhibitions.models import StopStatus, TourStop
from bangfu.exhibitions.services import stop_accept, stop_request, touring_create

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def test_a_colliding_request_is_refused_beside_the_dates_then_free_dates_are_booked(page, world, sign_in):
    today = timezone.localdate()
    exhibition = touring_create(museum=world.helper_museum, by=world.helper_admin, title="晋国霸业",
                                description="晋国青铜器精品巡展。", floor_area=600, setup_days=7, transit_days=7,
                                windows=[(today, today + datetime.timedelta(days=365))], publish=True)
    first = stop_request(exhibition=exhibition, venue=world.helped_museum, by=world.helped_admin,
                         start=today + datetime.timedelta(days=20), end=today + datetime.timedelta(days=60))
    stop_accept(stop=first, by=world.helper_admin)
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in("outsider")
    page.goto(f"/exhibitions/touring/{exhibition.pk}/")
    expect(page.locator("#tour-calendar canvas")).to_have_count(1)
    form = page.locator("[data-testid=request-form]")
    form.locator("input[name=start]").fill(day(70))  # its set-up starts on day 63, inside the transit until day 67
    form.locator("input[name=end]").fill(day(110))
    form.locator("button[type=submit]").click()
    expect(page.locator("#id_start_errors")).to_contain_text("与安泽县博物馆的档期冲突")
    screenshot(page, "tour-booking-refused")
    form = page.locator("[data-testid=request-form]")
    form.locator("input[name=start]").fill(day(80))
    form.locator("input[name=end]").fill(day(120))
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=stop-status]")).to_have_text("待确认")
    stop = TourStop.objects.get(venue=world.other_museum)

    page.context.clear_cookies()
    sign_in("helper_staff")
    page.goto(f"/exhibitions/stops/{stop.pk}/")
    page.locator("[data-testid=accept-form] button[type=submit]").click()
    expect(page.locator("[data-testid=stop-status]")).to_have_text("已确认")
    stop.refresh_from_db()
    assert stop.status == StopStatus.ACCEPTED
    page.goto(f"/exhibitions/touring/{exhibition.pk}/")
    expect(page.locator("[data-testid=tour-stops] li")).to_have_count(2)
    screenshot(page, "tour-calendar")
