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
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import inprocess  # noqa: E402
from bench.inprocess import getter, print_table, timed  # noqa: E402

FIXTURE_VERSION = "1"
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
    key = {"version": FIXTURE_VERSION, "touring": str(args.touring), "stops": str(args.stops),
           "museums": str(args.museums), "seed": str(args.seed)}
    inprocess.run(name="exhibitions", key=key, rebuild=args.rebuild, drop=args.drop, build=lambda: build(args),
                  measure=lambda db: measure(args, db))


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

def measure(args, db) -> None:
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from bangfu.accounts.models import User
    from bangfu.exhibitions.models import TouringExhibition, TourStop

    anonymous, results = Client(), []

    floor = timed(getter(anonymous, "/__hello__/"), args.repeat * 5)
    results.append(("floor", "/__hello__/", floor))
    month = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%Y-%m")
    results.append(("marketplace", "/exhibitions/ (anonymous, 24 cards)", timed(getter(anonymous, "/exhibitions/"),
                                                                                args.repeat)))
    results.append(("marketplace filtered", f"?q=青铜器&area=800&month={month}",
                    timed(getter(anonymous, "/exhibitions/", {"q": "青铜器", "area": "800", "month": month}),
                           args.repeat)))
    results.append(("marketplace page 40", "?page=40", timed(getter(anonymous, "/exhibitions/", {"page": "40"}),
                                                           args.repeat)))
    busiest = (TouringExhibition.objects.published().annotate(n=Count("stops")).order_by("-n", "pk").first())
    url = f"/exhibitions/touring/{busiest.pk}/"
    results.append(("tour calendar (public)", f"{url} ({busiest.n} stops)", timed(getter(anonymous, url), args.repeat)))
    owner = Client()
    owner.force_login(User.objects.filter(museum_id=busiest.museum_id).first())
    results.append(("tour calendar (owner)", f"{url} with requests", timed(getter(owner, url), args.repeat)))
    results.append(("requests (owner)", "/exhibitions/stops/?dir=in",
                    timed(getter(owner, "/exhibitions/stops/", {"dir": "in"}), args.repeat)))
    association = Client()
    association.force_login(User.objects.get(username="xiehui-exhibitions"))
    results.append(("stops (association)", "/exhibitions/stops/ (all)",
                    timed(getter(association, "/exhibitions/stops/"), args.repeat)))

    print_table(f"{db.label} · {TouringExhibition.objects.count():,} 个巡展 · {TourStop.objects.count():,} 个站点"
                f" · 每项重复 {args.repeat} 次（取中位数）", results, floor)

if __name__ == "__main__":
    main()
