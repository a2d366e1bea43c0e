"""Environment monitoring at scale: how fast readings go in, and what a year of them costs the pages.

    .venv/bin/python bench/environment.py                  # SQLite: bench/out/environment.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_environment .venv/bin/python bench/environment.py

Ingest, the same rows (`--rows` 15-minute readings of one sensor, a year by default) written four ways in the same
run, each into a sensor of its own, rows/s side by side:

- the gateway API: POST /api/environment/readings in batches of `--batch` (500) with a site token, through Django's
  test client (JSON parsing, per-item checks, roll-ups of each batch included);
- `readings.readings_save` — what a file import calls once its parser has read the file — with the PostgreSQL
  INSERT … SELECT FROM unnest(arrays) … ON CONFLICT path, and with its COPY-into-a-temporary-table variant;
- a file import from a file: `file_import_hook` (a named hook, empty until the file parsers land: it then reads a
  generated logger file and saves it; until then the row is reported as skipped);
- PostgreSQL's own COPY of the same rows into the readings table (no checks, no conflicts, no roll-ups): the floor.

Pages: a room with two sensors holding a year of 15-minute data (70,080 readings, written with COPY at build time)
and its chart series (`rollups.series` over a year: daily roll-ups); the room page `environment:room` and the
helper's overview of `--partners` partner rooms `environment:watch` when those URL names exist (skipped with a
message otherwise). In-process like bench/loans.py: CPU and wall ms per call, medians of `--repeat`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import inprocess  # noqa: E402
from bench.inprocess import getter, print_table, timed  # noqa: E402

FIXTURE_VERSION = "1"
YEAR_OF_15_MIN = 365 * 96
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)  # the ingest rows: the year 2025
PAGE_END = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)  # the room's year of data ends here


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="环境监测基准测试：读数写入速度与一年数据的页面")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--rows", type=int, default=YEAR_OF_15_MIN,
                        help="每种写入方式的读数条数（默认一年 15 分钟数据）")
    parser.add_argument("--batch", type=int, default=500, help="接口每批条数（默认 500）")
    parser.add_argument("--partners", type=int, default=30, help="帮扶馆的结对馆数（每馆一间库房）")
    parser.add_argument("--repeat", type=int, default=10, help="页面每项重复次数（默认 10）")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    key = {"version": FIXTURE_VERSION, "partners": str(args.partners)}
    inprocess.run(name="environment", key=key, rebuild=args.rebuild, drop=args.drop, build=lambda: build(args),
                  measure=lambda db: measure(args, db))


# --- data -------------------------------------------------------------------------------------------------------


def reading_rows(count: int, start: datetime.datetime, *, lux: bool = True) -> list:
    """`count` plausible 15-minute readings from `start`: a daily wave of temperature and RH, lux in opening
    hours only."""
    from bangfu.environment.readings import ReadingIn

    rows = []
    for i in range(count):
        moment = start + datetime.timedelta(minutes=15 * i)
        phase = 2 * math.pi * ((moment.hour + 8) % 24 + moment.minute / 60) / 24
        season = math.sin(2 * math.pi * i / YEAR_OF_15_MIN)
        light = 120.0 + 30 * math.sin(phase) if lux and 9 <= (moment.hour + 8) % 24 < 17 else 0.0
        rows.append(ReadingIn(time=moment, temperature=round(18 + 4 * season + 1.5 * math.sin(phase), 2),
                              rh=round(55 + 6 * season - 3 * math.sin(phase), 2), lux=light if lux else None))
    return rows


def copy_rows(sensor_id: int, rows: list, *, source: str = "file") -> None:
    """Write rows with PostgreSQL's COPY (SQLite: executemany), the month partitions made first."""
    from django.db import connection, transaction

    from bangfu.environment import partitions

    with transaction.atomic():
        partitions.ensure(rows[0].time, rows[-1].time)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy("COPY environment_reading (sensor_id, time, temperature, rh, lux, uv, source) "
                                        "FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row((sensor_id, r.time, r.temperature, r.rh, r.lux, r.uv, source))
            else:
                adapt = connection.ops.adapt_datetimefield_value
                cursor.executemany(
                    "INSERT INTO environment_reading (sensor_id, time, temperature, rh, lux, uv, source) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [(sensor_id, adapt(r.time), r.temperature, r.rh, r.lux, r.uv, source) for r in rows])


def build(args) -> dict:
    """Thirty partner museums of 山西博物院 (active pairings), each with a site, a storeroom and a sensor holding the
    last week; the first partner's storeroom has two sensors (T/RH/lux) holding a year of 15-minute data. Readings
    written with COPY, roll-ups computed by `rollups.refresh`."""
    from django.db import connection

    from bangfu.accounts.services import user_create
    from bangfu.environment import rollups
    from bangfu.environment.services import room_create, sensor_create, site_create
    from bangfu.museums.services import museum_create
    from bangfu.pairings.models import Pairing, PairingStatus

    helper = museum_create(by=None, name="山西博物院", grade="一级")
    user_create(by=None, username="env-helper", role="museum_staff", museum=helper, password=PASSWORD)
    admin = user_create(by=None, username="env-association", role="association_admin", password=PASSWORD)
    today = datetime.date.today()
    year = reading_rows(YEAR_OF_15_MIN, PAGE_END - datetime.timedelta(minutes=15 * YEAR_OF_15_MIN))
    week = year[-7 * 96:]
    readings = 0
    for n in range(args.partners):
        museum = museum_create(by=None, name=f"结对县博物馆{n + 1:02d}", grade="未定级")
        staff = user_create(by=None, username=f"env-partner-{n + 1}", role="museum_admin", museum=museum,
                            password=PASSWORD)
        Pairing.objects.create(helper=helper, helped=museum, status=PairingStatus.ACTIVE, created_by=admin,
                               start_date=today - datetime.timedelta(days=300),
                               end_date=today + datetime.timedelta(days=400))
        site = site_create(museum=museum, by=staff, name="主馆")
        room = room_create(site=site, by=staff, name="一号库房", materials=["paper_textile", "silicate"])
        names, rows = (["温湿度计", "照度计"], year) if n == 0 else (["网关温湿度"], week)
        for name in names:
            sensor = sensor_create(room=room, by=staff, name=name)
            copy_rows(sensor.pk, rows)
            rollups.refresh(sensor_id=sensor.pk, start=rows[0].time, end=rows[-1].time)
            readings += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"partners": args.partners, "readings": readings}


# --- measuring ----------------------------------------------------------------------------------------------------


def file_import_hook(sensor, rows) -> int | None:
    """HOOK for the file import (issue 10, point 6b): write `rows` as a logger file, parse it with the importers'
    parser and save what it reads with `readings_save(source="file")`; return the rows saved. Until the parsers
    land this returns None and the file-import row of the report says so."""
    return None


def _ingest_sensor(label: str):
    """A fresh sensor (in a room of its own) for one way of writing, so no way meets another's rows."""
    from bangfu.accounts.models import User
    from bangfu.environment.models import Site
    from bangfu.environment.services import room_create, sensor_create

    staff = User.objects.get(username="env-partner-1")
    site = Site.objects.get(museum_id=staff.museum_id)
    room = room_create(site=site, by=staff, name=f"写入测试 {label} {uuid.uuid4().hex[:6]}")
    return sensor_create(room=room, by=staff, name="写入")


def _rate(fn, rows: int) -> dict:
    started = time.perf_counter()
    saved = fn()
    seconds = time.perf_counter() - started
    return {"rows": rows, "saved": saved, "seconds": seconds, "rate": rows / seconds if seconds else 0}


def measure_ingest(args) -> list[tuple[str, str, dict | None]]:
    from django.db import connection
    from django.test import Client

    from bangfu.accounts.models import User
    from bangfu.environment import readings
    from bangfu.environment.models import Reading, Sensor
    from bangfu.environment.services import site_token_rotate

    rows = reading_rows(args.rows, START)
    results: list[tuple[str, str, dict | None]] = []
    made: list[int] = []

    # the gateway API, batches of `--batch`, with the site's token
    sensor = _ingest_sensor("api")
    made.append(sensor.pk)
    staff = User.objects.get(username="env-partner-1")
    token = site_token_rotate(site=sensor.room.site, by=staff)
    client = Client()
    client.get("/__hello__/")  # the first request imports the URL map (scipy included): not ingest's time
    bodies = [json.dumps({"readings": [{"sensor_id": sensor.pk, "time": r.time.isoformat(),
                                        "temperature": r.temperature, "rh": r.rh, "lux": r.lux}
                                       for r in rows[i:i + args.batch]]})
              for i in range(0, len(rows), args.batch)]

    def api():
        saved = 0
        for body in bodies:
            response = client.post("/api/environment/readings", body, content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200, response.content[:300]
            saved += response.json()["saved"]
        return saved

    results.append(("gateway API", f"POST /api/environment/readings, {len(bodies)} batches of {args.batch}",
                    _rate(api, len(rows))))

    # readings_save, the file import's writer, in one call (its chunks of readings.CHUNK): as it runs ("auto": a
    # span the sensor has no readings in goes in by COPY), then each careful way forced (rows may be stored already)
    if connection.vendor == "postgresql":
        ways = [("auto", True, "new span → one COPY"), ("unnest", False, "INSERT … unnest … ON CONFLICT"),
                ("copy", False, "COPY to temp table → INSERT … ON CONFLICT")]
    else:
        ways = [("auto", True, "INSERT … ON CONFLICT executemany")]
    for method, direct, what in ways:
        sensor = _ingest_sensor(method)
        made.append(sensor.pk)
        readings.PG_METHOD, readings.DIRECT_COPY = method, direct
        try:
            results.append((f"readings_save ({method})", f"{what}; checks + roll-ups",
                            _rate(lambda s=sensor: readings.readings_save(sensor=s, items=rows, source="file").saved,
                                  len(rows))))
        finally:
            readings.PG_METHOD, readings.DIRECT_COPY = "auto", True
    again = _rate(lambda s=sensor: readings.readings_save(sensor=s, items=rows, source="file").duplicates, len(rows))
    again_row = ("readings_save, sent again", "every row a duplicate (ON CONFLICT DO NOTHING)", again)

    # the file import from a file (hook)
    sensor = _ingest_sensor("file")
    made.append(sensor.pk)
    started = time.perf_counter()
    saved = file_import_hook(sensor, rows)
    skipped = "" if saved is not None else "（解析器未接入，跳过）"
    results.append(("file import", f"file → parser → readings_save{skipped}",
                    None if saved is None else {"rows": len(rows), "saved": saved,
                                                "seconds": time.perf_counter() - started,
                                                "rate": len(rows) / (time.perf_counter() - started)}))

    # PostgreSQL's own COPY of the same rows (SQLite: one executemany INSERT)
    sensor = _ingest_sensor("copy")
    made.append(sensor.pk)

    def copy():
        copy_rows(sensor.pk, rows)
        return len(rows)

    floor = "COPY environment_reading FROM STDIN" if connection.vendor == "postgresql" else "executemany INSERT"
    results.append(("database floor", floor, _rate(copy, len(rows))))

    for label, _, result in results:
        assert result is None or result["saved"] == len(rows), (label, result)
    assert again["saved"] == len(rows)  # duplicates, here
    results.insert(-1, again_row)
    Reading.objects.filter(sensor_id__in=made).delete()
    Sensor.objects.filter(pk__in=made).delete()
    return results


def print_ingest(heading: str, results) -> None:
    floor = results[-1][2]["rate"]
    print(f"\n{heading}\n")
    print("| way | what | rows | s | rows/s | share of the floor |")
    print("|---|---|---|---|---|---|")
    for label, what, r in results:
        if r is None:
            print(f"| {label} | {what} | – | – | – | – |")
        else:
            print(f"| {label} | {what} | {r['rows']:,} | {r['seconds']:.2f} | {r['rate']:,.0f} | "
                  f"{r['rate'] / floor:.0%} |")


def measure(args, db) -> None:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bangfu.accounts.models import User
    from bangfu.environment import rollups
    from bangfu.environment.models import Reading, Room

    print_ingest(f"{db.label} · 写入同一批 {args.rows:,} 条 15 分钟读数（一个传感器）", measure_ingest(args))

    room = Room.objects.filter(sensors__name="照度计").get()
    sensor_ids = list(room.sensors.values_list("pk", flat=True))
    owner, helper = Client(), Client()
    owner.force_login(User.objects.get(username="env-partner-1"))
    helper.force_login(User.objects.get(username="env-helper"))
    results = []
    floor = timed(getter(Client(), "/__hello__/"), args.repeat * 5)
    results.append(("floor", "/__hello__/", floor))
    year_start = PAGE_END - datetime.timedelta(days=365)
    for label, start in (("a year", year_start), ("90 days", PAGE_END - datetime.timedelta(days=90)),
                         ("3 days", PAGE_END - datetime.timedelta(days=3))):
        points = rollups.series(sensor_ids, start, PAGE_END)
        count = sum(len(p) for p in points["points"].values())
        results.append((f"chart series, {label}", f"rollups.series, 2 sensors → {points['resolution']}, {count} points",
                        timed(lambda s=start: rollups.series(sensor_ids, s, PAGE_END), args.repeat)))
    for name, client, what, url_args in (("room", owner, "the room page, a year of 15-minute data", [room.pk]),
                                         ("watch", helper, f"the helper overview, {args.partners} partner rooms", [])):
        try:
            url = reverse(f"environment:{name}", args=url_args)
        except NoReverseMatch:
            print(f"environment:{name} 尚未实现，跳过（{what}）")
            continue
        results.append((f"environment:{name}", f"{url} — {what}", timed(getter(client, url), args.repeat)))
    print_table(f"{db.label} · 一间库房一年 15 分钟数据（{Reading.objects.filter(sensor_id__in=sensor_ids).count():,}"
                f" 条）· {args.partners} 个结对馆 · 每项重复 {args.repeat} 次（取中位数）", results, floor)


PASSWORD = "bench-password-not-secret"  # noqa: S105 — the benchmark's throw-away accounts


if __name__ == "__main__":
    main()
