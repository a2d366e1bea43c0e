"""What a walk through the environment pages as each role found, kept fixed: a name already taken said beside the
name field, a custom period that cannot be shown said beside the dates (and the end day asked kept), a pest record
deleted only after a confirmation, alert peaks with their units, light exposure with thousands separators, and the
home panel colouring a room as the overview pages do."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.environment import services
from bangfu.environment.models import Alert, Room
from bangfu.environment.readings import ReadingIn
from tests.test_environment_pages import _alert, _pair, _room

pytestmark = pytest.mark.django_db


def test_a_room_name_already_used_on_the_site_is_refused_beside_the_name(login, world):
    room, _ = _room(world, name="文物库房")
    response = login(world.helped_admin).post(reverse("environment:room_create", args=[room.site_id]), {
        "name": "文物库房", "kind": "storeroom", "is_active": "on"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["name"] == ["这个点位已有同名的库房/展厅/展柜，请换一个名称。"]
    assert not form.non_field_errors() and Room.objects.filter(name="文物库房").count() == 1


def test_a_site_name_already_used_by_the_museum_is_refused_beside_the_name(login, world):
    client = login(world.helped_admin)
    client.post(reverse("environment:site_create"), {"name": "主楼", "silent_after_minutes": "120"})
    response = client.post(reverse("environment:site_create"), {"name": "主楼", "silent_after_minutes": "120"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["本馆已有同名的监测点位，请换一个名称。"]


def test_a_sensor_name_already_used_in_the_room_is_refused_beside_the_name(login, world):
    room, sensor = _room(world)
    response = login(world.helped_admin).post(reverse("environment:sensor_create", args=[room.pk]), {
        "name": sensor.name, "interval_minutes": "15", "is_active": "on"})
    assert response.context["form"].errors["name"] == ["这个库房已有同名的传感器，请换一个名称。"]


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-02-30", "2026-03-05", "日期无效"),
    ("2026-03-05", "2026-03-01", "开始日期不能晚于结束日期"),
    ("", "", "请填写开始和结束日期"),
    ("2000-01-01", "2026-01-01", "最长两年"),
])
def test_a_custom_period_that_cannot_be_shown_says_why_beside_the_dates(login, world, start, end, message):
    room, _ = _room(world)
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]),
                                         {"period": "custom", "start": start, "end": end})
    assert page.status_code == 200 and page.context["period"] == "7d"
    assert message in page.context["period_error"] and "最近 7 天" in page.context["period_error"]
    assert 'data-testid="period-error"' in page.content.decode()


def test_a_future_custom_period_says_it_starts_after_today(login, world):
    room, _ = _room(world)
    later = timezone.localdate() + datetime.timedelta(days=30)
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]), {
        "period": "custom", "start": str(later), "end": str(later + datetime.timedelta(days=3))})
    assert "开始日期不能晚于今天" in page.context["period_error"]


def test_a_custom_period_keeps_the_end_day_asked_for_in_the_form_and_the_chart(login, world):
    room, _ = _room(world)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=5), today - datetime.timedelta(days=2)
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]), {
        "period": "custom", "start": str(start), "end": str(end)})
    body = page.content.decode()
    assert not page.context["period_error"]
    assert f'name="end" value="{end:%Y-%m-%d}"' in body
    assert f"end={end:%Y-%m-%d}" in re.search(r'data-url="([^"]+)"', body).group(1)


def test_a_good_period_shows_no_period_message(login, world):
    room, _ = _room(world)
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]), {"period": "30d"})
    assert page.context["period_error"] == "" and 'data-testid="period-error"' not in page.content.decode()


def test_deleting_a_pest_record_asks_for_a_confirmation_first(login, world):
    room, _ = _room(world)
    services.pest_record_add(room=room, by=world.helped_staff, date=timezone.localdate(), method="trap",
                             trap="T1", species="烟草甲", count=2, action="")
    body = login(world.helped_staff).get(reverse("environment:pests", args=[room.pk])).content.decode()
    delete = re.search(r'<button[^>]*type="submit"[^>]*data-confirm="([^"]+)"[^>]*>删除</button>', body)
    assert delete and "虫害记录" in delete.group(1)


def test_alert_peaks_and_limits_carry_their_units_in_the_lists(login, world):
    room, sensor = _room(world)
    _alert(room, sensor)  # rh_high, peak 68, limit 50
    Alert.objects.create(room=room, sensor=sensor, kind="temp_low", start=timezone.now() - datetime.timedelta(days=2),
                         end=timezone.now() - datetime.timedelta(days=1), peak=3.5, limit=5, readings=4)
    body = login(world.helped_staff).get(reverse("environment:room", args=[room.pk])).content.decode()
    assert "峰值 68 %（限值 50 %）" in body and "峰值 3.5 °C（限值 5 °C）" in body
    alerts_page = login(world.helped_staff).get(reverse("environment:alerts")).content.decode()
    assert "峰值 68 %（限值 50 %）" in alerts_page


def test_light_exposure_is_written_with_thousands_separators(login, world):
    room, sensor = _room(world, hours=0)
    now = timezone.now().replace(second=0, microsecond=0)
    services.readings_add_manual(sensor=sensor, by=world.helped_staff, items=[
        ReadingIn(time=now - datetime.timedelta(hours=h), temperature=18, rh=45, lux=300) for h in range(24)])
    body = login(world.helped_staff).get(reverse("environment:room", args=[room.pk])).content.decode()
    exposure = re.search(r'data-testid="metric-exposure">([^<]+)<', body).group(1)
    assert re.fullmatch(r"\d{1,3}(,\d{3})+ lx·h（折合全年 \d{1,3}(,\d{3})+ lx·h）", exposure), exposure


def test_the_home_panel_colours_a_partners_room_as_the_partners_page_does(login, world):
    """An episode ended an hour ago, not acknowledged: red on the partners' page — and on the home panel too (it
    used to count only open episodes, and showed the room green)."""
    _pair(world)
    room, sensor = _room(world, name="受援馆库房")
    now = timezone.now()
    Alert.objects.create(room=room, sensor=sensor, kind="rh_high", start=now - datetime.timedelta(hours=5),
                         end=now - datetime.timedelta(hours=1), last_seen=now - datetime.timedelta(hours=1),
                         peak=62, limit=50, readings=8)
    client = login(world.helper_staff)
    watch = client.get(reverse("environment:watch")).context["rooms"]
    panel = client.get(reverse("environment:home_panel")).context["env_partners"]
    assert [r.status for r in watch] == ["red"]
    assert panel["counts"]["red"] == 1 and panel["worst"][0]["status"] == "red"
