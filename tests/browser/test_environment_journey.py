"""Environment monitoring in the browser, at a desktop's and at a phone's width.

1. A county museum's staff member opens a storeroom, sees the charts drawn from its readings (the scripts run under
   the Content-Security-Policy), types two readings from a handheld meter and records a pest check; the helper's
   staff sees the room on the partners' page.
2. The issue's journey — upload a HOBO logger file on the import page, see the chart and the alert it raised,
   acknowledge the alert with a note. The import page (`environment:sensor_import`) and the alerts pages
   (`environment:alert_acknowledge`) come from other branches: until they are merged the test is skipped; the lead
   removes the skip at merge (and adapts a selector if those pages name their buttons differently)."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.environment import services
from bangfu.environment.limits import default_rows
from bangfu.environment.models import Alert, MaterialLimit, PestRecord, Reading, ReadingSource
from bangfu.environment.readings import ReadingIn
from tests.factories import make_agreement

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _named(name: str) -> bool:
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


def _storeroom(world, *, hours: int = 72):
    if not MaterialLimit.objects.exists():  # a transactional test starts from an emptied database
        MaterialLimit.objects.bulk_create(MaterialLimit(**row) for row in default_rows())
    by = world.helped_admin
    site = services.site_create(museum=world.helped_museum, by=by, name="县博物馆主楼")
    room = services.room_create(site=site, by=by, name="文物库房", kind="storeroom", materials=["silicate"])
    sensor = services.sensor_create(room=room, by=by, name="库房记录仪", model_name="HOBO MX1101")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    if hours:
        services.readings_add_manual(sensor=sensor, by=world.helped_staff, items=[
            ReadingIn(time=now - datetime.timedelta(hours=h), temperature=18 + (h % 24) / 8, rh=44 + (h % 12) / 3)
            for h in range(1, hours)])
    return room, sensor


@pytest.mark.parametrize("width", [1280, 390])
def test_a_storeroom_draws_its_charts_and_takes_readings_and_pest_checks(page, world, sign_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    make_agreement(world, tasks=[{"title": "库房环境监测", "due_date": timezone.localdate()}])
    room, sensor = _storeroom(world)

    sign_in("helped_staff")
    page.goto(reverse("environment:room", args=[room.pk]))
    expect(page.locator("#env-series[data-drawn='1'] canvas").first).to_be_visible()
    expect(page.locator("#env-scatter canvas").first).to_be_visible()
    expect(page.locator("[data-testid=limits]")).to_contain_text("40～50 %")
    if width == 1280:
        screenshot(page, "environment-room")
    else:
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # nothing wider than a phone

    page.click(f"a[href='{reverse('environment:readings_add', args=[sensor.pk])}']")
    now = timezone.localtime().replace(second=0, microsecond=0)
    page.fill("#id_form-0-time", now.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_form-0-temperature", "19.5")
    page.fill("#id_form-0-rh", "48")
    page.fill("#id_form-1-time", (now - datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_form-1-rh", "47")
    page.click("[data-testid=readings-form] button[type=submit]")
    expect(page.locator("body")).to_contain_text("已保存 2 条读数")
    assert Reading.objects.filter(sensor=sensor, source=ReadingSource.MANUAL, rh=48).exists()

    page.goto(reverse("environment:pests", args=[room.pk]))
    page.fill("#id_species", "烟草甲")
    page.fill("#id_count", "3")
    page.fill("#id_trap", "T1")
    page.click("[data-testid=pest-form] button[type=submit]")
    expect(page.locator("[data-testid=pest-record]")).to_contain_text("烟草甲")
    expect(page.locator("#env-pests canvas").first).to_be_visible()
    assert PestRecord.objects.get().count == 3

    page.context.clear_cookies()
    sign_in("helper_staff")
    page.goto(reverse("environment:watch"))
    expect(page.locator("[data-testid=room-card]")).to_contain_text("文物库房")
    page.goto("/")
    expect(page.locator("[data-testid=home-partners-environment]")).to_contain_text("正常 1")


def _hobo_csv(start: datetime.datetime) -> bytes:
    """A HOBOware export of 48 hours every 15 minutes (China time, AM/PM), RH above 50 % for six hours."""
    lines = ['"Plot Title: 库房记录仪"',
             '"#","Date Time, GMT+08:00","Temp, °C (LGR S/N: 20776655, SEN S/N: 20776655)",'
             '"RH, % (LGR S/N: 20776655, SEN S/N: 20776655)"']
    for i in range(48 * 4):
        moment = start + datetime.timedelta(minutes=15 * i)
        rh = 63.0 if 80 <= i < 104 else 45.0 + (i % 8) / 4
        lines.append(f'{i + 1},{moment:%m/%d/%y %I:%M:%S %p},{18 + (i % 96) / 48:.2f},{rh:.1f}')
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.mark.skipif(not (_named("environment:sensor_import") and _named("environment:alert_acknowledge")),
                    reason="the import page and the alerts pages come from other branches; the lead removes this "
                           "skip at merge")
@pytest.mark.parametrize("width", [1280, 390])
def test_upload_a_logger_file_see_the_chart_and_the_alert_and_acknowledge_it(page, world, sign_in, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    room, sensor = _storeroom(world, hours=0)
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0, tzinfo=None) - datetime.timedelta(days=3)
    upload = tmp_path / "库房记录仪.csv"
    upload.write_bytes(_hobo_csv(start))

    sign_in("helped_staff")
    page.goto(reverse("environment:room", args=[room.pk]))
    page.click("[data-testid=import-link]")
    page.set_input_files("input[type=file]", str(upload))
    page.locator("form:has(input[type=file]) [type=submit]").first.click()  # the preview
    expect(page.locator("body")).to_contain_text("HOBO")
    page.locator("form [type=submit]:has-text('保存'), form [type=submit]:has-text('导入')").first.click()
    page.wait_for_load_state("networkidle")
    assert Reading.objects.filter(sensor=sensor).count() == 48 * 4

    page.goto(reverse("environment:room", args=[room.pk]))
    expect(page.locator("#env-series[data-drawn='1'] canvas").first).to_be_visible()
    alert = Alert.objects.get(room=room, kind="rh_high")
    expect(page.locator("[data-testid=room-alerts]")).to_contain_text("湿度过高")
    if width == 1280:
        screenshot(page, "environment-room-alert")

    page.goto(reverse("environment:alert_acknowledge", args=[alert.pk]))
    page.locator("textarea").first.fill("已开启除湿机，关闭库房门窗，复测湿度 47 %")
    page.locator("form:has(textarea) [type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and "除湿机" in alert.acknowledgement
