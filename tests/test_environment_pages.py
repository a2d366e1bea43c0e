"""The environment pages: a museum's overview and a helper's view of its partners' rooms (worst first, a fixed
number of queries), the room page (limits with the room's own ones and the conflict warning, sensors, metrics,
alerts, pests), its chart data, adding sites, rooms and sensors, the gateway token shown once, manual entry, pest
records, the material limits table and the monthly report as .xlsx and PDF."""

import datetime
import html
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bangfu.core.models import AuditEntry
from bangfu.environment import services
from bangfu.environment.models import Alert, MaterialLimit, PestRecord, Reading, ReadingSource, Room, Site
from bangfu.environment.readings import ReadingIn
from tests.factories import make_agreement, make_museum, make_user

pytestmark = pytest.mark.django_db


def _pair(world):
    """The helper and the helped museum under a confirmed agreement (the helper watches its partner's rooms)."""
    make_agreement(world, tasks=[{"title": "库房环境监测", "due_date": timezone.localdate()}])


def _room(world, *, museum=None, name="文物库房", materials=("silicate",), hours=24, rh=45.0, **values):
    museum = museum or world.helped_museum
    by = world.admin
    site = Site.objects.filter(museum=museum).first() or services.site_create(museum=museum, by=by, name="主楼")
    room = services.room_create(site=site, by=by, name=name, kind="storeroom", materials=list(materials), **values)
    sensor = services.sensor_create(room=room, by=by, name=f"{name}记录仪")
    now = timezone.now().replace(second=0, microsecond=0)
    items = [ReadingIn(time=now - datetime.timedelta(hours=h), temperature=18 + h / 10, rh=rh) for h in range(hours)]
    staff = world.helped_staff if museum == world.helped_museum else make_user("museum_staff", museum=museum)
    services.readings_add_manual(sensor=sensor, by=staff, items=items)
    return room, sensor


def _alert(room, sensor, *, acknowledged=False):
    now = timezone.now()
    return Alert.objects.create(room=room, sensor=sensor, kind="rh_high", start=now - datetime.timedelta(hours=3),
                                last_seen=now, peak=68, limit=50, readings=12,
                                acknowledged_at=now if acknowledged else None)


# --- overviews ---------------------------------------------------------------------------------------------


def test_museum_staff_see_their_rooms_worst_first_with_latest_values(login, world):
    calm, _ = _room(world, name="展厅")
    troubled, sensor = _room(world, name="库房")
    _alert(troubled, sensor)
    page = login(world.helped_staff).get(reverse("environment:home"))
    rooms = page.context["rooms"]
    assert [r.name for r in rooms] == ["库房", "展厅"]
    assert [r.status for r in rooms] == ["red", "green"]
    assert rooms[1].latest.latest_temperature == 18.0 and rooms[1].latest.latest_rh == 45.0
    assert "18.0 °C" in page.content.decode() and page.context["counts"]["red"] == 1


def test_a_helper_watches_its_partners_rooms_but_not_other_museums(login, world):
    _pair(world)
    partner, sensor = _room(world, name="受援馆库房")
    _alert(partner, sensor, acknowledged=True)
    _room(world, museum=world.other_museum, name="他馆库房")
    page = login(world.helper_staff).get(reverse("environment:watch"))
    assert [(r.name, r.status) for r in page.context["rooms"]] == [("受援馆库房", "amber")]
    assert "他馆库房" not in page.content.decode()


def test_watch_lists_the_rooms_in_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    _pair(world)
    _room(world, name="库房一", hours=2)
    client = login(world.helper_staff)
    client.get(reverse("environment:watch"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("environment:watch"))
    for i in range(5):
        _room(world, name=f"更多库房{i}", hours=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("environment:watch"))
    assert len(page.context["rooms"]) == 6


def test_the_museum_overview_stays_at_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    _room(world, name="库房一", hours=2)
    client = login(world.helped_staff)
    client.get(reverse("environment:home"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("environment:home"))
    for i in range(4):
        room, sensor = _room(world, name=f"库房{i + 2}", hours=2)
        _alert(room, sensor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("environment:home"))
    assert len(page.context["rooms"]) == 5 and len(page.context["alerts"]) == 4


def test_the_association_sees_the_museums_in_monitoring_most_troubled_first(login, world):
    _room(world, museum=world.other_museum, name="他馆库房")
    room, sensor = _room(world, name="受援馆库房")
    _alert(room, sensor)
    page = login(world.admin).get(reverse("environment:home"))
    assert [r["museum"].name for r in page.context["rows"]] == ["安泽县博物馆", "天镇县博物馆"]
    drill = login(world.admin).get(reverse("environment:home") + f"?museum={world.helped_museum.pk}")
    assert [r.name for r in drill.context["rooms"]] == ["受援馆库房"]


def test_an_outsider_cannot_open_another_museums_overview(login, world):
    _room(world)
    response = login(world.outsider).get(reverse("environment:home") + f"?museum={world.helped_museum.pk}")
    assert response.status_code == 404


def test_the_home_panel_counts_my_rooms_and_my_partners_rooms(login, world):
    _pair(world)
    room, sensor = _room(world, name="受援馆库房")
    _alert(room, sensor)
    _room(world, museum=world.helper_museum, name="本馆库房")
    home = login(world.helper_staff).get(reverse("home")).content.decode()
    assert reverse("environment:home_panel") in home  # loaded by the page after it shows
    panel = login(world.helper_staff).get(reverse("environment:home_panel"))
    assert panel.context["env_own"]["counts"]["green"] == 1
    assert panel.context["env_partners"]["counts"]["red"] == 1
    assert "受援馆库房" in panel.content.decode() and "结对馆环境" in panel.content.decode()
    helped = login(world.helped_staff).get(reverse("environment:home_panel"))
    assert helped.context["env_partners"] is None and helped.context["env_own"]["alerts"] == 1


# --- the room page ---------------------------------------------------------------------------------------


def test_the_room_page_shows_limits_sensors_metrics_and_pests(login, world):
    room, sensor = _room(world, temp_min=5, temp_max=25)
    services.pest_record_add(room=room, by=world.helped_staff, date=timezone.localdate(), species="烟草甲", count=3)
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]))
    text = page.content.decode()
    assert page.context["limits"].own == ("temp_min", "temp_max")
    assert page.context["limits"].rh_min == 40 and page.context["limits"].rh_max == 50
    assert "本室自定指标" in text and sensor.name in text
    assert page.context["metrics"]["time_in_range"]["rh"] == 1.0
    assert page.context["metrics"]["emc"]["mean"] is not None and "安全范围 5～12.5 %" in text
    for testid in ("metric-dew-point", "metric-emc", "metric-twpi", "metric-mould"):
        assert f'data-testid="{testid}"' in text
    assert page.context["pest_trend"]["counts"] == [3]
    assert reverse("environment:readings_add", args=[sensor.pk]) in text


def test_a_room_whose_materials_cannot_share_it_says_so(login, world):
    room, _ = _room(world, materials=("metal_glass", "paper_textile"))
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]))
    assert "不宜同处一室" in page.content.decode()
    assert page.context["limits"].rh_min == 50  # the most sensitive class wins


def test_a_helper_sees_a_partners_room_read_only(login, world):
    _pair(world)
    room, sensor = _room(world)
    client = login(world.helper_staff)
    page = client.get(reverse("environment:room", args=[room.pk]))
    assert page.status_code == 200 and not page.context["can_manage"] and not page.context["can_record"]
    assert reverse("environment:room_edit", args=[room.pk]) not in page.content.decode()
    assert client.post(reverse("environment:room_edit", args=[room.pk]), {"name": "改名"}).status_code == 403
    assert client.get(reverse("environment:readings_add", args=[sensor.pk])).status_code == 403
    assert client.post(reverse("environment:pests", args=[room.pk]), {"species": "衣鱼"}).status_code == 403


def test_the_room_page_stays_at_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    room, _ = _room(world)
    client = login(world.helped_staff)
    url = reverse("environment:room", args=[room.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for i in range(4):
        sensor = services.sensor_create(room=room, by=world.helped_admin, name=f"更多记录仪{i}")
        services.readings_add_manual(sensor=sensor, by=world.helped_staff,
                                     items=[ReadingIn(time=timezone.now(), temperature=20, rh=48)])
        _alert(room, sensor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert len(page.context["room"].sensor_list) == 5


def test_the_chart_data_carries_each_sensors_points_the_limits_and_daily_extremes(login, world):
    room, sensor = _room(world, hours=30)
    client = login(world.helped_staff)
    data = json.loads(client.get(reverse("environment:room_chart", args=[room.pk]) + "?period=24h").content)
    assert data["period"] == "24h" and data["resolution"] == "raw"
    assert data["sensors"] == [{"id": sensor.pk, "name": sensor.name}]
    assert 24 <= len(data["points"][str(sensor.pk)]) <= 25
    assert data["limits"]["rh"] == [40, 50] and data["limits"]["temperature"] == [16, 24]
    assert data["daily"] and data["daily"][-1]["rh_max"] == 45.0
    assert data["points"][str(sensor.pk)][-1][0].endswith("+08:00")  # rollups.series' point: [ISO, t, rh, lux]
    year = json.loads(client.get(reverse("environment:room_chart", args=[room.pk]) + "?period=1y").content)
    assert year["resolution"] == "day"
    [today] = [p for p in year["points"][str(sensor.pk)] if p[0].startswith(str(timezone.localdate()))]
    assert len(today) == 9 and today[2] == 45.0  # [ISO day, t_mean, rh_mean, lux_mean, t_min, t_max, rh_min…]


def test_a_years_chart_reads_the_roll_ups_never_the_raw_readings(login, world):
    room, sensor = _room(world, hours=48)
    client = login(world.helped_staff)
    url = reverse("environment:room_chart", args=[room.pk]) + "?period=1y"
    with CaptureQueriesContext(connection) as queries:
        data = json.loads(client.get(url).content)
    assert data["resolution"] == "day" and len(data["points"][str(sensor.pk)]) >= 2 and data["daily"]
    assert not [q["sql"] for q in queries.captured_queries if "environment_reading" in q["sql"]]
    assert [q for q in queries.captured_queries if "environment_rollup" in q["sql"]]


def test_a_custom_period_reads_whole_days_and_nonsense_falls_back_to_a_week(login, world):
    room, _ = _room(world)
    client = login(world.helped_staff)
    url = reverse("environment:room_chart", args=[room.pk])
    day = timezone.localdate()
    data = json.loads(client.get(url, {"period": "custom", "start": str(day - datetime.timedelta(days=2)),
                                       "end": str(day)}).content)
    assert data["period"] == "custom" and data["start"].startswith(str(day - datetime.timedelta(days=2)))
    for bad in ({"period": "custom", "start": "2026-02-30", "end": "x"}, {"period": "９９d"},
                {"period": "custom", "start": "1900-01-01", "end": "2999-01-01"}):
        assert json.loads(client.get(url, bad).content)["period"] == "7d"


# --- adding and editing ----------------------------------------------------------------------------------


def test_a_museum_admin_adds_a_site_a_room_and_a_sensor(login, world):
    client = login(world.helped_admin)
    response = client.post(reverse("environment:site_create"), {"name": "新馆", "silent_after_minutes": "120",
                                                                 "notify_helper": "on"})
    site = Site.objects.get(name="新馆")
    assert response.status_code == 302 and site.museum == world.helped_museum
    client.post(reverse("environment:room_create", args=[site.pk]), {
        "name": "瓷器库", "kind": "storeroom", "materials": ["silicate"], "is_active": "on"})
    room = Room.objects.get(name="瓷器库")
    assert room.materials == ["silicate"] and room.museum == world.helped_museum
    client.post(reverse("environment:sensor_create", args=[room.pk]), {"name": "1 号", "interval_minutes": "15",
                                                                       "is_active": "on"})
    assert room.sensors.get().name == "1 号"


def test_museum_staff_cannot_add_a_site(login, world):
    response = login(world.helped_staff).post(reverse("environment:site_create"), {"name": "新馆"})
    assert response.status_code == 403 and not Site.objects.exists()


def test_a_room_with_its_upper_limit_below_its_lower_one_is_refused_in_chinese(login, world):
    room, _ = _room(world)
    response = login(world.helped_staff).post(reverse("environment:room_edit", args=[room.pk]), {
        "name": room.name, "kind": "storeroom", "rh_min": "60", "rh_max": "40", "temp_max": "NaN",
        "is_active": "on"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "相对湿度上限不能低于下限。" in errors["rh_max"] and errors["temp_max"] == ["请输入数字。"]
    room.refresh_from_db()
    assert room.rh_min is None


def test_the_gateway_token_is_shown_once_after_rotating(login, world):
    room, sensor = _room(world)
    client = login(world.helped_admin)
    url = reverse("environment:site_token", args=[room.site_id])
    response = client.post(url, {"action": "rotate"})
    raw = response.context["raw"]
    assert raw.startswith("bfs_") and raw in response.content.decode() and "curl -X POST" in response.content.decode()
    assert services.site_for_token(raw) == room.site and response["Cache-Control"] == "no-store"
    again = client.get(url).content.decode()
    assert raw not in again and raw[:12] in again
    client.post(url, {"action": "revoke"})
    assert services.site_for_token(raw) is None


def test_the_curl_example_on_the_token_page_is_a_body_the_readings_api_accepts(login, world):
    room, sensor = _room(world)
    shown = login(world.helped_admin).post(reverse("environment:site_token", args=[room.site_id]),
                                           {"action": "rotate"})
    page = shown.content.decode()
    body = html.unescape(re.search(r"-d '(.*?)'</pre>", page, re.S).group(1))
    endpoint = re.search(r"curl -X POST (\S+)", page).group(1)
    assert f'Bearer {shown.context["raw"]}' in page
    response = Client().post(endpoint, body, content_type="application/json",
                             headers={"Authorization": f"Bearer {shown.context['raw']}"})
    assert response.status_code == 200, response.content
    assert response.json()["saved"] == 2 and not response.json()["refused"]
    saved = Reading.objects.get(sensor=sensor, time=datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.UTC))
    assert saved.temperature == 20.5 and saved.rh == 48.2


def test_museum_staff_cannot_rotate_the_token(login, world):
    room, _ = _room(world)
    response = login(world.helped_staff).post(reverse("environment:site_token", args=[room.site_id]))
    assert response.status_code == 403


# --- manual entry ----------------------------------------------------------------------------------------


def _rows(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "50"}
    for i, row in enumerate(rows):
        data |= {f"form-{i}-{k}": v for k, v in row.items()}
    return data


def test_manual_entry_saves_several_rows_marked_as_manual(login, world):
    room, sensor = _room(world, hours=0)
    base = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=3)
    rows = [{"time": (base + datetime.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M"), "temperature": "１９.５",
             "rh": str(50 + i)} for i in range(3)] + [{"time": "", "temperature": ""}]
    response = login(world.helped_staff).post(reverse("environment:readings_add", args=[sensor.pk]), _rows(rows))
    assert response.status_code == 302
    saved = list(Reading.objects.filter(sensor=sensor).order_by("time").values_list("rh", "source", "temperature"))
    assert saved == [(50.0, ReadingSource.MANUAL, 19.5), (51.0, ReadingSource.MANUAL, 19.5),
                     (52.0, ReadingSource.MANUAL, 19.5)]


def test_manual_entry_names_the_bad_rows_and_saves_nothing(login, world):
    room, sensor = _room(world, hours=0)
    now = timezone.localtime()
    rows = [{"time": now.strftime("%Y-%m-%dT%H:%M"), "rh": "101"},
            {"time": (now + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "temperature": "20"},
            {"time": "", "temperature": "20"}, {"time": "2026-13-40T25:00", "temperature": "Infinity"}]
    response = login(world.helped_staff).post(reverse("environment:readings_add", args=[sensor.pk]), _rows(rows))
    assert response.status_code == 400
    forms = response.context["rows"].forms
    assert forms[0].errors["rh"] and "时间不能晚于现在。" in forms[1].errors["time"]
    assert "请填写读数的时间。" in forms[2].errors["time"]
    assert forms[3].errors["time"] and forms[3].errors["temperature"]
    assert not Reading.objects.filter(sensor=sensor).exists()


def test_manual_entry_refuses_two_rows_at_the_same_time(login, world):
    room, sensor = _room(world, hours=0)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = login(world.helped_staff).post(reverse("environment:readings_add", args=[sensor.pk]),
                                              _rows([{"time": when, "rh": "40"}, {"time": when, "rh": "41"}]))
    assert response.status_code == 400 and "时间相同" in response.content.decode()


# --- pests -----------------------------------------------------------------------------------------------


def test_staff_record_change_and_delete_pest_checks(login, world):
    room, _ = _room(world)
    client = login(world.helped_staff)
    url = reverse("environment:pests", args=[room.pk])
    client.post(url, {"date": str(timezone.localdate()), "method": "trap", "trap": "T1", "species": "烟草甲",
                      "count": "4", "action": "更换诱捕器"})
    record = PestRecord.objects.get()
    assert record.count == 4 and record.recorded_by == world.helped_staff
    client.post(url, {"record": record.pk, "date": str(timezone.localdate()), "method": "trap", "species": "烟草甲",
                      "count": "6"})
    record.refresh_from_db()
    assert record.count == 6
    page = client.get(url)
    assert page.context["trend"]["counts"] == [6] and "烟草甲" in page.content.decode()
    client.post(url, {"delete": record.pk})
    assert not PestRecord.objects.exists()
    assert AuditEntry.objects.filter(action="删除虫害记录").exists()


def test_a_pest_record_in_the_future_or_with_a_huge_count_is_refused(login, world):
    room, _ = _room(world)
    response = login(world.helped_staff).post(reverse("environment:pests", args=[room.pk]), {
        "date": str(timezone.localdate() + datetime.timedelta(days=3)), "method": "trap", "species": "衣鱼",
        "count": "99999999999999999999"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "检查日期不能晚于今天。" in errors["date"] and errors["count"]


# --- the limits table ------------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_limits_with_their_sources(login, world):
    page = login(world.outsider).get(reverse("environment:limits"))
    text = page.content.decode()
    assert "JGJ 66-2015" in text and "GB/T 23863" in text and not page.context["can_edit"]
    assert login(world.outsider).post(reverse("environment:limits"), {"limit": "1"}).status_code == 403


def test_the_association_edits_a_material_limit_and_rooms_follow(login, world):
    room, _ = _room(world)
    row = MaterialLimit.objects.get(material_class="silicate")
    data = {f"limit{row.pk}-{k}": v for k, v in {
        "temp_min": "15", "temp_max": "22", "temp_daily_range": "4", "rh_min": "42", "rh_max": "52",
        "rh_daily_range": "5", "light_sensitivity": "low", "lux_max": "300", "annual_exposure_max": "",
        "uv_max": "20", "source": "修订稿（2026）"}.items()}
    response = login(world.admin).post(reverse("environment:limits"), {"limit": row.pk, **data})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.rh_min, row.rh_max, row.source, row.updated_by) == (42, 52, "修订稿（2026）", world.admin)
    page = login(world.helped_staff).get(reverse("environment:room", args=[room.pk]))
    assert page.context["limits"].rh_min == 42


def test_a_limit_with_its_bounds_crossed_is_refused_beside_the_field(login, world):
    row = MaterialLimit.objects.get(material_class="silicate")
    response = login(world.admin).post(reverse("environment:limits"), {
        "limit": row.pk, f"limit{row.pk}-temp_min": "30", f"limit{row.pk}-temp_max": "10",
        f"limit{row.pk}-light_sensitivity": "low", f"limit{row.pk}-source": "x"})
    assert response.status_code == 400 and "温度上限不能低于下限。" in response.content.decode()


# --- the monthly report ----------------------------------------------------------------------------------


def _month_of_readings(world, name='<script>alert(1)</script>库房\x0b'):
    room, sensor = _room(world, hours=0)
    Room.objects.filter(pk=room.pk).update(name=name)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(8)))
    items = [ReadingIn(time=start + datetime.timedelta(hours=6 * i), temperature=20 + (i % 4), rh=44 + (i % 3))
             for i in range(4 * 20)]
    services.readings_add_manual(sensor=sensor, by=world.helped_staff, items=items)
    _alert(room, sensor)
    return room, last_month


def test_the_monthly_report_downloads_as_a_workbook(login, world):
    room, month = _month_of_readings(world)
    client = login(world.helped_staff)
    page = client.get(reverse("environment:report"), {"room": room.pk, "month": f"{month:%Y-%m}"})
    assert page.context["data"][0].metrics["temperature"]["max"] == 23
    response = client.get(reverse("environment:report"), {"room": room.pk, "month": f"{month:%Y-%m}",
                                                          "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = list(book["概况"].iter_rows(values_only=True))
    assert summary[1][2] == "<script>alert(1)</script>库房" and summary[1][6] == 23
    assert len(list(book["逐日"].iter_rows())) == 1 + 21  # 80 readings every 6 hours from 08:00 on the 1st


def test_the_monthly_report_of_a_museum_downloads_as_a_pdf(login, world):
    _month_of_readings(world, name="库房")
    response = login(world.helped_staff).get(reverse("environment:report"), {"format": "pdf"})
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert b"STSong-Light" in body


def test_a_nonsense_month_shows_last_month(login, world):
    room, month = _month_of_readings(world, name="库房")
    for bad in ("2026-13", "２０２６-01", "1999-01", "x", "9999-01"):
        page = login(world.helped_staff).get(reverse("environment:report"), {"room": room.pk, "month": bad})
        assert page.context["month"] == month


def test_an_outsider_cannot_read_another_museums_report(login, world):
    room, _ = _room(world)
    client = login(world.outsider)
    assert client.get(reverse("environment:report"), {"room": room.pk, "format": "pdf"}).status_code == 404
    assert client.get(reverse("environment:report"), {"museum": world.helped_museum.pk}).status_code == 404


def test_a_supervisor_outside_the_jurisdiction_sees_nothing(login, world):
    room, _ = _room(world, museum=make_museum("阳高县博物馆", county="140221"))
    assert login(world.city_supervisor).get(reverse("environment:room", args=[room.pk])).status_code == 200
    helped_room, _ = _room(world)
    assert login(world.city_supervisor).get(reverse("environment:room", args=[helped_room.pk])).status_code == 404


def test_a_room_whose_logger_went_silent_is_amber_and_says_so(login, world):
    room, sensor = _room(world, hours=0)
    services.readings_add_manual(sensor=sensor, by=world.helped_staff, items=[
        ReadingIn(time=timezone.now() - datetime.timedelta(hours=6), temperature=18, rh=45)])
    page = login(world.helped_staff).get(reverse("environment:home"))
    assert page.context["rooms"][0].status == "amber"
    assert "1 个传感器失联" in page.content.decode()
    assert login(world.helped_staff).get(reverse("environment:home_panel")).context["env_own"]["counts"]["amber"] == 1


def test_the_limits_table_reads_the_defaults_for_classes_missing_from_it(world):
    from bangfu.environment import limits

    MaterialLimit.objects.filter(material_class="silicate").delete()
    MaterialLimit.objects.filter(material_class="metal_glass").update(rh_max=35)
    table = limits.limit_table()
    assert table["silicate"]["rh_min"] == 40 and table["silicate"]["rh_max"] == 50  # the default row
    assert table["metal_glass"]["rh_max"] == 35  # a stored row wins
