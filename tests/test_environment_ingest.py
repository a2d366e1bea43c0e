"""Readings from gateways: the ingest API (a site token or a staff member's token), idempotent on sensor and time,
each bad item refused on its own; rooms and sensors registered through the API; the fast writer's query count."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.api.services import token_create
from bangfu.environment import partitions
from bangfu.environment.models import Reading, Room, Sensor, Site
from bangfu.environment.readings import ReadingIn, readings_save
from bangfu.environment.services import room_create, sensor_create, site_create, site_token_rotate

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BASE = datetime.datetime(2026, 11, 2, 0, 0, tzinfo=UTC)


def make_sensor(museum, admin, *, site_name="主馆", room_name="一号库房", name="T1") -> Sensor:
    site = Site.objects.filter(museum=museum, name=site_name).first() or site_create(
        museum=museum, by=admin, name=site_name)
    room = Room.objects.filter(site=site, name=room_name).first() or room_create(
        site=site, by=admin, name=room_name, materials=["paper_textile"])
    return sensor_create(room=room, by=admin, name=name)


def items(sensor, count, *, start=BASE, step=15):
    return [{"sensor_id": sensor.pk, "time": (start + datetime.timedelta(minutes=step * i)).isoformat(),
             "temperature": 18 + i % 5 / 10, "rh": 55.0, "lux": 40, "uv": 5} for i in range(count)]


def post(client, body, *, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/api/environment/readings", json.dumps(body) if not isinstance(body, bytes) else body,
                       content_type="application/json", **headers)


@pytest.fixture
def sensor(world):
    return make_sensor(world.helped_museum, world.helped_admin)


@pytest.fixture
def gateway(world, sensor):
    return site_token_rotate(site=sensor.room.site, by=world.helped_admin)


# --- idempotency and per-item refusals ------------------------------------------------------------------------


def test_a_batch_sent_twice_is_saved_once_and_counted_as_duplicates_the_second_time(client, sensor, gateway):
    first = post(client, {"readings": items(sensor, 20)}, token=gateway)
    assert first.status_code == 200
    assert first.json() == {"saved": 20, "duplicates": 0, "refused": []}
    again = post(client, {"readings": items(sensor, 20)}, token=gateway).json()
    assert again == {"saved": 0, "duplicates": 20, "refused": []}
    assert Reading.objects.filter(sensor=sensor).count() == 20
    sensor.refresh_from_db()
    assert sensor.last_reading_at == BASE + datetime.timedelta(minutes=15 * 19)


def test_a_bare_list_is_a_batch_too(client, sensor, gateway):
    assert post(client, items(sensor, 3), token=gateway).json()["saved"] == 3


def test_a_time_given_twice_in_one_batch_is_saved_once(sensor):
    reading = ReadingIn(time=BASE, temperature=20.0)
    result = readings_save(sensor=sensor, items=[reading, reading, ReadingIn(time=BASE, temperature=30.0)])
    assert (result.saved, result.duplicates) == (1, 2)
    assert Reading.objects.get(sensor=sensor).temperature == 20.0


def test_malformed_and_impossible_items_are_refused_one_by_one_while_the_good_ones_are_kept(client, sensor, gateway):
    good = items(sensor, 2)
    t = (BASE + datetime.timedelta(hours=5)).isoformat()
    bad = [
        {"sensor_id": sensor.pk, "temperature": 20},                                     # 2 no time
        {"sensor_id": sensor.pk, "time": "2026-11-02T08:00:00", "temperature": 20},      # 3 naive
        {"sensor_id": sensor.pk, "time": t, "temperature": "20"},                        # 4 string
        {"sensor_id": sensor.pk, "time": t, "rh": 150},                                  # 5 impossible
        {"sensor_id": sensor.pk, "time": t, "temperature": 10**30},                      # 6 huge
        "not an object",                                                                 # 7
        {"sensor_id": "abc", "time": t, "temperature": 20},                              # 8 bad id
        {"sensor_id": sensor.pk, "time": t, "temperature": True},                        # 9 a boolean
        {"sensor_id": sensor.pk, "time": "2099-01-01T00:00:00Z", "temperature": 20},     # 10 future
        {"sensor_id": sensor.pk, "time": t},                                             # 11 nothing measured
        {"sensor_id": sensor.pk, "time": "下午三点", "temperature": 20},                  # 12 not a time
        {"sensor_id": 10**12, "time": t, "temperature": 20},                             # 13 no such sensor
    ]
    body = json.dumps({"readings": good + bad}).encode()
    # NaN and a number beyond float range are valid for Python's JSON reader; both are refused per item
    body = body[:-2] + (f', {{"sensor_id": {sensor.pk}, "time": "{t}", "temperature": NaN}}'
                        f', {{"sensor_id": {sensor.pk}, "time": "{t}", "lux": 1e400}}]}}').encode()
    response = post(client, body, token=gateway)
    assert response.status_code == 200
    answer = response.json()
    assert answer["saved"] == 2 and answer["duplicates"] == 0
    reasons = {r["index"]: r["reason"] for r in answer["refused"]}
    assert sorted(reasons) == list(range(2, 16))
    assert "缺少时间" in reasons[2]
    assert "未带时区" in reasons[3]
    assert reasons[4] == "temperature 必须是数字"
    assert "超出可能范围" in reasons[5] and "rh" in reasons[5]
    assert "超出可能范围" in reasons[6]
    assert reasons[7] == "不是 JSON 对象"
    assert "sensor_id" in reasons[8]
    assert reasons[9] == "temperature 必须是数字"
    assert reasons[10] == "时间晚于现在"
    assert reasons[11] == "没有任何读数"
    assert "时间格式不正确" in reasons[12]
    assert "没有这个传感器" in reasons[13]
    assert "不是有效数字" in reasons[14] and "不是有效数字" in reasons[15]
    assert {r["sensor_id"] for r in answer["refused"] if r["index"] in (7, 8)} == {None}
    assert Reading.objects.filter(sensor=sensor).count() == 2


def test_a_unix_timestamp_and_a_z_time_are_the_same_moment(client, sensor, gateway):
    answer = post(client, [{"sensor_id": sensor.pk, "time": BASE.timestamp(), "temperature": 20},
                           {"sensor_id": sensor.pk, "time": "2026-11-02T08:00:00+08:00", "temperature": 21}],
                  token=gateway).json()
    assert (answer["saved"], answer["duplicates"]) == (1, 1)
    assert Reading.objects.get(sensor=sensor).time == BASE


def test_a_batch_over_the_limit_is_refused_whole_with_a_chinese_message(client, sensor, gateway):
    response = post(client, {"readings": items(sensor, 10_001, step=1)}, token=gateway)
    assert response.status_code == 422
    assert "不能超过 10000" in response.json()["detail"]
    assert not Reading.objects.exists()


def test_a_body_that_is_no_batch_is_a_422(client, gateway):
    for body in ({"readings": "many"}, {"items": []}, 42):
        assert post(client, body, token=gateway).status_code == 422


# --- who may write --------------------------------------------------------------------------------------------


def test_a_site_token_cannot_write_to_another_museums_sensor(client, world, sensor, gateway):
    foreign = make_sensor(world.other_museum, world.outsider_admin)
    answer = post(client, items(sensor, 2) + items(foreign, 3), token=gateway).json()
    assert answer["saved"] == 2
    assert [(r["index"], r["sensor_id"]) for r in answer["refused"]] == [(2, foreign.pk), (3, foreign.pk),
                                                                        (4, foreign.pk)]
    assert not Reading.objects.filter(sensor=foreign).exists()


def test_a_site_token_cannot_write_to_another_site_of_the_same_museum(client, world, sensor, gateway):
    other_site = make_sensor(world.helped_museum, world.helped_admin, site_name="文物库区")
    answer = post(client, items(other_site, 2), token=gateway).json()
    assert answer["saved"] == 0 and len(answer["refused"]) == 2


def test_a_rotated_or_unknown_site_token_is_refused_for_the_whole_batch(client, world, sensor, gateway):
    site_token_rotate(site=sensor.room.site, by=world.helped_admin)
    response = post(client, items(sensor, 2), token=gateway)
    assert response.status_code == 401 and response.json()["detail"] == "网关令牌无效或已撤销。"
    assert post(client, items(sensor, 2)).status_code == 401
    assert not Reading.objects.exists()


def test_the_museums_staff_may_write_with_their_personal_token(client, world, sensor):
    _, raw = token_create(user=world.helped_staff, name="手持仪")
    assert post(client, items(sensor, 4), token=raw).json()["saved"] == 4


def test_an_outsiders_personal_token_writes_nothing(client, world, sensor):
    for user in (world.outsider, world.helper_staff, world.city_supervisor):
        _, raw = token_create(user=user, name="试试") if user.role != "supervisor" else (None, None)
        if raw is None:
            continue
        answer = post(client, items(sensor, 3), token=raw).json()
        assert answer["saved"] == 0
        assert {r["reason"] for r in answer["refused"]} == {"没有这个传感器，或无权写入它的读数"}
    assert not Reading.objects.exists()


def test_a_signed_in_staff_member_writes_through_the_session(login, world, sensor):
    client = login(world.helped_staff)
    assert post(client, items(sensor, 2)).json()["saved"] == 2


# --- query counts -------------------------------------------------------------------------------------------------


def _queries(client, body, token) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert post(client, body, token=token).status_code == 200
    return len(ctx.captured_queries)


def test_the_queries_of_a_batch_do_not_grow_with_its_readings(client, world, sensor, gateway):
    second = make_sensor(world.helped_museum, world.helped_admin, name="T2")
    day = datetime.timedelta(days=1)
    partitions.ensure(BASE - 100 * day, BASE)  # the months exist (their creation is counted elsewhere)

    def batch(count, start):
        return items(sensor, count, start=start) + items(second, count, start=start)

    new_small = _queries(client, batch(5, BASE - 90 * day), gateway)
    new_large = _queries(client, batch(1500, BASE - 80 * day), gateway)
    assert new_large <= new_small
    # batches overlapping what is stored (partly new): the careful way, whatever their size
    overlapping = _queries(client, batch(2500, BASE - 80 * day), gateway)
    assert _queries(client, batch(4500, BASE - 80 * day), gateway) == overlapping
    assert _queries(client, batch(5, BASE - 90 * day), gateway) <= new_small  # all duplicates: nothing to roll up
    assert Reading.objects.count() == 2 * (5 + 4500)


# --- rooms and sensors ----------------------------------------------------------------------------------------------


def test_a_room_is_registered_with_its_materials_and_own_limits(client, world):
    _, raw = token_create(user=world.helped_admin, name="脚本")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/api/environment/rooms", {"name": "书画库", "kind": "storeroom",
                                                      "materials": ["paper_textile", "metal_glass"], "rh_min": 50,
                                                      "rh_max": 58}, content_type="application/json", **auth)
    assert response.status_code == 201, response.json()
    body = response.json()
    room = Room.objects.get(pk=body["id"])
    assert room.materials == ["metal_glass", "paper_textile"]
    assert (room.rh_min, room.rh_max, room.temp_min) == (50, 58, None)
    assert body["site"] == "主馆" and room.site.museum == world.helped_museum  # made for the first room

    sensor = client.post("/api/environment/sensors", {"room_id": room.pk, "name": "温湿度计 1", "serial": "MX-01"},
                         content_type="application/json", **auth)
    assert sensor.status_code == 201
    created = Sensor.objects.get(pk=sensor.json()["id"])
    assert (created.room, created.serial, created.interval_minutes) == (room, "MX-01", 15)
    listed = client.get("/api/environment/sensors", {"room": room.pk}, **auth).json()
    assert [s["id"] for s in listed["items"]] == [created.pk]
    assert [r["id"] for r in client.get("/api/environment/rooms", **auth).json()["items"]] == [room.pk]


def test_a_room_or_sensor_name_taken_is_a_422_in_plain_chinese(client, world, sensor):
    token = token_create(user=world.helped_admin, name="脚本")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    room = client.post("/api/environment/rooms", {"name": sensor.room.name, "materials": ["paper_textile"],
                                                  "site_id": sensor.room.site_id},
                       content_type="application/json", **headers)
    assert room.status_code == 422 and "这个点位已有同名的库房/展厅/展柜，请换一个名称。" in room.json()["detail"]
    assert [e["field"] for e in room.json()["errors"]] == ["name"]
    again = client.post("/api/environment/sensors", {"room_id": sensor.room_id, "name": sensor.name},
                        content_type="application/json", **headers)
    assert again.status_code == 422 and "这个库房已有同名的传感器，请换一个名称。" in again.json()["detail"]
    assert [e["field"] for e in again.json()["errors"]] == ["name"]


def test_bad_room_values_are_422_beside_their_field(client, world):
    _, raw = token_create(user=world.helped_admin, name="脚本")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    cases = [({"name": "甲", "materials": ["gold"]}, "materials.0"),
             ({"name": "甲", "temp_min": 25, "temp_max": 18}, "temp_max"),
             ({"name": "甲", "rh_max": 140}, "rh_max"),
             ({"name": ""}, "name")]
    for body, field in cases:
        response = client.post("/api/environment/rooms", body, content_type="application/json", **auth)
        assert response.status_code == 422, body
        assert field in [e["field"] for e in response.json()["errors"]], (body, response.json())
    assert not Room.objects.exists()


def test_the_association_names_the_site_of_a_room(client, world, sensor):
    _, raw = token_create(user=world.admin, name="协会")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/api/environment/rooms", {"name": "展厅"}, content_type="application/json", **auth)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "site_id"
    response = client.post("/api/environment/rooms", {"name": "展厅", "site_id": sensor.room.site_id},
                           content_type="application/json", **auth)
    assert response.status_code == 201 and Room.objects.get(pk=response.json()["id"]).site == sensor.room.site


def test_outsiders_cannot_register_in_another_museums_rooms(client, world, sensor):
    _, raw = token_create(user=world.outsider, name="外馆")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/api/environment/sensors", {"room_id": sensor.room_id, "name": "X"},
                           content_type="application/json", **auth)
    assert response.status_code == 404
    response = client.post("/api/environment/rooms", {"name": "X", "site_id": sensor.room.site_id},
                           content_type="application/json", **auth)
    assert response.status_code == 404
    assert client.get("/api/environment/rooms", **auth).json()["count"] == 0
    assert Sensor.objects.count() == 1


def test_a_helper_sees_its_partners_rooms_but_cannot_add_to_them(client, world, sensor):
    from tests.factories import make_agreement

    make_agreement(world, tasks=[{"title": "环境监测培训", "due_date": datetime.date(2027, 1, 1)}])
    _, raw = token_create(user=world.helper_staff, name="帮扶")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert [r["id"] for r in client.get("/api/environment/rooms", **auth).json()["items"]] == [sensor.room_id]
    response = client.post("/api/environment/sensors", {"room_id": sensor.room_id, "name": "X"},
                           content_type="application/json", **auth)
    assert response.status_code == 403


def test_a_stale_last_reading_time_never_saves_a_reading_twice(sensor):
    """On PostgreSQL a batch after the sensor's last reading goes in by COPY; a stale last time falls back."""
    first = [ReadingIn(time=BASE + datetime.timedelta(minutes=15 * i), temperature=20.0) for i in range(3)]
    assert readings_save(sensor=sensor, items=first).saved == 3
    stale = Sensor.objects.get(pk=sensor.pk)
    stale.last_reading_at = None
    result = readings_save(sensor=stale, items=[*first, ReadingIn(time=BASE + datetime.timedelta(hours=2), rh=50.0)])
    assert (result.saved, result.duplicates) == (1, 3)
    assert Reading.objects.filter(sensor=sensor).count() == 4


def test_a_body_beyond_the_upload_limit_is_a_json_413(client, sensor, gateway):
    padded = [item | {"note": "x" * 1000} for item in items(sensor, 6000, step=1)]
    response = post(client, {"readings": padded}, token=gateway)
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "请求内容过大（上限 5 MB），请分批发送。"}


def test_the_room_and_sensor_lists_take_the_same_queries_for_one_row_or_many(client, world, sensor):
    _, raw = token_create(user=world.helped_staff, name="脚本")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **auth).status_code == 200
        return len(ctx.captured_queries)

    count("/api/environment/rooms")  # the first request of the process reads what later ones find cached
    one = (count("/api/environment/rooms"), count("/api/environment/sensors"))
    for n in range(5):
        make_sensor(world.helped_museum, world.helped_admin, room_name=f"展柜 {n}", name=f"S{n}")
    assert (count("/api/environment/rooms"), count("/api/environment/sensors")) == one
    assert client.get("/api/environment/sensors", **auth).json()["count"] == 6
