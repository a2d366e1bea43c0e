"""Load the demo data: divisions, the 226 Shanxi museums, demo accounts and experts. Keeps existing data."""

import csv
import re
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from bangfu.accounts.models import User, system_user
from bangfu.accounts.services import user_create
from bangfu.experts.models import Expert
from bangfu.experts.services import expert_create
from bangfu.museums.models import Museum
from bangfu.museums.services import museum_create, museum_update
from bangfu.places.geo import PlaceIndex
from bangfu.places.loader import load_divisions
from bangfu.places.models import Division

from ...accounts import DEMO_ACCOUNTS, DEMO_EXPERTS, DEMO_PASSWORD
from ...conservation import load_conservation
from ...consulting import load_consulting
from ...courses import load_courses
from ...environment import load_environment
from ...exchange import load_exchange
from ...exhibitions import load_exhibitions
from ...learning import load_learning
from ...loans import load_loans
from ...objects import load_objects
from ...placements import load_placements
from ...programme import load_programme
from ...tours import load_tours
from ...training import load_training

MUSEUMS_CSV = Path(__file__).resolve().parents[3] / "museums" / "data" / "shanxi_museums.csv"
BRANCH_RE = re.compile(r"（(.+?)分馆）")
UNCERTAIN_BASIS = {"", "name?", "knowledge", "unknown"}


def load_museums(path: Path = MUSEUMS_CSV) -> tuple[int, int]:
    """Create the museums of the shared directory file that are not in the database yet."""
    places = PlaceIndex()
    existing = set(Museum.objects.filter(province="山西省").values_list("name", flat=True))
    created = 0
    system = system_user()
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["name"] in existing:
            continue
        county = places.by_code.get(row["county_adcode"])
        city = places.by_code.get(row["city_adcode"]) or (places.city_of(county) if county else None)
        museum_create(
            by=system,
            note="演示数据：2024 年全国博物馆名录",
            name=row["name"], province="山西省", grade=row["grade"], ownership=row["ownership"],
            sector=row["sector"], city=city, county=county, location_basis=row["location_basis"],
            needs_review=row["location_basis"] in UNCERTAIN_BASIS,
            free_admission=row["free_admission"] == "是", collections=int(row["collections"] or 0),
            precious_relics=int(row["precious_relics"] or 0), exhibitions=int(row["exhibitions"] or 0),
            education_activities=int(row["education_activities"] or 0),
            visitors_10k=Decimal(row["visitors_10k"] or "0"), directory_row=int(row["ncha_row"] or 0) or None,
        )
        created += 1
    link_branches()
    return created, len(rows)


def link_branches() -> None:
    """北朝博物馆（大同市博物馆分馆） is a branch of 大同市博物馆."""
    by_name = {m.name: m for m in Museum.objects.filter(province="山西省")}
    system = system_user()
    for museum in by_name.values():
        match = BRANCH_RE.search(museum.name)
        head = by_name.get(match.group(1)) if match else None
        if head and museum.head_id is None:
            museum_update(museum=museum, by=system, data={"head": head}, note="演示数据：按名称识别总分馆")


def load_accounts() -> int:
    created = 0
    museums = {m.name: m for m in Museum.objects.filter(name__in=[a[3] for a in DEMO_ACCOUNTS if a[3]])}
    admin = User.objects.filter(username="xiehui").first()
    for username, role, full_name, museum_name, jurisdiction_code, title in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = user_create(
            by=admin, username=username, role=role, password=DEMO_PASSWORD,
            full_name=full_name, title=title, email=f"{username}@example.org",
            museum=museums.get(museum_name),
            jurisdiction=Division.objects.get(code=jurisdiction_code) if jurisdiction_code else None,
        )
        if admin is None and role == "association_admin":
            admin = user
        created += 1
    return created


def load_experts() -> int:
    created = 0
    admin = User.objects.get(username="xiehui")
    museums = {m.name: m for m in Museum.objects.filter(name__in=[e[2] for e in DEMO_EXPERTS if e[2]])}
    for name, organisation, museum_name, title, areas, tags, regions in DEMO_EXPERTS:
        if Expert.objects.filter(name=name, organisation=organisation).exists():
            continue
        expert_create(
            by=admin, name=name, organisation=organisation, museum=museums.get(museum_name), title=title,
            areas=areas, tags=tags, regions=list(Division.objects.filter(code__in=regions)),
            phone="0351-0000000", email=f"expert{created + 1}@example.org",
            user=User.objects.filter(username="zhuanjia").first() if name == "孙文博" else None,
        )
        created += 1
    return created


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


class Command(BaseCommand):
    help = ("载入演示数据（行政区划、226 家山西博物馆、各角色演示账号、专家、结对、藏品、供需对接、"
            "巡展与联合策展、借展、文物保护、环境监测）；已有数据保持不变。")

    def handle(self, *args, **options):
        # The demo's notifications stay in the platform: no e-mail to the demo accounts' example addresses (the
        # e-mail tasks run here, on commit, into the dummy backend, instead of reaching the worker).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", TASKS=IMMEDIATE), \
                transaction.atomic():
            divisions = load_divisions()
            museums, rows = load_museums()
            accounts = load_accounts()
            experts = load_experts()
            pairings = load_programme()
            objects = load_objects()
            posts, threads = load_exchange()
            touring, stops, projects = load_exhibitions()
            loans = load_loans()
            lab_services = load_conservation()
            env_rooms, env_readings = load_environment()
            load_consulting()
            load_placements()
            load_learning()
            load_training()
            load_tours()
            load_courses()
        self.stdout.write(
            f"行政区划 {divisions} 条；博物馆新增 {museums} 家（文件 {rows} 行）；"
            f"演示账号新增 {accounts} 个；专家新增 {experts} 位；结对新增 {pairings} 个；"
            f"藏品新增 {objects} 件；供需信息新增 {posts} 条，对接新增 {threads} 个；"
            f"巡展新增 {touring} 个（站点 {stops} 个），联合策展项目新增 {projects} 个；借展新增 {loans} 个；"
            f"实验室服务新增 {lab_services} 项；环境监测库房/展厅新增 {env_rooms} 处（读数 {env_readings} 条）。"
        )
