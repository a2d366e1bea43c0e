"""Environment monitoring at scale: how fast readings go in, and what a year of them costs the pages.

    .venv/bin/python bench/environment.py                  # SQLite: bench/out/environment.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_environment .venv/bin/python bench/environment.py
    .venv/bin/python bench/environment.py --quick          # a quarter's rows, 3 repeats: a smoke run

Ingest, the same rows (`--rows` 15-minute readings of one sensor, a year by default) written four ways in the same
run, each into a sensor of its own, rows/s side by side:

- the gateway API: POST /api/environment/readings in batches of `--batch` (500) with a site token, through Django's
  test client (JSON parsing, per-item checks, roll-ups of each batch included);
- `readings.readings_save` — what a file import calls once its parser has read the file — with the PostgreSQL
  INSERT … SELECT FROM unnest(arrays) … ON CONFLICT path, and with its COPY-into-a-temporary-table variant;
- a file import: the same rows written as a HOBOware CSV export (T, RH, lux; `MM/DD/YY hh:mm:ss AM/PM`, GMT+08:00)
  by the bench, then read by the importers' `parse` alone (`imports.import_preview`, what the preview page does) and
  read and saved by `imports.import_save` (what the page's save, the API and the command call);
- PostgreSQL's own COPY of the same rows into the readings table (no checks, no conflicts, no roll-ups): the floor.

Pages: a helper museum with `--partners` (3) partner museums (one pairing agreed, the others active), each with
`--rooms` (10) rooms of two sensors holding the last two days of 15-minute readings (alerts evaluated on each
partner's first room); the
first room's two sensors hold a year up to the build (70,080 readings, written with COPY at build time, roll-ups by
`rollups.refresh`). Measured: `rollups.series` over a year / 90 days / 3 days, the room page `environment:room`
(default period and `?period=1y`), its chart JSON `environment:room_chart` (`?period=1y`, `30d`, `7d`), the
helper's overview `environment:watch` (all partner rooms) and the museum home `environment:home` (the partner's
own, 10 rooms; the helper's). The data ends at the build's day, which is part of the fixture key: a run on another
day builds again (the pages' periods end now). In-process like bench/loans.py: CPU and wall ms per call, medians of
`--repeat`, and the queries of one call.
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

FIXTURE_VERSION = "2"
YEAR_OF_15_MIN = 365 * 96
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)  # the ingest rows: the year 2025
RECENT = 2 * 96  # readings of each other sensor: the last two days
HOBO_SN = "LGR S/N: 20512345, SEN S/N: 20512345"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="环境监测基准测试：读数写入速度与一年数据的页面")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--rows", type=int, default=YEAR_OF_15_MIN,
                        help="每种写入方式的读数条数（默认一年 15 分钟数据）")
    parser.add_argument("--batch", type=int, default=500, help="接口每批条数（默认 500）")
    parser.add_argument("--partners", type=int, default=3, help="帮扶馆的结对馆数（默认 3）")
    parser.add_argument("--rooms", type=int, default=10, help="每个结对馆的库房数（每间两个传感器，默认 10）")
    parser.add_argument("--repeat", type=int, default=10, help="页面每项重复次数（默认 10）")
    parser.add_argument("--quick", action="store_true", help="快速试跑：写入一个季度的读数，页面每项重复 3 次")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.repeat = min(args.rows, 90 * 96), min(args.repeat, 3)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    key = {"version": FIXTURE_VERSION, "partners": str(args.partners), "rooms": str(args.rooms),
           "day": datetime.date.today().isoformat()}
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


def data_end() -> datetime.datetime:
    """The end of the pages' data: the build's last quarter hour (the pages' periods end now)."""
    now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    return now - datetime.timedelta(minutes=now.minute % 15)


def build(args) -> dict:
    """山西博物院 helping `--partners` county museums (the first pairing agreed, the others active), each with a
    site of `--rooms` storerooms of two sensors (T/RH and lux) holding the last two days; the first partner's first
    room's sensors hold a year of 15-minute data. Readings written with COPY, then what `readings_save` does after
    a save: last-reading time, roll-ups (`rollups.refresh`, the whole span) and, in each partner's first room,
    alerts (`alerts.evaluate`, the last two days: a few open alerts, the other rooms green)."""
    from django.db import connection

    from bangfu.accounts.services import user_create
    from bangfu.environment import alerts, rollups
    from bangfu.environment.models import Alert, Sensor
    from bangfu.environment.services import room_create, sensor_create, site_create
    from bangfu.museums.services import museum_create
    from bangfu.pairings.models import Pairing, PairingStatus

    helper = museum_create(by=None, name="山西博物院", grade="一级")
    user_create(by=None, username="env-helper", role="museum_staff", museum=helper, password=PASSWORD)
    admin = user_create(by=None, username="env-association", role="association_admin", password=PASSWORD)
    today = datetime.date.today()
    end = data_end()
    year = reading_rows(YEAR_OF_15_MIN, end - datetime.timedelta(minutes=15 * (YEAR_OF_15_MIN - 1)))
    recent = year[-RECENT:]
    readings = 0
    for n in range(args.partners):
        museum = museum_create(by=None, name=f"结对县博物馆{n + 1:02d}", grade="未定级")
        staff = user_create(by=None, username=f"env-partner-{n + 1}", role="museum_admin", museum=museum,
                            password=PASSWORD)
        Pairing.objects.create(helper=helper, helped=museum, created_by=admin,
                               status=PairingStatus.AGREED if n == 0 else PairingStatus.ACTIVE,
                               start_date=today - datetime.timedelta(days=300),
                               end_date=today + datetime.timedelta(days=400))
        site = site_create(museum=museum, by=staff, name="主馆")
        for r in range(args.rooms):
            room = room_create(site=site, by=staff, name=f"{r + 1}号库房", materials=["paper_textile", "silicate"])
            rows = year if n == 0 and r == 0 else recent
            for name in ("温湿度计", "照度计"):
                sensor = sensor_create(room=room, by=staff, name=name)
                copy_rows(sensor.pk, rows)
                Sensor.objects.filter(pk=sensor.pk).update(last_reading_at=rows[-1].time)
                rollups.refresh(sensor_id=sensor.pk, start=rows[0].time, end=rows[-1].time)
                if r == 0:  # a few alerts: the first room of each partner
                    alerts.evaluate(sensor=sensor, start=recent[0].time, end=recent[-1].time)
                readings += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"partners": args.partners, "rooms": args.partners * args.rooms, "readings": readings,
            "alerts": Alert.objects.count(), "open alerts": Alert.objects.filter(end__isnull=True).count()}


# --- measuring ----------------------------------------------------------------------------------------------------


def hoboware_file(rows) -> bytes:
    """`rows` as HOBOware 3.7 writes a U12's export: UTF-8 with BOM, CRLF, a plot title, the header with the GMT
    offset and serial numbers, `MM/DD/YY hh:mm:ss AM/PM` China time, three decimals, event columns left empty."""
    from bangfu.environment.importers.values import CHINA

    lines = ['"Plot Title: 20512345"',
             f'"#","Date Time, GMT+08:00","Temp, °C ({HOBO_SN})","RH, % ({HOBO_SN})",'
             f'"Intensity, Lux ({HOBO_SN})","Coupler Detached (LGR S/N: 20512345)",'
             '"Host Connected (LGR S/N: 20512345)","End Of File (LGR S/N: 20512345)"']
    for n, r in enumerate(rows, start=1):
        local = r.time.astimezone(CHINA)
        lines.append(f"{n},{local:%m/%d/%y %I:%M:%S %p},{r.temperature:.3f},{r.rh:.3f},{r.lux:.3f},,,")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def file_import(sensor, data: bytes) -> int:
    """What the import page's save (and the API, and the command) does with an uploaded file: `import_save` reads
    it and saves its readings through `readings_save` in chunks of `imports.CHUNK`, in one transaction, audited."""
    from bangfu.accounts.models import User
    from bangfu.environment import imports

    staff = User.objects.get(username="env-partner-1")
    outcome = imports.import_save(sensor=sensor, by=staff, data=data, filename="20512345.csv",
                                  mode=imports.ALL_OR_NOTHING)
    return outcome.saved


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
    from bangfu.environment.models import Reading, Room
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

    # the file import: the same rows as a logger's export file, read (the preview) and read + saved (the save)
    from bangfu.environment import imports

    data = hoboware_file(rows)

    def parse():
        parsed = imports.import_preview(data, "20512345.csv")
        assert parsed.format == "hoboware" and not parsed.bad_count, parsed.summary()
        return len(parsed.readings)

    results.append(("file import: read", f"HOBOware CSV, {len(data) / 1e6:.1f} MB → importers.parse (the preview)",
                    _rate(parse, len(rows))))
    sensor = _ingest_sensor("file")
    made.append(sensor.pk)
    results.append(("file import: read + save", "imports.import_save → readings_save (chunks of "
                    f"{imports.CHUNK:,}); audited", _rate(lambda s=sensor: file_import(s, data), len(rows))))

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
    Room.objects.filter(sensors__pk__in=made).delete()  # the ingest's rooms: not the pages' business
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
    from django.urls import reverse

    from bangfu.accounts.models import User
    from bangfu.environment import rollups
    from bangfu.environment.models import Alert, Reading, Room

    print_ingest(f"{db.label} · 写入同一批 {args.rows:,} 条 15 分钟读数（一个传感器）", measure_ingest(args))

    room = Room.objects.filter(name="1号库房", museum__name="结对县博物馆01").get()
    sensor_ids = list(room.sensors.values_list("pk", flat=True))
    end = Reading.objects.filter(sensor_id__in=sensor_ids).order_by("-time").values_list("time", flat=True)[0]
    owner, helper = Client(), Client()
    owner_user = User.objects.get(username="env-partner-1")
    owner.force_login(owner_user)
    helper.force_login(User.objects.get(username="env-helper"))
    results = []
    floor = timed(getter(Client(), "/__hello__/"), args.repeat * 5)
    results.append(("floor", "/__hello__/", floor))
    for label, days in (("a year", 365), ("90 days", 90), ("3 days", 3)):
        start = end - datetime.timedelta(days=days)
        points = rollups.series(sensor_ids, start, end)
        count = sum(len(p) for p in points["points"].values())
        results.append((f"chart series, {label}",
                        f"rollups.series, 2 sensors → {points['resolution']}, {count:,} points",
                        timed(lambda s=start: rollups.series(sensor_ids, s, end), args.repeat)))
    rooms = Room.objects.filter(museum__name__startswith="结对县博物馆").count()
    pages = [
        ("environment:room", owner, reverse("environment:room", args=[room.pk]), {},
         "the room page, default period (7 days)"),
        ("environment:room 1y", owner, reverse("environment:room", args=[room.pk]), {"period": "1y"},
         "the room page, a year of 15-minute data (2 sensors)"),
    ]
    for period in ("1y", "30d", "7d"):
        url = reverse("environment:room_chart", args=[room.pk])
        response = owner.get(url, {"period": period})
        body = response.json()
        count = sum(len(p) for p in body["points"].values())
        pages.append((f"environment:room_chart {period}", owner, url, {"period": period},
                      f"chart JSON → {body['resolution']}, {count:,} points, {len(body['daily'])} days, "
                      f"{len(response.content) / 1024:.0f} KB"))
    pages += [
        ("environment:watch", helper, reverse("environment:watch"), {},
         f"the helper overview, {rooms} partner rooms of {args.partners} museums"),
        ("environment:home", owner, reverse("environment:home"), {},
         f"the partner museum's home, {args.rooms} rooms, {2 * args.rooms} sensors"),
        ("environment:home (helper)", helper, reverse("environment:home"), {}, "the helper museum's home (no rooms)"),
    ]
    for label, client, url, params, what in pages:
        results.append((label, f"{url}{'?period=' + params['period'] if params else ''} — {what}",
                        timed(getter(client, url, params), args.repeat)))
    print_table(f"{db.label} · 一间库房一年 15 分钟数据（{Reading.objects.filter(sensor_id__in=sensor_ids).count():,}"
                f" 条）· {args.partners} 个结对馆 {rooms} 间库房 · 报警 {Alert.objects.count()} 条"
                f"（未结束 {Alert.objects.filter(end__isnull=True).count()}）· 每项重复 {args.repeat} 次（取中位数）",
                results, floor)


PASSWORD = "bench-password-not-secret"  # noqa: S105 — the benchmark's throw-away accounts


if __name__ == "__main__":
    main()
