"""The exchange at national scale: 100,000 posts, the search page and one need's matches (issue 8, point 9).

    .venv/bin/python bench/exchange.py                 # SQLite: bench/out/exchange.sqlite3, built once, then reused
    .venv/bin/python bench/exchange.py --rebuild       # build the data again
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_exchange .venv/bin/python bench/exchange.py

In-process, like the `in_process_ms` figures of `make bench`: each target runs `--repeat` times on a warm process
and the report gives CPU ms per request (this process's user + system time: on SQLite that includes the SQL; on
PostgreSQL the database's own time is the "wall" column minus CPU), wall ms, the query count and the ratio to the
framework floor — `/__hello__/` through the same middleware stack (bench/urls_bench.py) with Django's test client.

The data (seeded; the same arguments give the same data): the real divisions, the 226 real Shanxi museums and
synthetic ones up to `--museums` (bench/fixture.py), 300 experts, and `--posts` posts written for the benchmark from
the domain's vocabulary — needs of museums, offers of museums and experts, in all seven areas, with sub-types, a
few sentences each, statuses of a platform some years old — inserted in bulk with their search text and term rows
computed by the exchange's own code (exchange.text.words, exchange.index.term_weights), plus 2,000 open pairings
and a confirmed 对接 on one offer in ten. Only 127.0.0.1 databases whose name contains "bench" are touched.
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
from bench.inprocess import print_table, timed  # noqa: E402

FIXTURE_VERSION = "1"
FLAGSHIP = "山西博物院"

# --- the vocabulary the posts are written from ---------------------------------------------------------------------

OBJECTS = ["壁画", "彩塑", "青铜器", "陶瓷", "书画", "古籍", "纺织品", "漆木器", "石刻", "碑刻", "琉璃构件", "木雕",
           "砖雕", "金银器", "铁器", "佛教造像", "革命文物", "民俗文物", "出土文物", "玉器", "钱币", "古建筑构件"]
PERIODS = ["唐代", "宋代", "金代", "元代", "明代", "清代", "明清", "北朝", "汉代", "近现代"]
PROBLEMS = ["起甲", "空鼓", "酥碱", "霉变", "虫害", "锈蚀", "粉状锈", "开裂", "褪色", "颜料层脱落", "断裂", "糟朽"]
ROLES = ["讲解员", "文物修复师", "保管员", "策展人员", "安防人员", "社教人员", "志愿者"]
THEMES = ["晋商文化", "黄河文化", "长城", "古建筑", "佛教艺术", "革命历史", "考古新发现", "民俗", "非遗", "红色文化"]
AUDIENCES = ["中小学生", "社区居民", "老年人", "亲子家庭", "大学生", "乡村学校"]
PRODUCTS = ["冰箱贴", "丝巾", "书签", "帆布袋", "茶具", "笔记本", "拼图", "文具套装"]

AREA_TEXT = {
    "conservation": {
        "need_titles": ["{period}{object}{problem}病害修复", "{object}保护修复方案编制", "库房温湿度监测与调控",
                        "{object}检测分析", "{object}预防性保护指导", "濒危{object}抢救性保护"],
        "offer_titles": ["{object}保护修复技术服务", "文物保护实验室开放：{object}检测分析", "预防性保护与环境监测指导",
                         "{object}病害调查与修复方案设计", "专家会诊：{object}保护"],
        "need": ["我馆藏有{period}{object}{n}件，其中部分出现{problem}、{problem2}等病害。",
                 "由于缺少专业修复人员，急需开展{object}保护修复。",
                 "库房没有温湿度监测设备，夏季潮湿，{object}保存条件较差。",
                 "希望专家现场会诊，协助制定保护修复方案。", "希望对本馆业务人员进行{object}保护基础培训。",
                 "展厅光照和温湿度控制不达标，需要预防性保护方面的指导。"],
        "offer": ["本院文物保护中心有{role}{k}名，长期从事{object}保护修复。",
                  "可承担{object}{problem}病害的检测分析和修复方案设计。",
                  "实验室配备无损检测和成分分析设备，可向县级馆开放。", "可派专家赴馆开展现场会诊和修复指导。",
                  "可协助建立库房温湿度监测和环境监测体系，开展预防性保护。"],
    },
    "exhibition": {
        "need_titles": ["{theme}主题展览策划", "基本陈列改造提升", "引进{theme}巡展", "展陈设计指导"],
        "offer_titles": ["{theme}巡展", "联合策展：{theme}", "展陈设计与布展指导", "讲解员培训"],
        "need": ["我馆基本陈列已开放{k}年，展陈形式陈旧。", "希望引进{theme}主题巡展，丰富本地群众文化生活。",
                 "缺少策展经验，希望大馆指导展览策划全过程。", "展厅面积约{n}平方米，可举办中小型临时展览。"],
        "offer": ["本馆{theme}巡展含展品{n}件，配有展板和讲解词。", "可派策展人员协助联合策展，提供展陈设计方案。",
                  "巡展期间可派讲解员进行讲解培训。", "可承担布展、撤展和文物运输。"],
    },
    "loan": {
        "need_titles": ["借展{period}{object}", "展品借用：{theme}", "借展手续指导"],
        "offer_titles": ["{object}借展", "展品交换：{period}{object}", "借展手续与文物运输指导"],
        "need": ["我馆拟举办{theme}展览，需借展{period}{object}{k}件。", "对借展手续和点交流程不熟悉，希望得到指导。",
                 "展厅已配备恒温恒湿展柜和安防设施。"],
        "offer": ["本馆可提供{period}{object}{n}件用于借展或展品交换。", "可指导借展合同、点交和文物运输。",
                  "借展需具备恒温恒湿展柜和完善的安防条件。"],
    },
    "creative": {
        "need_titles": ["文创产品开发合作", "{theme}文创设计", "文创销售渠道"],
        "offer_titles": ["IP授权：{theme}", "文创联合开发", "文创产品设计支持", "线上商城销售渠道"],
        "need": ["我馆希望开发具有本地特色的文创产品，如{product}、{product2}。", "缺少设计人员，需要文创设计支持。",
                 "希望借助大馆的线上商城拓展销售渠道。"],
        "offer": ["本馆可提供{theme}相关IP授权。", "可与县级馆联合开发{product}、{product2}等文创产品。",
                  "线上线下商店可为县级馆文创产品提供销售渠道。"],
    },
    "education": {
        "need_titles": ["研学课程开发", "博物馆进校园活动", "志愿者培训", "{theme}社教活动"],
        "offer_titles": ["研学课程共享：{theme}", "流动博物馆进乡村", "志愿者招募与培训经验", "社教活动策划"],
        "need": ["我馆每年接待{audience}约{n}人次，缺少成体系的研学课程。",
                 "希望开展博物馆进校园活动，面向{audience}。",
                 "志愿者队伍有{k}人，缺少系统培训。"],
        "offer": ["可将{theme}研学课程改编后在县级馆实施。", "流动博物馆可深入乡村学校，面向{audience}开展社教活动。",
                  "可分享志愿者招募、培训和激励的经验。"],
    },
    "research": {
        "need_titles": ["课题申报合作", "{object}藏品研究", "考古报告资料"],
        "offer_titles": ["联合申报课题", "图书资料与数据库开放", "论文指导与刊发"],
        "need": ["我馆藏有{period}{object}，希望合作开展藏品研究。", "希望联合申报省级以上课题。",
                 "需要查阅相关考古报告和文献资料。"],
        "offer": ["本院图书馆和数据库可向县级馆开放。", "可指导业务人员撰写{object}研究论文，并在院刊刊发。",
                  "可联合申报{theme}方向的研究课题。"],
    },
    "people": {
        "need_titles": ["{role}跟班学习", "业务培训名额", "专家短期指导"],
        "offer_titles": ["{role}培训班", "跟班学习名额", "专家巡讲：{theme}", "线上课程与远程咨询"],
        "need": ["我馆现有业务人员{k}名，{role}尤其缺乏。", "希望选派{k}名{role}到大馆跟班学习3至6个月。",
                 "希望专家来馆开展短期指导。"],
        "offer": ["每年可接收{k}名县级馆{role}跟班学习或挂职锻炼。", "可组织专家巡讲，内容包括{theme}和{object}保护。",
                  "提供线上课程和远程咨询。"],
    },
}
COMMON_NEED = ["我馆为县级博物馆，编制{k}人。", "经费有限，差旅可自行承担。", "希望尽快对接。"]
COMMON_OFFER = ["本馆为国家一级博物馆。", "费用可协商，原则上无偿提供。", "欢迎县级馆联系。"]
TERMS = ["无偿", "差旅由受援方承担", "预算 2 万元", "费用协商", "按成本收费", ""]
STATUSES = [("published", 62), ("talks", 8), ("matched", 7), ("completed", 13), ("withdrawn", 5), ("expired", 5)]
QUERIES = ["壁画 修复", "文保", "温湿度", "青铜器 培训", "研学课程", "晋商文化 巡展"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="供需对接的全国规模基准测试（10 万条供需信息）")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--posts", type=int, default=100_000, help="供需信息条数（默认 100000）")
    parser.add_argument("--museums", type=int, default=7000, help="博物馆数（默认 7000）")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=30, help="每个目标重复次数（默认 30）")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    key = {"version": FIXTURE_VERSION, "posts": str(args.posts), "museums": str(args.museums), "seed": str(args.seed)}
    inprocess.run(name="exchange", key=key, rebuild=args.rebuild, drop=args.drop, build=lambda: build(args),
                  measure=lambda db: measure(args, db))


# --- building ------------------------------------------------------------------------------------------------------

def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        object=rng.choice(OBJECTS), period=rng.choice(PERIODS), problem=rng.choice(PROBLEMS),
        problem2=rng.choice(PROBLEMS), role=rng.choice(ROLES), theme=rng.choice(THEMES), audience=rng.choice(AUDIENCES),
        product=rng.choice(PRODUCTS), product2=rng.choice(PRODUCTS), n=rng.choice([12, 30, 50, 86, 120, 300, 600]),
        k=rng.choice([2, 3, 5, 8, 10]))


def _write(rng: random.Random, kind: str, area: str) -> tuple[str, list[str]]:
    """A title and the sentences of a description (each ends with 。, so each can be segmented alone)."""
    texts = AREA_TEXT[area]
    title = _fill(rng, rng.choice(texts[f"{kind}_titles"]))[:80]
    own = texts[kind]
    sentences = [_fill(rng, s) for s in rng.sample(own, k=min(len(own), rng.randint(2, 4)))]
    common = COMMON_NEED if kind == "need" else COMMON_OFFER
    sentences += [_fill(rng, s) for s in rng.sample(common, k=rng.randint(0, 2))]
    return title, sentences


def build(args) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.accounts.models import Role, User
    from bangfu.exchange import text
    from bangfu.exchange.index import term_weights
    from bangfu.exchange.models import OPEN_STATUSES, Post, Subtype, Thread
    from bangfu.experts.models import Expert, ExpertArea
    from bangfu.museums.models import Museum
    from bangfu.pairings.models import Pairing
    from bangfu.places.geo import PlaceIndex
    from bangfu.places.loader import load_divisions
    from bench import fixture

    rng = random.Random(args.seed)
    now = timezone.now()
    with transaction.atomic():
        load_divisions()
        places = PlaceIndex()
        rows = fixture.real_museums(places)
        rows += fixture.synthetic_museums(rng, places, count=args.museums - len(rows), used={m.name for m in rows})
        fixture.name_city_helpers(rows)
        museums = Museum.objects.bulk_create(rows, batch_size=500)
        password = make_password("bench-password-not-secret")
        admin = User.objects.create(username="xiehui-exchange", password=password, role=Role.ASSOCIATION_ADMIN,
                                    full_name="协会管理员")
        flagship = next(m for m in museums if m.name == FLAGSHIP)
        User.objects.create(username="guanyuan-exchange", password=password, role=Role.MUSEUM_STAFF,
                            museum=flagship, full_name="山西博物院馆员")
        expert_users = User.objects.bulk_create([
            User(username=f"zhuanjia-exchange{i:03d}", password=password, role=Role.EXPERT, full_name=f"专家{i}")
            for i in range(300)])
        experts = Expert.objects.bulk_create([
            Expert(name=u.full_name, organisation=rng.choice(museums).name, user=u,
                   museum=rng.choice(museums) if rng.random() < 0.6 else None,
                   tags="，".join(rng.sample(OBJECTS, 2))) for u in expert_users])
        ExpertArea.objects.bulk_create([ExpertArea(expert=e, area=a) for e in experts
                                        for a in rng.sample(list(AREA_TEXT), rng.randint(1, 2))])
        helpers = [m for m in museums if m.is_helper]
        helped = [m for m in museums if m.is_helped]
        by_province: dict[str, list] = {}
        for m in helped:
            by_province.setdefault(m.province, []).append(m)
        pairs, seen = [], set()
        for helper in rng.sample(helpers, k=min(len(helpers), 700)):
            for other in rng.sample(by_province.get(helper.province, []) or helped, k=3):
                if (helper.pk, other.pk) not in seen and helper.pk != other.pk:
                    seen.add((helper.pk, other.pk))
                    pairs.append(Pairing(helper=helper, helped=other, status="active", is_primary=False,
                                         start_date=now.date() - datetime.timedelta(days=300),
                                         end_date=now.date() + datetime.timedelta(days=800)))
        Pairing.objects.bulk_create(pairs[:2000])
    subtypes: dict[str, list[int]] = {}
    subtype_names: dict[int, str] = {}
    for pk, area, name in Subtype.objects.values_list("pk", "area", "name"):
        subtypes.setdefault(area, []).append(pk)
        subtype_names[pk] = name

    text.thesaurus()
    cache: dict[str, list[str]] = {}

    def words(piece: str) -> list[str]:
        found = cache.get(piece)
        if found is None:
            found = cache[piece] = text.words(piece)
        return found

    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    areas = list(AREA_TEXT)
    open_offers = []
    made = 0
    batch = 2000
    while made < args.posts:
        posts, post_words = [], []
        for _ in range(min(batch, args.posts - made)):
            kind = "need" if rng.random() < 0.55 else "offer"
            area = rng.choice(areas)
            title, sentences = _write(rng, kind, area)
            terms = rng.choice(TERMS)
            subtype = rng.choice(subtypes[area]) if rng.random() < 0.8 else None
            expert = rng.choice(experts) if kind == "offer" and rng.random() < 0.2 else None
            museum = None if expert else rng.choice(museums)
            status = rng.choices(statuses, weights)[0]
            published = now - datetime.timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
            subtype_name = subtype_names[subtype] if subtype else ""
            ws = [*words(title), *words(title), *words(subtype_name), *(w for s in sentences for w in words(s)),
                  *words(terms)]
            posts.append(Post(kind=kind, area=area, subtype_id=subtype, title=title, description="".join(sentences),
                              museum=museum, expert=expert, created_by=admin,
                              city_id=museum.city_id if museum else None,
                              terms=terms, capacity=rng.choice([1, 2, 3, 5]) if kind == "offer" else 1,
                              status=status, published_at=published, search_text=" ".join(ws)))
            post_words.append(ws)
        with transaction.atomic():
            created = Post.objects.bulk_create(posts)
            rows = []
            for post, ws in zip(created, post_words, strict=True):
                is_open = post.status in OPEN_STATUSES
                rows += [(post.pk, term, weight, post.kind, post.area, is_open)
                         for term, weight in term_weights(ws).items()]
                if post.kind == "offer" and is_open:
                    open_offers.append(post)
            _insert_terms(connection, rows)
        made += len(created)
        print(f"  供需信息 {made:,} / {args.posts:,}（词项 {len(rows):,} 行一批）", end="\r", flush=True)
    print()
    threads = []
    for offer in rng.sample(open_offers, k=len(open_offers) // 10):
        responder = rng.choice(helped)
        threads.append(Thread(post=offer, poster_museum=offer.museum, poster_expert=offer.expert,
                              responder_museum=responder, started_by=admin, status="matched"))
    Thread.objects.bulk_create(threads, batch_size=1000)
    with connection.cursor() as cursor:
        # Statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) keep them; on PostgreSQL also the
        # visibility map, without which every index-only scan of the term index reads the table too.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"museums": len(museums), "posts": made, "post_terms": _count("exchange_postterm"),
            "pairings": Pairing.objects.count(), "threads": len(threads), "experts": len(experts)}


def _insert_terms(connection, rows) -> None:
    if connection.vendor == "postgresql":
        raw = connection.cursor().cursor  # psycopg 3: COPY is several times faster than INSERTs
        with raw.copy("COPY exchange_postterm (post_id, term, weight, kind, area, is_open) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO exchange_postterm (post_id, term, weight, kind, area, is_open) "
                           "VALUES (%s, %s, %s, %s, %s, %s)", rows)


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 — a constant
        return cursor.fetchone()[0]


# --- measuring -----------------------------------------------------------------------------------------------------

def measure(args, db) -> None:
    from django.db import connection
    from django.template import engines
    from django.test import Client

    from bangfu.exchange.matching import matches_for
    from bangfu.exchange.models import Post, PostKind
    from bangfu.exchange.search import search_posts
    from bangfu.exchange.text import highlight

    client = Client()
    results = []

    def hello():
        assert client.get("/__hello__/").status_code == 200

    floor = timed(hello, args.repeat * 5)
    results.append(("floor", "/__hello__/", floor, None))

    page = engines["django"].from_string(
        "{% for p in posts %}<li>{{ p.hl_title }} · {{ p.owner_name }} · {{ p.get_area_display }}"
        "<p>{{ p.hl_description }}</p></li>{% endfor %}<p>{{ count }}</p>")

    for q in QUERIES:
        def search(q=q):
            found, terms = search_posts(Post.objects.published().with_owner(), q)
            count = found.count()
            posts = list(found[:20])
            for p in posts:
                p.hl_title = highlight(p.title, terms)
                p.hl_description = highlight(p.description[:200], terms)
            page.render({"posts": posts, "count": count})
            return count
        found, _ = search_posts(Post.objects.published(), q)
        results.append((f"search “{q}”", f"search_posts + 20 rows ({found.count():,} found)",
                        timed(search, args.repeat), None))

    def search_page():
        response = client.get("/exchange/", {"q": "壁画 修复"})
        assert response.status_code == 200, response.status_code
    results.append(("search page", "/exchange/?q=壁画 修复", timed(search_page, args.repeat), None))

    # A county museum's conservation need in Shanxi (where museums have positions, so distance counts too).
    need = (Post.objects.open().filter(kind=PostKind.NEED, area="conservation", museum__province="山西省",
                                       museum__lat__isnull=False).order_by("pk").first()
            or Post.objects.open().filter(kind=PostKind.NEED).order_by("pk").first())
    first = matches_for(need)
    results.append(("matches_for", f"need #{need.pk} “{need.title}” ({len(first)} matches)",
                    timed(lambda: matches_for(need), args.repeat), first))
    other = Post.objects.open().filter(kind=PostKind.OFFER).order_by("pk").first()
    results.append(("matches_for offer", f"offer #{other.pk} “{other.title}”",
                    timed(lambda: matches_for(other), args.repeat), None))

    counts = {"posts": Post.objects.count(), "open": Post.objects.open().count()}
    print_table(f"{db.label} · {counts['posts']:,} 条供需信息（{counts['open']:,} 条开放）"
                f"· 每项重复 {args.repeat} 次（取中位数）", [(n, w, r) for n, w, r, _ in results], floor)
    matches = next(m for n, _, _, m in results if n == "matches_for")
    print("\n最佳匹配（前 5 条）：")
    for m in matches[:5]:
        print(f"  {m.score:5.1f}  {m.post.title} — {'；'.join(m.reasons)}")
    if connection.vendor == "postgresql":
        from bangfu.exchange.search import tsquery
        from bangfu.exchange.text import query_groups

        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN SELECT id FROM exchange_post WHERE search_vector @@ to_tsquery('simple', %s)",
                           [tsquery(query_groups("壁画 修复"))])
            plan = "\n".join(r[0] for r in cursor.fetchall())
        print("\nPostgreSQL 查询计划（壁画 修复）：\n" + plan)


if __name__ == "__main__":
    main()
