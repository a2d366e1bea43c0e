"""Environment monitoring in the browser, at a desktop's and at a phone's width.

1. A county museum's staff member opens a storeroom, sees the charts drawn from its readings (the scripts run under
   the Content-Security-Policy), types two readings from a handheld meter and records a pest check; the helper's
   staff sees the room on the partners' page.
2. The issue's journey (point 12) — a museum's staff member uploads a HOBO logger file with an RH excursion on the
   sensor's import page, checks the preview, saves, lands on the room page, sees the chart drawn and the alert the
   file raised, acknowledges it with a note in the list's inline form and sees it acknowledged.

The database is flushed before each test (transactional tests): the material limits written by the data migration
are gone, and `limits.limit_table()` reads the defaults for the classes missing from the table."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.environment import services
from bangfu.environment.models import Alert, PestRecord, Reading, ReadingSource
from bangfu.environment.readings import ReadingIn
from tests.factories import make_agreement

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _storeroom(world, *, hours: int = 72):
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


@pytest.mark.parametrize("width", [1280, 390])
def test_upload_a_logger_file_see_the_chart_and_the_alert_and_acknowledge_it(page, world, sign_in, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    room, sensor = _storeroom(world, hours=0)
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0, tzinfo=None) - datetime.timedelta(days=3)
    upload = tmp_path / "库房记录仪.csv"
    upload.write_bytes(_hobo_csv(start))
    room_url = reverse("environment:room", args=[room.pk])

    sign_in("helped_staff")
    page.goto(room_url)
    page.click("[data-testid=import-link]")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("[data-testid=import-format]")).to_contain_text("HOBO")
    expect(page.locator("[data-testid=import-count]")).to_contain_text(f"{48 * 4} 条")
    expect(page.locator("#import-chart canvas")).to_have_count(1)
    page.click("button:has-text('确认保存')")

    page.wait_for_url(f"**{room_url}")  # saved: back on the room page, which says so
    expect(page.locator("body")).to_contain_text(f"保存 {48 * 4} 条读数")
    assert Reading.objects.filter(sensor=sensor, source=ReadingSource.FILE).count() == 48 * 4
    expect(page.locator("#env-series[data-drawn='1'] canvas").first).to_be_visible()
    alerts = page.locator("[data-testid=room-alerts]")
    expect(alerts).to_contain_text("湿度")
    expect(alerts).to_contain_text("未确认")
    alert = Alert.objects.get(room=room, kind="rh_high")
    assert alert.peak == 63.0
    if width == 1280:
        screenshot(page, "environment-room-alert")
    else:
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    alerts.locator("[data-testid=acknowledge-open]").first.click()
    alerts.locator(f"#ack-note-{alert.pk}").fill("已开启除湿机，关闭库房门窗，复测湿度 47 %")
    alerts.locator("[data-testid=acknowledge-inline]").first.click()
    page.wait_for_url(f"**{room_url}")
    expect(page.locator("body")).to_contain_text("已确认该报警")
    expect(page.locator("[data-testid=room-alerts]")).to_contain_text("已确认")
    expect(page.locator(f"#ack-note-{alert.pk}")).to_have_count(0)  # (the other alerts the file raised still wait)
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by.username == world.helped_staff.username
    assert "除湿机" in alert.acknowledgement
