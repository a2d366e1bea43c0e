"""What is measured, and each target's SQL queries counted once in-process with Django's test client."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bangfu.accounts.models import Role, User
from bangfu.museums.models import Museum
from bangfu.places.models import Division

HOST = "127.0.0.1"
FLAGSHIP = "山西博物院"  # a real museum whose page and staff the benchmark uses
BASELINE = "hello"


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # percent-encoded, as sent
    signed_in: bool = False  # sent with a museum staff member's session cookie

    @property
    def display_path(self) -> str:
        return unquote(self.path)


@dataclass(frozen=True)
class QueryProfile:
    queries: int
    sql_ms: float
    request_ms: float
    kb: float
    slowest_sql: str


def targets() -> list[Target]:
    """The baseline, the directory (plain, filtered, deep page, signed in, its map's points), a museum page and
    the API list (plain and searched)."""
    taiyuan = Division.objects.get(code="140100")
    flagship = Museum.objects.get(name=FLAGSHIP)
    return [
        Target(BASELINE, "/__hello__/"),
        Target("directory", "/museums/"),
        Target("directory q+grade", "/museums/?q=bowuguan&grade=" + quote("二级")),
        Target("directory city", f"/museums/?city={taiyuan.pk}"),
        Target("directory q+city", f"/museums/?q=bwg&city={taiyuan.pk}&sort=-visitors"),
        Target("directory page 300", "/museums/?page=300"),
        Target("directory signed in", "/museums/", signed_in=True),
        Target("map points", "/museums/points.json"),
        Target("museum page", f"/museums/{flagship.pk}/"),
        Target("API list", "/api/museums?limit=20"),
        Target("API q", "/api/museums?limit=20&q=jinianguan"),
    ]


def staff_session() -> str:
    """A session key of a staff member of the flagship museum, stored in the bench database for the server."""
    user = User.objects.filter(museum__name=FLAGSHIP, role=Role.MUSEUM_STAFF).order_by("pk").first()
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
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
