"""Loans at national scale: 50,000 loans between 7,000 museums, the loan lists and one loan (the loans API; the
/loans/ page too when it is mounted).

    .venv/bin/python bench/loans.py                 # SQLite: bench/out/loans.sqlite3, built once, then reused
    .venv/bin/python bench/loans.py --rebuild       # build the data again
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_loans .venv/bin/python bench/loans.py

In-process, like bench/exchange.py: each target runs `--repeat` times on a warm process; the report gives CPU ms per
request (user + system time of this process: on SQLite that includes the SQL), wall ms, the query count and the
ratio to the framework floor (`/__hello__/` through the same middleware with Django's test client).

The data (seeded): the real divisions, the 226 real Shanxi museums and synthetic ones up to `--museums`
(bench/fixture.py); 1,500 lending museums with 60 offered objects each (grades, materials and conditions in
plausible shares); `--loans` loans of one to four objects each from a lender to another museum, over the last five
years and the next one, in the statuses of a platform some years old (most closed, some on loan, some overdue,
some declined or withdrawn). 山西博物院 lends one loan in fifty. Only 127.0.0.1 databases whose name contains
"bench" are touched.
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
FLAGSHIP = "山西博物院"
LENDERS = 1500
OBJECTS_PER_LENDER = 60
STATUSES = [("closed", 48), ("on_loan", 12), ("returning", 2), ("returned", 3), ("dispatched", 2), ("transport", 3),
            ("agreement", 3), ("filing", 4), ("facility_review", 3), ("expert_review", 2), ("requested", 6),
            ("declined", 6), ("withdrawn", 4), ("cancelled", 2)]
GRADES = [("一级", 4), ("二级", 10), ("三级", 26), ("一般", 45), ("未定级", 15)]
NAMES = ["青铜鼎", "青铜爵", "彩绘陶俑", "白釉瓷瓶", "黑釉瓷碗", "玉璧", "玉琮", "铜镜", "石刻造像", "琉璃构件",
         "木雕佛像", "书法立轴", "山水画卷", "铁佛头", "金银饰件", "钱币一组", "古籍善本", "织绣挂屏"]
MATERIALS = ["铜", "陶", "瓷", "宝玉石", "石", "木", "纸", "丝", "铁", "金", "银", "砖瓦"]
VENUES = ["一号展厅", "二号展厅", "临时展厅", "专题展厅", "序厅"]
THEMES = ["晋国霸业", "黄河文明", "佛教艺术", "晋商文化", "长城内外", "考古新发现", "古代陶瓷", "青铜时代"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="借展的全国规模基准测试（5 万件借展）")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--loans", type=int, default=50_000, help="借展件数（默认 50000）")
    parser.add_argument("--museums", type=int, default=7000, help="博物馆数（默认 7000）")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=30, help="每个目标重复次数（默认 30）")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    key = {"version": FIXTURE_VERSION, "loans": str(args.loans), "museums": str(args.museums), "seed": str(args.seed)}
    inprocess.run(name="loans", key=key, rebuild=args.rebuild, drop=args.drop, build=lambda: build(args),
                  measure=lambda db: measure(args, db))


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def build(args) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.accounts.models import Role, User
    from bangfu.loans.models import OUT_STATUSES, ItemReview, Loan, LoanItem
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
        museums = Museum.objects.bulk_create(rows, batch_size=500)
        password = make_password("bench-password-not-secret")
        User.objects.create(username="xiehui-loans", password=password, role=Role.ASSOCIATION_ADMIN,
                            full_name="协会管理员")
        flagship = next(m for m in museums if m.name == FLAGSHIP)
        staff = User.objects.create(username="guanyuan-loans", password=password, role=Role.MUSEUM_STAFF,
                                    museum=flagship, full_name="山西博物院馆员")
        lenders = [flagship, *rng.sample([m for m in museums if m.pk != flagship.pk], LENDERS - 1)]
        objects = []
        for lender in lenders:
            for i in range(OBJECTS_PER_LENDER):
                objects.append(CollectionObject(
                    museum=lender, name=rng.choice(NAMES), registration_number=f"Z{i:05d}", grade=_pick(rng, GRADES),
                    material=rng.choice(MATERIALS), condition="good" if rng.random() < 0.8 else "fair",
                    has_record=True, offered=True, created_by=staff))
        CollectionObject.objects.bulk_create(objects, batch_size=2000)
        by_lender: dict[int, list[CollectionObject]] = {}
        for obj in CollectionObject.objects.only("pk", "museum_id"):
            by_lender.setdefault(obj.museum_id, []).append(obj)
    made = 0
    while made < args.loans:
        loans, chosen = [], []
        for _ in range(min(5000, args.loans - made)):
            lender = flagship if rng.random() < 0.02 else rng.choice(lenders)
            borrower = rng.choice(museums)
            while borrower.pk == lender.pk:
                borrower = rng.choice(museums)
            status = _pick(rng, STATUSES)
            start = today + datetime.timedelta(days=rng.randint(-5 * 365, 365))
            end = start + datetime.timedelta(days=rng.randint(30, 720))
            if status in OUT_STATUSES and end >= today and rng.random() < 0.15:  # a share overdue
                end = today - datetime.timedelta(days=rng.randint(1, 200))
                start = min(start, end - datetime.timedelta(days=60))
            loans.append(Loan(lender=lender, borrower=borrower, purpose="配合展览借用", venue=rng.choice(VENUES),
                              exhibition_title=rng.choice(THEMES), start=start, end=end, status=status,
                              requested_by=staff))
            chosen.append(rng.sample(by_lender[lender.pk], rng.randint(1, 4)))
        with transaction.atomic():
            created = Loan.objects.bulk_create(loans, batch_size=2000)
            LoanItem.objects.bulk_create(
                [LoanItem(loan=loan, obj=obj, review=ItemReview.FIT if loan.status != "requested" else "pending")
                 for loan, objs in zip(created, chosen, strict=True) for obj in objs], batch_size=5000)
        made += len(created)
        print(f"  借展 {made:,} / {args.loans:,}", end="\r", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"museums": len(museums), "objects": len(objects), "loans": made, "items": LoanItem.objects.count()}


def measure(args, db) -> None:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bangfu.accounts.models import User
    from bangfu.loans import home
    from bangfu.loans.models import Loan
    from bangfu.loans.services import object_loan_days
    from bangfu.objects.models import CollectionObject

    association, staff = Client(), Client()
    admin_user = User.objects.get(username="xiehui-loans")
    staff_user = User.objects.get(username="guanyuan-loans")
    association.force_login(admin_user)
    staff.force_login(staff_user)
    results = []

    anonymous = Client()
    floor = timed(getter(anonymous, "/__hello__/"), args.repeat * 5)
    results.append(("floor", "/__hello__/", floor))
    results.append(("API list, association", "GET /api/loans (all loans, first 20)",
                    timed(getter(association, "/api/loans"), args.repeat)))
    results.append(("API list, overdue", "GET /api/loans?overdue=true (association)",
                    timed(getter(association, "/api/loans", {"overdue": "true"}), args.repeat)))
    results.append(("API list, a museum", "GET /api/loans?side=out (山西博物院)",
                    timed(getter(staff, "/api/loans", {"side": "out"}), args.repeat)))
    results.append(("API list, deep page", "GET /api/loans?offset=40000 (association)",
                    timed(getter(association, "/api/loans", {"offset": 40000}), args.repeat)))
    busy = (Loan.objects.filter(lender__name=FLAGSHIP, status="on_loan").order_by("pk").first()
            or Loan.objects.filter(lender__name=FLAGSHIP).order_by("pk").first())
    results.append(("API loan", f"GET /api/loans/{busy.pk} ({busy.items.count()} objects, 山西博物院 staff)",
                    timed(getter(staff, f"/api/loans/{busy.pk}"), args.repeat)))
    try:
        page = reverse("loans:list")
    except NoReverseMatch:
        page = None
    if page:
        results.append(("loans page", f"{page} (山西博物院 staff)", timed(getter(staff, page), args.repeat)))
        results.append(("loans page, association", page, timed(getter(association, page), args.repeat)))
    results.append(("home: overdue loans", "loans.home.attention (association)",
                    timed(lambda: home.attention(admin_user), args.repeat)))
    results.append(("home: a museum's loans", "loans.home.mine (山西博物院 staff)",
                    timed(lambda: home.mine(staff_user), args.repeat)))
    obj = CollectionObject.objects.filter(museum__name=FLAGSHIP).order_by("pk").first()
    results.append(("object_loan_days", f"one object of 山西博物院 ({object_loan_days(obj)} days)",
                    timed(lambda: object_loan_days(obj), args.repeat)))

    counts = {"loans": Loan.objects.count(), "overdue": Loan.objects.overdue(datetime.date.today()).count()}
    print_table(f"{db.label} · {counts['loans']:,} 件借展（逾期 {counts['overdue']:,} 件）"
                f"· 每项重复 {args.repeat} 次（取中位数）", results, floor)

if __name__ == "__main__":
    main()
