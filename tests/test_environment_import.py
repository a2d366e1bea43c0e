"""Importing a logger file into a sensor's readings — the service, the page (upload → preview → save), the API
(`POST /api/environment/sensors/{id}/imports`) and the command (`import_readings`): what is saved, what is
refused, who may do it."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from bangfu.api.services import token_create
from bangfu.core.models import AuditEntry
from bangfu.environment import imports
from bangfu.environment.models import Reading, ReadingImport, ReadingSource

from . import environment_import_samples as samples
from .environment_import_samples import FIRST_UTC, environment
from .factories import make_agreement

pytestmark = pytest.mark.django_db

BAD_FILE = samples.template_csv(["2026-03-15 14:00,21.5,52.0,,", "2026-03-15 14:15,abc,52.0,,",
                                 "2026-03-15 14:30,21.7,52.2,,"])


@pytest.fixture
def env(world):
    return environment(world)


def stored(sensor):
    return list(Reading.objects.filter(sensor=sensor).order_by("time").values_list("time", "temperature", "rh"))


# --- the service ---------------------------------------------------------------------------------------------


def test_a_file_is_saved_as_file_readings_of_the_sensor_and_audited(world, env):
    outcome = imports.import_save(sensor=env.sensor, by=world.helped_staff, data=samples.hoboware(),
                                  filename="库房1.csv", mode=imports.ALL_OR_NOTHING)
    assert (outcome.saved, outcome.duplicates, outcome.refused) == (6, 0, [])
    rows = stored(env.sensor)
    assert len(rows) == 6 and rows[0] == (FIRST_UTC, 21.5, 52.118)
    assert set(Reading.objects.filter(sensor=env.sensor).values_list("source", flat=True)) == {ReadingSource.FILE}
    env.sensor.refresh_from_db()
    assert env.sensor.last_reading_at == FIRST_UTC + datetime.timedelta(minutes=75)
    entry = AuditEntry.objects.get(action="导入读数文件")
    assert entry.actor == world.helped_staff and "新增 6 条" in entry.changes["读数"][1]


def test_importing_the_same_file_twice_saves_nothing_the_second_time(world, env):
    first = imports.import_save(sensor=env.sensor, by=world.helped_staff, data=samples.elitech_csv(),
                                filename="a.csv", mode=imports.ALL_OR_NOTHING)
    again = imports.import_save(sensor=env.sensor, by=world.helped_staff, data=samples.elitech_csv(),
                                filename="a.csv", mode=imports.ALL_OR_NOTHING)
    assert (first.saved, again.saved, again.duplicates) == (4, 0, 4)
    assert len(stored(env.sensor)) == 4


def test_all_or_nothing_saves_nothing_when_a_line_is_bad(world, env):
    with pytest.raises(ValidationError) as caught:
        imports.import_save(sensor=env.sensor, by=world.helped_staff, data=BAD_FILE, filename="a.csv",
                            mode=imports.ALL_OR_NOTHING)
    assert "1 行有误" in caught.value.message_dict["file"][0]
    assert stored(env.sensor) == []


def test_good_only_saves_the_good_lines_and_reports_the_bad_one(world, env):
    outcome = imports.import_save(sensor=env.sensor, by=world.helped_staff, data=BAD_FILE, filename="a.csv",
                                  mode=imports.GOOD_ONLY)
    assert outcome.saved == 2 and outcome.parsed.bad_lines == [{"line": 3, "reason": "温度“abc”不是数字"}]
    assert [t for t, _, _ in stored(env.sensor)] == [FIRST_UTC, FIRST_UTC + datetime.timedelta(minutes=30)]


@pytest.mark.parametrize("persona", ["helper_staff", "outsider", "province_supervisor", "admin"])
def test_only_the_museums_own_staff_may_import_readings(world, env, persona):
    make_agreement(world, tasks=[{"title": "库房环境监测指导", "due_date": datetime.date(2027, 1, 1)}])
    with pytest.raises(PermissionDenied):
        imports.import_save(sensor=env.sensor, by=getattr(world, persona), data=samples.hoboware(),
                            filename="a.csv", mode=imports.GOOD_ONLY)
    assert stored(env.sensor) == []


# --- the page ------------------------------------------------------------------------------------------------


def upload(client, sensor, data: bytes, name: str = "logger.csv"):
    return client.post(reverse("environment:sensor_import", args=[sensor.pk]),
                       {"file": SimpleUploadedFile(name, data)})


def test_the_upload_page_offers_the_formats_and_the_templates(login, world, env):
    response = login(world.helped_staff).get(reverse("environment:sensor_import", args=[env.sensor.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "HOBOware" in body and "精创 ElitechLog" in body and "时间,温度,相对湿度,照度,紫外" in body
    assert reverse("environment:import_template", args=["csv"]) in body


def queries_of(request) -> tuple[int, object]:
    """How many queries a request runs (counted as they run: the test client resets Django's own query log)."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = request()
    return count[0], response


def test_the_upload_page_lists_recent_uploads_in_a_fixed_number_of_queries(login, world, env):
    client = login(world.helped_staff)
    url = reverse("environment:sensor_import", args=[env.sensor.pk])
    upload(client, env.sensor, samples.hoboware())
    one, _ = queries_of(lambda: client.get(url))
    for _ in range(4):
        upload(client, env.sensor, samples.elitech_csv())
    five, response = queries_of(lambda: client.get(url))
    page = response.content.decode()
    assert five == one
    assert page.count(reverse("environment:import_batch", args=[ReadingImport.objects.first().pk])) == 1


def test_a_preview_shows_format_span_gaps_and_every_bad_line_before_anything_is_saved(login, world, env):
    client = login(world.helped_staff)
    rows = [f"2026-03-15 {t},21.5,52.0,," for t in ("14:00", "14:15", "14:30", "14:45", "16:00", "16:15")]
    rows.insert(2, "2026-03-15 14:20,oops,52.0,,")
    response = upload(client, env.sensor, samples.template_csv(rows))
    batch = ReadingImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("environment:import_batch", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "本平台模板" in page and "2026-03-15 14:00 至 2026-03-15 16:15" in page
    assert "2026-03-15 14:45 至 2026-03-15 16:00" in page  # the gap
    assert "第 4 行" in page and "温度“oops”不是数字" in page
    assert re.search(r'<input[^>]*value="good_only"[^>]*checked', page)  # bad lines: only the good ones offered first
    assert stored(env.sensor) == []


def test_confirming_saves_the_readings_and_goes_to_the_room_page(login, world, env):
    client = login(world.helped_staff)
    upload(client, env.sensor, samples.hoboware(chinese_windows=True))
    batch = ReadingImport.objects.get()
    response = client.post(reverse("environment:import_batch", args=[batch.pk]), {"mode": imports.ALL_OR_NOTHING})
    batch.refresh_from_db()
    assert batch.status == ReadingImport.Status.DONE and batch.summary["saved"] == 6
    assert response.status_code == 302
    assert response.url == reverse("environment:room", args=[env.room.pk])
    room = client.get(response.url).content.decode()
    assert "保存 6 条读数" in room and env.sensor.name in room  # the message lands on the room page
    assert len(stored(env.sensor)) == 6
    again = client.post(reverse("environment:import_batch", args=[batch.pk]), {"mode": imports.ALL_OR_NOTHING})
    assert again.status_code == 302 and len(stored(env.sensor)) == 6  # a second confirmation saves nothing more
    done = client.get(reverse("environment:import_batch", args=[batch.pk])).content.decode()
    assert "已保存 6 条读数" in done


def test_all_or_nothing_is_refused_beside_the_choice_when_the_file_has_bad_lines(login, world, env):
    client = login(world.helped_staff)
    upload(client, env.sensor, BAD_FILE)
    batch = ReadingImport.objects.get()
    response = client.post(reverse("environment:import_batch", args=[batch.pk]), {"mode": imports.ALL_OR_NOTHING})
    assert response.status_code == 400 and "1 行有误" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ReadingImport.Status.PENDING and stored(env.sensor) == []


def test_cancelling_an_upload_saves_nothing(login, world, env):
    client = login(world.helped_staff)
    upload(client, env.sensor, samples.hoboware())
    batch = ReadingImport.objects.get()
    client.post(reverse("environment:import_batch", args=[batch.pk]), {"cancel": "1"})
    batch.refresh_from_db()
    assert batch.status == ReadingImport.Status.CANCELLED and stored(env.sensor) == []


@pytest.mark.parametrize(("data", "message"), [
    (b"", "文件是空的"),
    ("<html><table><tr><td>时间</td></tr></table></html>".encode(), "网页（HTML）"),
    (b"\x00\x01\x02\x03" * 500, "不是文本表格"),
])
def test_a_broken_file_is_refused_beside_the_field_and_nothing_is_kept(login, world, env, data, message):
    response = upload(login(world.helped_staff), env.sensor, data, name="broken.xls")
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReadingImport.objects.exists()


def test_a_large_file_is_saved_by_a_background_task(login, world, env, monkeypatch):
    monkeypatch.setattr(imports, "SYNC_MAX_READINGS", 2)
    client = login(world.helped_staff)
    upload(client, env.sensor, samples.elitech_csv())
    batch = ReadingImport.objects.get()
    response = client.post(reverse("environment:import_batch", args=[batch.pk]), {"mode": imports.GOOD_ONLY})
    assert response.url == reverse("environment:import_batch", args=[batch.pk])  # the task ran (immediate backend)
    batch.refresh_from_db()
    assert batch.status == ReadingImport.Status.DONE and len(stored(env.sensor)) == 4


def test_the_progress_page_of_a_saving_batch(login, world, env):
    client = login(world.helped_staff)
    upload(client, env.sensor, samples.elitech_csv())
    batch = ReadingImport.objects.get()
    ReadingImport.objects.filter(pk=batch.pk).update(status=ReadingImport.Status.SAVING)
    page = client.get(reverse("environment:import_batch", args=[batch.pk])).content.decode()
    assert "保存中" in page and reverse("environment:import_progress", args=[batch.pk]) in page
    fragment = client.get(reverse("environment:import_progress", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'id="import-progress"' in fragment.content.decode()


def test_a_helper_sees_but_may_not_import_and_an_outsider_gets_404(login, client, world, env):
    make_agreement(world, tasks=[{"title": "库房环境监测指导", "due_date": datetime.date(2027, 1, 1)}])
    url = reverse("environment:sensor_import", args=[env.sensor.pk])
    assert login(world.helper_staff).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    assert upload(login(world.outsider), env.sensor, samples.hoboware()).status_code == 404
    assert not ReadingImport.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_downloaded_template_reads_back_as_the_template(login, world, kind):
    from bangfu.environment.importers import parse

    response = login(world.helped_staff).get(reverse("environment:import_template", args=[kind]))
    data = b"".join(response.streaming_content)
    result = parse(data, f"模板.{kind}")
    assert result.format == "template" and [c["parameter"] for c in result.columns] == ["temperature", "rh", "lux",
                                                                                         "uv"]
    assert result.readings[0].time.astimezone(datetime.UTC) == FIRST_UTC


# --- the API -------------------------------------------------------------------------------------------------


def api_post(client, user, sensor_id, data: bytes, **fields):
    _, raw = token_create(user=user, name="记录仪导入")
    return client.post(f"/api/environment/sensors/{sensor_id}/imports",
                       {"file": SimpleUploadedFile("logger.csv", data), **fields},
                       HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_an_api_dry_run_answers_the_preview_and_saves_nothing(client, world, env):
    response = api_post(client, world.helped_staff, env.sensor.pk, BAD_FILE, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert body["format"] == "template" and body["readings"] == 2 and body["dry_run"] is True
    assert body["first"] == "2026-03-15T14:00:00+08:00" and body["last"] == "2026-03-15T14:30:00+08:00"
    assert body["bad_lines"] == [{"line": 3, "reason": "温度“abc”不是数字"}] and body["gaps"] == []
    assert body["saved"] is None and stored(env.sensor) == []


def test_an_api_import_saves_the_good_lines_and_a_second_one_saves_none(client, world, env):
    body = api_post(client, world.helped_staff, env.sensor.pk, BAD_FILE).json()
    assert (body["saved"], body["duplicates"], body["readings"]) == (2, 0, 2)
    again = api_post(client, world.helped_staff, env.sensor.pk, BAD_FILE).json()
    assert (again["saved"], again["duplicates"]) == (0, 2)


def test_an_api_all_or_nothing_import_with_a_bad_line_is_a_422(client, world, env):
    response = api_post(client, world.helped_staff, env.sensor.pk, BAD_FILE, mode="all_or_nothing")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    assert stored(env.sensor) == []


@pytest.mark.parametrize("data", [b"", b"\x00\xff" * 100, "名称,数量\r\n铜鼎,1\r\n".encode()])
def test_an_api_import_of_a_broken_file_is_a_422_naming_the_file(client, world, env, data):
    response = api_post(client, world.helped_staff, env.sensor.pk, data)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file" and response.json()["detail"]


def test_the_api_answers_404_to_an_outsider_and_403_to_a_helper(client, world, env):
    make_agreement(world, tasks=[{"title": "库房环境监测指导", "due_date": datetime.date(2027, 1, 1)}])
    assert api_post(client, world.outsider, env.sensor.pk, samples.hoboware()).status_code == 404
    assert api_post(client, world.helper_staff, env.sensor.pk, samples.hoboware()).status_code == 403
    assert api_post(client, world.helped_staff, 999_999, samples.hoboware()).status_code == 404
    assert stored(env.sensor) == []


def test_the_api_refuses_a_dry_run_that_is_not_a_boolean(client, world, env):
    response = api_post(client, world.helped_staff, env.sensor.pk, samples.hoboware(), dry_run="maybe")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "dry_run"


# --- the command ---------------------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_readings", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_the_command_prints_the_summary_and_saves(world, env, tmp_path):
    path = tmp_path / "hobo.csv"
    path.write_bytes(samples.hoboware(chinese_windows=True))
    output = run(env.sensor.pk, path)
    assert "格式：HOBOware 导出（Onset HOBO）（GB18030/GBK）" in output
    assert "有效读数：6 条，2026-03-15 14:00 至 2026-03-15 15:15" in output
    assert "已保存 6 条读数；已有 0 条" in output and len(stored(env.sensor)) == 6
    assert "已保存 0 条读数；已有 6 条" in run(env.sensor.pk, path)
    assert AuditEntry.objects.filter(action="导入读数文件", actor=None, note="命令行导入").count() == 2


def test_the_command_dry_run_lists_the_bad_lines_and_saves_nothing(world, env, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILE)
    output = run(env.sensor.pk, path, "--dry-run")
    assert "第 3 行：温度“abc”不是数字" in output and "试读：未保存任何读数。" in output
    assert stored(env.sensor) == []


def test_the_command_fails_with_bad_lines_unless_good_only(world, env, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILE)
    with pytest.raises(CommandError, match="1 行有误"):
        run(env.sensor.pk, path)
    assert stored(env.sensor) == []
    assert "已保存 2 条读数" in run(env.sensor.pk, path, "--good-only")


@pytest.mark.parametrize(("args", "message"), [
    (["999999", "x.csv"], "没有编号为 999999 的传感器"),
    (["{sensor}", "/nonexistent/file.csv"], "找不到文件"),
    (["{sensor}", "{empty}"], "文件是空的"),
    (["{sensor}", "{hobo}", "--user", "outsider"], "没有权限"),
])
def test_the_command_exits_with_a_chinese_error(world, env, tmp_path, args, message):
    empty, hobo = tmp_path / "empty.csv", tmp_path / "hobo.csv"
    empty.write_bytes(b"")
    hobo.write_bytes(samples.hoboware())
    values = {"sensor": env.sensor.pk, "empty": empty, "hobo": hobo}
    with pytest.raises(CommandError, match=message):
        run(*[a.format(**values) for a in args])
    assert stored(env.sensor) == []
