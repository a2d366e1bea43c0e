"""The national-scale fixture (DESIGN.md, "Scale to design for"): ~7,000 museums and 50,000 users, and the
programme's records (issue 3): 3,000 pairings with their agreements, tasks and reports, 100,000 ledger entries.

- the real divisions (Shanxi's province, 11 cities, 117 county-level units) and the 226 real Shanxi museums;
- synthetic museums: 30 % placed in Shanxi's real cities and counties, the rest in the other 30 provinces with
  the province's name and no division (the project ships only Shanxi's divisions);
- the association also names second- and third-grade city museums helpers (a national programme needs more
  helpers than the provincial and first-grade museums: 3 open pairings each at most);
- users: museum admins (one per museum), museum staff spread over the museums (more in bigger ones), association
  admins, supervisors and experts;
- pairings, agreements, progress reports and the ledger: see bench/programme.py.

Rows are written with bulk_create: a benchmark fixture, not business writes, so no audit entries. The derived
fields come from the same code the services use (`apply_defaults`, `Museum.refresh_search_keys`), so pinyin keys,
tiers, programme roles and positions look like the real thing. Every user shares one precomputed password hash.
The generator is seeded: the same arguments give the same data.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from bangfu.accounts.models import Role, User
from bangfu.core.areas import Area
from bangfu.demo.management.commands.load_demo import BRANCH_RE, MUSEUMS_CSV, UNCERTAIN_BASIS
from bangfu.museums.models import Grade, Museum, MuseumArea, Offering, Ownership, ProgrammeRole, Tier
from bangfu.museums.services import apply_defaults
from bangfu.places.geo import GENERIC_COUNTY_NAMES, PlaceIndex
from bangfu.places.loader import load_divisions
from bangfu.places.models import Division

from . import programme
from .inprocess import stored_key, write_key

# Bump when the fixture's content changes: a cached bench database of another version is rebuilt.
# 1: museums and users; 2: + helpers named by the association, pairings, agreements, reports, the ledger;
# 3: + the ledger's summary, no stored links to task pages.
FIXTURE_VERSION = 3
META_TABLE = "bench_fixture"  # the bench's own note of what the database holds (not a model: no migration)
BENCH_PASSWORD = "bench-password-not-secret"  # every bench user's password (one hash, computed once)
SHANXI = "山西省"
SHANXI_SHARE = 0.3  # share of the synthetic museums placed in Shanxi's real counties
OTHER_PROVINCES = [
    "北京市", "天津市", "河北省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省",
    "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区",
]
# Roughly the national directory's mix: few graded museums, most unrated.
GRADE_WEIGHTS = {Grade.FIRST: 5, Grade.SECOND: 10, Grade.THIRD: 17, Grade.NONE: 68}
GRADE_SCALE = {Grade.FIRST: 8.0, Grade.SECOND: 3.0, Grade.THIRD: 1.6, Grade.NONE: 1.0}
STAFF_WEIGHT = {Grade.FIRST: 30, Grade.SECOND: 12, Grade.THIRD: 6, Grade.NONE: 3}
THEMES = [
    "博物馆", "博物馆", "博物馆", "博物馆", "民俗博物馆", "革命纪念馆", "历史博物馆", "陶瓷博物馆", "农耕文化博物馆",
    "非遗博物馆", "石刻艺术博物馆", "书画艺术馆", "自然博物馆", "钱币博物馆", "红色文化纪念馆", "古建筑博物馆",
    "考古博物馆", "文物陈列馆", "烈士纪念馆", "名人故居纪念馆", "科技馆", "地质博物馆",
]
PRIVATE_WORDS = ["民间", "华夏", "古韵", "翰墨", "金石", "乡愁", "雅集", "博古"]
PLACE_FIRST = "安宝昌长成大德东丰福广海和河华怀建江金靖乐临龙隆洛南宁平青庆泉瑞寿顺泰天通万文武西祥新兴永玉云章"
PLACE_SECOND = "安昌城川德丰宁平山水阳源州江兴远泽定化和阴溪林口"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红文斌晓东海波宁玉梅亮鹏飞婷雪慧琳"
INTRO_SENTENCES = [
    "{name}位于{place}，是一座以地方历史文化为主题的博物馆。",
    "馆舍建筑面积约{area}平方米，设有{halls}个基本陈列展厅和一个临时展厅。",
    "馆藏文物{collections}件（套），其中珍贵文物{precious}件（套），以陶瓷、青铜器、石刻和民俗文物为特色。",
    "基本陈列系统展示了当地自新石器时代至近现代的历史脉络与文化成就。",
    "近年来，该馆积极开展博物馆进校园、流动博物馆和传统节日主题活动，年均举办社会教育活动数十场。",
    "该馆注重藏品的预防性保护，展厅和库房配备了温湿度监测设备。",
    "该馆与周边大馆建立了帮扶合作关系，在展览策划、文物保护和人才培养方面开展交流。",
]


@dataclass(frozen=True)
class BuildSummary:
    museums: int
    users: int
    museum_areas: int
    divisions: int
    helpers: int
    programme: programme.ProgrammeSummary


def fixture_key(*, museums: int, users: int, pairings: int, ledger_entries: int, seed: int) -> dict[str, str]:
    """What identifies a built fixture: the version of this code and every argument of `build`."""
    return {"version": str(FIXTURE_VERSION), "museums": str(museums), "users": str(users),
            "pairings": str(pairings), "ledger_entries": str(ledger_entries), "seed": str(seed)}


def is_built(**arguments) -> bool:
    """True when the database already holds exactly this fixture: same version, sizes and seed (and the counts
    still match: nobody emptied a table behind our back)."""
    stored = stored_key(META_TABLE)  # None: not built, or built by version 1 (which kept no note)
    if stored != fixture_key(**arguments):
        return False
    return Museum.objects.count() == arguments["museums"] and User.objects.count() == arguments["users"]


@transaction.atomic
def build(*, museums: int, users: int, pairings: int, ledger_entries: int, seed: int) -> BuildSummary:
    """Fill a migrated, empty database; all or nothing."""
    rng = random.Random(seed)
    divisions = load_divisions()
    places = PlaceIndex()
    rows = real_museums(places)
    used_names = {m.name for m in rows}
    rows += synthetic_museums(rng, places, count=museums - len(rows), used=used_names)
    name_city_helpers(rows)
    created = Museum.objects.bulk_create(rows, batch_size=500)
    link_branches(created)
    areas = MuseumArea.objects.bulk_create(museum_areas(rng, created), batch_size=1000)
    people = User.objects.bulk_create(platform_users(rng, created, places, total=users), batch_size=1000)
    work = programme.build(rng=rng, museums=created, users=people, areas=areas, pairings=pairings,
                           ledger_entries=ledger_entries)
    write_key(META_TABLE, fixture_key(museums=museums, users=users, pairings=pairings,
                                      ledger_entries=ledger_entries, seed=seed))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would soon do on a real server
    return BuildSummary(museums=len(created), users=len(people), museum_areas=len(areas), divisions=divisions,
                        helpers=sum(m.is_helper for m in created), programme=work)


# --- museums ---------------------------------------------------------------------------------------------


def real_museums(places: PlaceIndex) -> list[Museum]:
    """The 226 museums of the 2024 national directory for Shanxi, as the demo loader reads them."""
    with MUSEUMS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    museums = []
    for row in rows:
        county = places.by_code.get(row["county_adcode"])
        city = places.by_code.get(row["city_adcode"]) or (places.city_of(county) if county else None)
        museums.append(_prepared(Museum(
            name=row["name"], province=SHANXI, grade=row["grade"], ownership=row["ownership"],
            sector=row["sector"], city=city, county=county, location_basis=row["location_basis"],
            needs_review=row["location_basis"] in UNCERTAIN_BASIS, free_admission=row["free_admission"] == "是",
            collections=int(row["collections"] or 0), precious_relics=int(row["precious_relics"] or 0),
            exhibitions=int(row["exhibitions"] or 0), education_activities=int(row["education_activities"] or 0),
            visitors_10k=Decimal(row["visitors_10k"] or "0"), directory_row=int(row["ncha_row"] or 0) or None,
        )))
    return museums


def synthetic_museums(rng: random.Random, places: PlaceIndex, *, count: int, used: set[str]) -> list[Museum]:
    """`count` more museums: a share in Shanxi's counties, the rest across the other provinces."""
    in_shanxi = round(max(count, 0) * SHANXI_SHARE)
    museums = [_shanxi_museum(rng, places, used) for _ in range(in_shanxi)]
    museums += [_provincial_museum(rng, province, used) for province in OTHER_PROVINCES[: count - in_shanxi]]
    while len(museums) < count:
        museums.append(_other_province_museum(rng, rng.choice(OTHER_PROVINCES), used))
    return museums


def _shanxi_museum(rng: random.Random, places: PlaceIndex, used: set[str]) -> Museum:
    """A museum in a real Shanxi county (three in four) or directly under a city."""
    county = rng.choice(places.counties)
    city = places.city_of(county)
    if rng.random() < 0.25:
        county = None
    place = _short_place(city, county)
    private = rng.random() < 0.3
    museum = Museum(
        province=SHANXI, city=city, county=county, location_basis="address",
        name=_unique_name(rng, place, used, private=private),
        address=f"{city.name}{county.name if county else ''}{_place_word(rng)}路{rng.randint(1, 300)}号",
        **_attributes(rng, private=private),
    )
    return _prepared(museum, place_label=f"{SHANXI}{city.name}{county.name if county else ''}")


def _provincial_museum(rng: random.Random, province: str, used: set[str]) -> Museum:
    """Each other province's flagship: 省级, first grade, state-owned (a helper in the programme)."""
    name = f"{province}博物馆"
    used.add(name)
    attributes = _attributes(rng, private=False) | {"grade": Grade.FIRST}
    attributes |= _stats(rng, Grade.FIRST)
    return _prepared(Museum(province=province, name=name, tier=Tier.PROVINCIAL, address=f"{province}省会",
                            **attributes), place_label=province)


def _other_province_museum(rng: random.Random, province: str, used: set[str]) -> Museum:
    """A city- or county-level museum of another province, without a division (those are not loaded)."""
    place = _place_word(rng)
    private = rng.random() < 0.3
    museum = Museum(
        province=province, name=_unique_name(rng, place, used, private=private),
        tier=Tier.CITY if rng.random() < 0.3 else Tier.COUNTY,
        address=f"{province}{place}{rng.choice('县市区')}{_place_word(rng)}路{rng.randint(1, 300)}号",
        **_attributes(rng, private=private),
    )
    return _prepared(museum, place_label=f"{province}{place}")


def _short_place(city: Division, county: Division | None) -> str:
    """How the place appears in a museum's name: 安泽 for 安泽县, 阳泉郊区 for the generic 郊区."""
    if county is None:
        return city.short_name
    return city.short_name + county.name if county.name in GENERIC_COUNTY_NAMES else county.short_name


def _attributes(rng: random.Random, *, private: bool) -> dict:
    """Grade, ownership, sector and the directory's yearly figures, scaled by grade."""
    grade = rng.choices(list(GRADE_WEIGHTS), weights=list(GRADE_WEIGHTS.values()))[0]
    if private:
        grade = Grade.NONE if rng.random() < 0.8 else Grade.THIRD
    sector = "非国有博物馆" if private else rng.choice(["文化文物系统国有博物馆", "其他行业国有博物馆"])
    return {"grade": grade, "ownership": Ownership.PRIVATE if private else Ownership.STATE, "sector": sector,
            "free_admission": not private or rng.random() < 0.3, **_stats(rng, grade)}


def _stats(rng: random.Random, grade: str) -> dict:
    scale = GRADE_SCALE[grade]
    collections = int(min(rng.lognormvariate(7.0, 1.2) * scale, 2_000_000))
    return {
        "collections": collections,
        "precious_relics": int(collections * rng.uniform(0, 0.15)),
        "exhibitions": int(rng.uniform(1, 6) * scale),
        "education_activities": int(rng.uniform(0, 40) * scale),
        "visitors_10k": Decimal(str(round(min(rng.lognormvariate(0.5, 1.3) * scale, 900), 4))),
        "staff_count": int(rng.uniform(3, 25) * scale),
        "phone": f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}",
        "contact_person": _person_name(rng),
    }


def _prepared(museum: Museum, *, place_label: str = "") -> Museum:
    """Derived fields exactly as the services fill them, plus an introduction for synthetic rows."""
    apply_defaults(museum)
    museum.refresh_search_keys()
    if place_label:
        museum.introduction = _introduction(museum, place_label)
    return museum


def _introduction(museum: Museum, place: str) -> str:
    values = {"name": museum.name, "place": place, "area": 800 + museum.collections % 9000,
              "halls": 2 + museum.exhibitions % 6, "collections": museum.collections,
              "precious": museum.precious_relics}
    return "".join(sentence.format(**values) for sentence in INTRO_SENTENCES)


def _unique_name(rng: random.Random, place: str, used: set[str], *, private: bool) -> str:
    """安泽民俗博物馆, 安泽东平村翰墨书画艺术馆…: tries a plain name first, then adds a village."""
    for attempt in range(100):
        village = f"{_place_word(rng)}{rng.choice('村镇乡')}" if attempt or rng.random() < 0.3 else ""
        middle = rng.choice(PRIVATE_WORDS) if private else ""
        name = f"{place}{village}{middle}{rng.choice(THEMES)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError(f"no unique museum name left for {place}")


def _place_word(rng: random.Random) -> str:
    return rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)


def name_city_helpers(museums: list[Museum]) -> None:
    """Second- and third-grade city museums help too, named by the association (programme_role_manual), as a
    national programme would: the provincial and first-grade museums alone could not hold 3,000 pairings."""
    for museum in museums:
        if museum.tier == Tier.CITY and museum.grade in (Grade.SECOND, Grade.THIRD) and not museum.is_helper:
            museum.programme_role, museum.programme_role_manual = ProgrammeRole.HELPER, True


def link_branches(museums: list[Museum]) -> None:
    """北朝博物馆（大同市博物馆分馆） is a branch of 大同市博物馆, as the demo loader links them."""
    by_name = {m.name: m for m in museums}
    branches = []
    for museum in museums:
        match = BRANCH_RE.search(museum.name)
        head = by_name.get(match.group(1)) if match else None
        if head is not None and head is not museum:
            museum.head = head
            branches.append(museum)
    Museum.objects.bulk_update(branches, ["head"])


def museum_areas(rng: random.Random, museums: list[Museum]) -> list[MuseumArea]:
    """Helpers offer help in two to four areas; helped museums state one to three needs."""
    rows = []
    for museum in museums:
        if museum.is_helper:
            rows += _areas(rng, museum, Offering.OFFER, rng.randint(2, 4))
        if museum.is_helped:
            rows += _areas(rng, museum, Offering.NEED, rng.randint(1, 3))
    return rows


def _areas(rng: random.Random, museum: Museum, kind: str, count: int) -> list[MuseumArea]:
    chosen = rng.sample(list(Area), count)
    verb = "希望得到" if kind == Offering.NEED else "可以提供"
    return [MuseumArea(museum=museum, kind=kind, area=area, text=f"{verb}{area.label}方面的支持。",
                       capacity=rng.randint(1, 3) if kind == Offering.OFFER else None) for area in chosen]


# --- users -----------------------------------------------------------------------------------------------


def platform_users(rng: random.Random, museums: list[Museum], places: PlaceIndex, *, total: int) -> list[User]:
    """`total` users: 20 association admins, 0.6 % supervisors, 3 % experts, one admin per museum (while the
    total allows) and museum staff for the rest, more of them in higher-grade museums."""
    password = make_password(BENCH_PASSWORD)
    admins = min(20, total)
    supervisors = min(round(total * 0.006), total - admins)
    experts = min(round(total * 0.03), total - admins - supervisors)
    museum_admins = min(len(museums), total - admins - supervisors - experts)
    staff = total - admins - supervisors - experts - museum_admins
    jurisdictions: list[Division] = [places.province, *places.cities]
    weights = [STAFF_WEIGHT.get(m.grade, 3) for m in museums]
    users = [_user(rng, password, "xiehui", i, Role.ASSOCIATION_ADMIN) for i in range(admins)]
    users += [_user(rng, password, "zhuguan", i, Role.SUPERVISOR, jurisdiction=rng.choice(jurisdictions))
              for i in range(supervisors)]
    users += [_user(rng, password, "zhuanjia", i, Role.EXPERT) for i in range(experts)]
    users += [_user(rng, password, "guanzhang", i, Role.MUSEUM_ADMIN, museum=museums[i]) for i in range(museum_admins)]
    users += [_user(rng, password, "guanyuan", i, Role.MUSEUM_STAFF, museum=museum)
              for i, museum in enumerate(rng.choices(museums, weights=weights, k=staff))]
    return users


def _user(rng: random.Random, password: str, prefix: str, index: int, role: str, **fields) -> User:
    username = f"{prefix}{index:05d}"
    return User(username=username, password=password, role=role, full_name=_person_name(rng),
                email=f"{username}@example.org", phone=f"13{rng.randint(100000000, 999999999)}", **fields)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
