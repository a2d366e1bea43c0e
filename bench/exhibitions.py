"""Exhibitions at national scale: the touring marketplace and tour calendars with 2,000 touring exhibitions and
20,000 stops.

    .venv/bin/python bench/exhibitions.py                 # SQLite: bench/out/exhibitions.sqlite3, built once, reused
    .venv/bin/python bench/exhibitions.py --rebuild       # build the data again
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_exhibitions .venv/bin/python bench/exhibitions.py

In-process, like bench/exchange.py: each target runs `--repeat` times on a warm process through Django's test
client and the report gives CPU ms per request (this process's user + system time: on SQLite that includes the
SQL; on PostgreSQL the database's own time is the "wall" column minus CPU), wall ms, the query count and the ratio
to the framework floor — `/__hello__/` through the same middleware stack (bench/urls_bench.py).

The data (seeded): the real divisions, the 226 real Shanxi museums and synthetic ones up to `--museums`
(bench/fixture.py); `--touring` touring exhibitions of helper museums (nine in ten published), each with two free
windows, five objects of its museum and about `--stops` / `--touring` stops one after another on its calendar
(set-up and transit gaps respected), in every status; inserted in bulk. Only 127.0.0.1 databases whose name
contains "bench" are touched.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import OUT_DIR, BenchDatabase, bench_database  # noqa: E402

SQLITE_PATH = OUT_DIR / "exhibitions.sqlite3"
FIXTURE_VERSION = "1"
META_TABLE = "bench_exhibitions_fixture"
THEMES = ["青铜器", "壁画", "黄河文明", "晋商", "长城", "佛教造像", "革命文物", "考古新发现", "陶瓷", "民俗", "古建筑",
          "书画", "玉器", "丝绸之路", "非遗"]
TITLES = ["{theme}精品展", "{place}{theme}文物展", "{theme}——{place}历史文化展", "{place}考古成果展", "{theme}艺术展"]
STATUSES = [("completed", 40), ("accepted", 30), ("requested", 15), ("declined", 8), ("withdrawn", 7)]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="巡展市场与巡展档期的全国规模基准测试")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--touring", type=int, default=2000, help="巡展数（默认 2000）")
    parser.add_argument("--stops", type=int, default=20_000, help="巡展站点数（默认 20000）")
    parser.add_argument("--museums", type=int, default=7000, help="博物馆数（默认 7000）")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=30, help="每个目标重复次数（默认 30）")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    db = _database()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DATABASE_URL": db.url, "DEBUG": "0", "DEMO_MODE": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "testserver,127.0.0.1", "LOG_LEVEL": "WARNING",
        "TASK_BACKEND": "immediate",
    })
    if args.rebuild:
        db.drop()
    db.ensure()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    key = {"version": FIXTURE_VERSION, "touring": str(args.touring), "stops": str(args.stops),
           "museums": str(args.museums), "seed": str(args.seed)}
    if _stored_key() != key:
        if _stored_key() is not None:
            print("基准数据与参数不符：重建")
            from django.db import connections
            connections.close_all()
            db.drop()
            db.ensure()
            call_command("migrate", verbosity=0)
        started = time.monotonic()
        counts = build(args)
        _write_key(key)
        print(f"数据已生成：{counts}，用时 {time.monotonic() - started:.0f} 秒")
    try:
        measure(args, db)
    finally:
        if args.drop:
            from django.db import connections
            connections.close_all()
            db.drop()


def _database() -> BenchDatabase:
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if url:
        return bench_database(url)
    return _SqliteFile(url=f"sqlite:///{SQLITE_PATH}", engine="sqlite")


class _SqliteFile(BenchDatabase):
    """This benchmark's own SQLite file (the fixtures of the benchmarks differ)."""

    def ensure(self) -> None:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def _stored_key():
    from django.db import connection

    if META_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {META_TABLE}")  # noqa: S608 — a constant
        return dict(cursor.fetchall())


def _write_key(key: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
        cursor.execute(f"CREATE TABLE {META_TABLE} (name varchar(40) PRIMARY KEY, value varchar(200) NOT NULL)")
        for name, value in key.items():
            cursor.execute(f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s)", [name, value])  # noqa: S608


# --- building ------------------------------------------------------------------------------------------------------

def build(args) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.accounts.models import Role, User
    from bangfu.exhibitions.models import TouringExhibition, TourStop, TourWindow
    from bangfu.museums.models import Museum
    from bangfu.objects.models import CollectionObject
    from bangfu.places.geo import PlaceIndex
    from bangfu.places.loader import load_divisions
    from bench import fixture

    rng = random.Random(args.seed)
    today = timezone.localdate()
    with transaction.atomic():
        load_divisions()
        places = PlaceIndex()
        rows = fixture.real_museums(places)
        rows += fixture.synthetic_museums(rng, places, count=args.museums - len(rows), used={m.name for m in rows})
        fixture.name_city_helpers(rows)
        museums = Museum.objects.bulk_create(rows, batch_size=500)
        password = make_password("bench-password-not-secret")
        User.objects.create(username="xiehui-exhibitions", password=password, role=Role.ASSOCIATION_ADMIN,
                            full_name="协会管理员")
        helpers = [m for m in museums if m.is_helper] or museums
        owners = [next(m for m in museums if m.name == "山西博物院")] + rng.sample(helpers, k=min(len(helpers), 600))
        User.objects.bulk_create([User(username=f"owner-exhibitions-{i}", password=password, role=Role.MUSEUM_ADMIN,
                                       museum=m, full_name="出展馆管理员") for i, m in enumerate(owners)])
        requester = User.objects.create(username="venue-exhibitions", password=password, role=Role.MUSEUM_ADMIN,
                                        museum=museums[-1], full_name="接展馆管理员")
        exhibitions = []
        for i in range(args.touring):
            owner = owners[i % len(owners)]
            theme = rng.choice(THEMES)
            title = rng.choice(TITLES).format(theme=theme, place=owner.name[:2])[:90] + f" {i}"
            exhibitions.append(TouringExhibition(
                museum=owner, title=title, theme=theme, description=f"{title}。展品丰富，配有展板与讲解词。" * 3,
                floor_area=rng.choice([200, 300, 400, 600, 800, 1200]), wall_length=rng.choice([60, 80, 120]),
                crates=rng.randint(10, 60), setup_days=rng.choice([5, 7, 10]), transit_days=rng.choice([5, 7, 10]),
                min_days=30, status="published" if rng.random() < 0.9 else "draft", created_by=requester))
        exhibitions = TouringExhibition.objects.bulk_create(exhibitions, batch_size=1000)
        windows, objects, links, stops = [], [], [], []
        per = max(1, args.stops // max(1, args.touring))
        venues = [m for m in museums if m.is_helped] or museums
        for e in exhibitions:
            first = today - datetime.timedelta(days=rng.randint(200, 700))
            windows += [TourWindow(exhibition=e, start=first, end=first + datetime.timedelta(days=per * 90)),
                        TourWindow(exhibition=e, start=first + datetime.timedelta(days=per * 90 + 30),
                                   end=first + datetime.timedelta(days=per * 90 + 400))]
            cursor_day = first + datetime.timedelta(days=e.setup_days)
            for _ in range(per):
                start = cursor_day
                end = start + datetime.timedelta(days=rng.randint(30, 70))
                status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
                if status == "completed" and end >= today:
                    status = "accepted"
                venue = rng.choice(venues)
                if venue.pk == e.museum_id:
                    continue
                stops.append(TourStop(
                    exhibition=e, owner_id=e.museum_id, venue=venue, start=start, end=end,
                    held_from=start - datetime.timedelta(days=e.setup_days),
                    held_until=end + datetime.timedelta(days=e.transit_days), status=status,
                    visitors=rng.randint(2000, 40000) if status == "completed" else 0,
                    events=rng.randint(0, 12) if status == "completed" else 0, requested_by=requester))
                cursor_day = end + datetime.timedelta(days=e.transit_days + e.setup_days + rng.randint(1, 20))
        TourWindow.objects.bulk_create(windows, batch_size=2000)
        TourStop.objects.bulk_create(stops, batch_size=2000)
        for e in exhibitions:
            for k in range(5):
                objects.append(CollectionObject(museum_id=e.museum_id, name=f"展品{k}", offered=k % 2 == 0,
                                                registration_number=f"T{e.pk}-{k}", has_record=True))
        objects = CollectionObject.objects.bulk_create(objects, batch_size=2000)
        through = TouringExhibition.items.through
        for index, obj in enumerate(objects):
            links.append(through(touringexhibition_id=exhibitions[index // 5].pk, collectionobject_id=obj.pk))
        through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"museums": len(museums), "touring": len(exhibitions), "stops": len(stops), "objects": len(objects)}


# --- measuring -----------------------------------------------------------------------------------------------------

def _timed(fn, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: templates, caches, SQLite's page cache
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    cpu, wall = [], []
    for _ in range(repeat):
        reset_queries()
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return {"cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall), "queries": queries}


def measure(args, db) -> None:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from bangfu.accounts.models import User
    from bangfu.exhibitions.models import TouringExhibition, TourStop

    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    anonymous, results = Client(), []

    def get(client, url, params=None):
        def run():
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
        return run

    floor = _timed(get(anonymous, "/__hello__/"), args.repeat * 5)
    results.append(("floor", "/__hello__/", floor))
    month = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%Y-%m")
    results.append(("marketplace", "/exhibitions/ (anonymous, 24 cards)", _timed(get(anonymous, "/exhibitions/"),
                                                                                args.repeat)))
    results.append(("marketplace filtered", f"?q=青铜器&area=800&month={month}",
                    _timed(get(anonymous, "/exhibitions/", {"q": "青铜器", "area": "800", "month": month}),
                           args.repeat)))
    results.append(("marketplace page 40", "?page=40", _timed(get(anonymous, "/exhibitions/", {"page": "40"}),
                                                           args.repeat)))
    busiest = (TouringExhibition.objects.published().annotate(n=Count("stops")).order_by("-n", "pk").first())
    url = f"/exhibitions/touring/{busiest.pk}/"
    results.append(("tour calendar (public)", f"{url} ({busiest.n} stops)", _timed(get(anonymous, url), args.repeat)))
    owner = Client()
    owner.force_login(User.objects.filter(museum_id=busiest.museum_id).first())
    results.append(("tour calendar (owner)", f"{url} with requests", _timed(get(owner, url), args.repeat)))
    results.append(("requests (owner)", "/exhibitions/stops/?dir=in",
                    _timed(get(owner, "/exhibitions/stops/", {"dir": "in"}), args.repeat)))
    association = Client()
    association.force_login(User.objects.get(username="xiehui-exhibitions"))
    results.append(("stops (association)", "/exhibitions/stops/ (all)",
                    _timed(get(association, "/exhibitions/stops/"), args.repeat)))

    base = floor["cpu_ms"]
    print(f"\n{db.label} · {TouringExhibition.objects.count():,} 个巡展 · {TourStop.objects.count():,} 个站点"
          f" · 每项重复 {args.repeat} 次（取中位数）\n")
    print("| target | what | CPU ms | wall ms | queries | × floor |")
    print("|---|---|---|---|---|---|")
    for name, what, r in results:
        ratio = r["cpu_ms"] / base if base else 0
        print(f"| {name} | {what} | {r['cpu_ms']:.1f} | {r['wall_ms']:.1f} | {r['queries']} | {ratio:.0f}× |")


if __name__ == "__main__":
    main()
