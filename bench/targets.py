"""What is measured, and each target's SQL queries counted once in-process with Django's test client."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.accounts.models import Role, User
from bangfu.core.areas import Area
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.selectors import filter_entries
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing, PairingStatus
from bangfu.pairings.selectors import filter_pairings
from bangfu.places.models import Division

from .programme import BIG_TASKS, SMALL_TASKS

HOST = "127.0.0.1"
FLAGSHIP = "山西博物院"  # a real museum whose page and staff the benchmark uses
BASELINE = "hello"
STAFF, ADMIN = "staff", "admin"  # who is signed in: a staff member of FLAGSHIP, an association admin


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # percent-encoded, as sent
    session: str = ""  # "" anonymous, STAFF or ADMIN: sent with that user's session cookie
    group: str = ""  # targets of one page with more or fewer rows: their query counts are compared
    rows: int | None = None  # how many rows the page draws from (matching pairings, tasks, ledger entries)

    @property
    def display_path(self) -> str:
        return unquote(self.path)

    @property
    def signed_in(self) -> bool:
        return bool(self.session)


@dataclass(frozen=True)
class QueryProfile:
    queries: int
    sql_ms: float
    request_ms: float
    kb: float
    slowest_sql: str


def targets() -> list[Target]:
    """The baseline, the directory (plain, filtered, deep page, signed in, its map's points), a museum page,
    the API list (plain and searched), and the programme's pages (issue 3) as an association admin: the pairings
    list (unfiltered, filtered, few rows) and its map lines, the pairing page with 50 and with 5 tasks, the ledger
    (unfiltered, a year and an area, one pairing's few rows)."""
    taiyuan = Division.objects.get(code="140100")
    flagship = Museum.objects.get(name=FLAGSHIP)
    return [*_registry_targets(taiyuan, flagship), *_programme_targets(taiyuan, flagship)]


def _registry_targets(taiyuan: Division, flagship: Museum) -> list[Target]:
    return [
        Target(BASELINE, "/__hello__/"),
        Target("directory", "/museums/"),
        Target("directory q+grade", "/museums/?q=bowuguan&grade=" + quote("二级")),
        Target("directory city", f"/museums/?city={taiyuan.pk}"),
        Target("directory q+city", f"/museums/?q=bwg&city={taiyuan.pk}&sort=-visitors"),
        Target("directory page 300", "/museums/?page=300"),
        Target("directory signed in", "/museums/", session=STAFF),
        Target("map points", "/museums/points.json"),
        Target("museum page", f"/museums/{flagship.pk}/"),
        Target("API list", "/api/museums?limit=20"),
        Target("API q", "/api/museums?limit=20&q=jinianguan"),
    ]


def _programme_targets(taiyuan: Division, flagship: Museum) -> list[Target]:
    """The fixture's two benchmark pairings are 山西博物院's with exactly 50 and 5 tasks."""
    by_tasks = dict(Pairing.objects.filter(helper=flagship, status=PairingStatus.ACTIVE)
                    .annotate(n=Count("agreement__tasks")).filter(n__in=[BIG_TASKS, SMALL_TASKS])
                    .values_list("n", "pk"))
    if set(by_tasks) != {BIG_TASKS, SMALL_TASKS}:
        raise RuntimeError("基准数据中没有 50 项和 5 项任务的结对，请用 --rebuild 重建基准数据库。")
    big, small = by_tasks[BIG_TASKS], by_tasks[SMALL_TASKS]
    last_year = timezone.localdate().year - 1

    def pairings(name: str, query: str = "") -> Target:
        rows = filter_pairings(Pairing.objects.all(), QueryDict(query)).count()
        return Target(name, "/pairings/" + (f"?{query}" if query else ""), ADMIN, "pairings list", rows)

    def ledger(name: str, query: str = "") -> Target:
        rows = filter_entries(LedgerEntry.objects.all(), QueryDict(query))[0].count()
        return Target(name, "/ledger/" + (f"?{query}" if query else ""), ADMIN, "ledger list", rows)

    return [
        pairings("pairings"),
        pairings("pairings city", f"status={PairingStatus.ACTIVE}&city={taiyuan.pk}"),
        pairings("pairings few", f"helper={flagship.pk}"),
        Target("pairings lines", "/pairings/lines.json", ADMIN),
        Target("pairing 50 tasks", f"/pairings/{big}/", ADMIN, "pairing page", BIG_TASKS),
        Target("pairing 5 tasks", f"/pairings/{small}/", ADMIN, "pairing page", SMALL_TASKS),
        ledger("ledger"),
        ledger("ledger year+area", f"year={last_year}&area={Area.CONSERVATION}"),
        ledger("ledger few", f"pairing={small}"),
        # read from the per-museum summary (a museum filter), from the entries (a free-text search, which no
        # summary row answers), and as the flagship's staff sees it (the museum's scope)
        Target("ledger helper", f"/ledger/?helper={flagship.pk}", ADMIN,
               rows=filter_entries(LedgerEntry.objects.all(), QueryDict(f"helper={flagship.pk}"))[0].count()),
        Target("ledger search", "/ledger/?q=" + quote("培训"), ADMIN,
               rows=filter_entries(LedgerEntry.objects.all(), QueryDict("q=培训"))[0].count()),
        Target("ledger museum", "/ledger/", STAFF,
               rows=filter_entries(LedgerEntry.objects.filter(Q(helper=flagship) | Q(helped=flagship)),
                                   QueryDict(""))[0].count()),
    ]


def sessions() -> dict[str, str]:
    """A session key per kind of signed-in visitor, stored in the bench database for the server: a staff member
    of the flagship museum, and an association admin."""
    staff = User.objects.filter(museum__name=FLAGSHIP, role=Role.MUSEUM_STAFF).order_by("pk").first()
    admin = User.objects.filter(role=Role.ASSOCIATION_ADMIN, is_active=True).order_by("pk").first()
    return {STAFF: _session_of(staff), ADMIN: _session_of(admin)}


def _session_of(user: User) -> str:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="bangfu.accounts.backends.AccountBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def profile(target: Target, session_key: str) -> QueryProfile:
    """Queries of one request, after a first one has warmed the process's caches (as the server's workers are)."""
    client = Client(HTTP_HOST=HOST)
    if target.signed_in:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    _check(target, client.get(target.path))
    timer = _QueryTimer()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = client.get(target.path)
        request_ms = (time.perf_counter() - started) * 1000
    _check(target, response)
    slowest = max(timer.timings, default=(0.0, ""))
    return QueryProfile(queries=len(captured.captured_queries), sql_ms=sum(t for t, _ in timer.timings),
                        request_ms=request_ms, kb=len(response.content) / 1024, slowest_sql=slowest[1])


class _QueryTimer:
    """An execute wrapper timing each query to the microsecond (captured_queries rounds to milliseconds)."""

    def __init__(self):
        self.timings: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append(((time.perf_counter() - started) * 1000, sql))


def _check(target: Target, response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{target.name} {target.display_path} 返回 {response.status_code}，基准测试中止。")
