"""What the in-process benchmarks of the modules share (bench/exchange.py, exhibitions.py, loans.py): their own
database built once and reused while its parameters stay the same, the measuring loop and the report's table.

    inprocess.run(name="loans", key={"loans": "50000", …}, rebuild=…, drop=…,
                  build=lambda: build(args), measure=lambda db: measure(args, db))

The database is a SQLite file bench/out/<name>.sqlite3, or the PostgreSQL database of BENCH_DATABASE_URL (only
127.0.0.1 databases whose name contains "bench": bench/database.py). The parameters the data was built with are
kept in a table `bench_<name>_fixture`; other parameters build the data again.
"""

from __future__ import annotations

import os
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.database import OUT_DIR, BenchDatabase, bench_database


@dataclass(frozen=True)
class SqliteFile(BenchDatabase):
    """One benchmark's own SQLite file (the fixtures of the benchmarks differ)."""

    path: Path = OUT_DIR / "bench.sqlite3"

    def ensure(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def database(name: str) -> BenchDatabase:
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if url:
        return bench_database(url)
    path = OUT_DIR / f"{name}.sqlite3"
    return SqliteFile(url=f"sqlite:///{path}", engine="sqlite", path=path)


def run(*, name: str, key: dict[str, str], rebuild: bool, drop: bool, build: Callable[[], dict],
        measure: Callable[[BenchDatabase], None]) -> None:
    """Point Django at the benchmark's database, build the data unless it was built with the same `key`, measure,
    and drop the database when asked."""
    db = database(name)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DATABASE_URL": db.url, "DEBUG": "0", "DEMO_MODE": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "testserver,127.0.0.1", "LOG_LEVEL": "WARNING",
        "TASK_BACKEND": "immediate",
    })
    if rebuild:
        db.drop()
    db.ensure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    table = f"bench_{name}_fixture"
    if stored_key(table) != key:
        if stored_key(table) is not None:
            print("基准数据与参数不符：重建")
            connections.close_all()
            db.drop()
            db.ensure()
            call_command("migrate", verbosity=0)
        started = time.monotonic()
        counts = build()
        write_key(table, key)
        print(f"数据已生成：{counts}，用时 {time.monotonic() - started:.0f} 秒")
    try:
        _prepare()
        measure(db)
    finally:
        if drop:
            connections.close_all()
            db.drop()


def _prepare() -> None:
    from django.conf import settings
    from django.db import connection

    # Pages name static files without a collectstatic run (as the tests do).
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum will have done after a build or a migration


def stored_key(table: str) -> dict[str, str] | None:
    """The parameters the data in the database was built with (None before the first build)."""
    from django.db import connection

    if table not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {table}")  # noqa: S608 — the benchmark's own table name
        return dict(cursor.fetchall())


def write_key(table: str, key: dict[str, str]) -> None:
    """Note the parameters the data was built with (a table of its own: not a model, no migration)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} (name varchar(40) PRIMARY KEY, value varchar(200) NOT NULL)")
        for name, value in key.items():
            cursor.execute(f"INSERT INTO {table} (name, value) VALUES (%s, %s)", [name, value])  # noqa: S608


def timed(fn: Callable[[], object], repeat: int) -> dict:
    """CPU and wall ms per call (medians of `repeat` calls on a warm process) and the queries of one call."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: templates, caches, SQLite's page cache (jieba and the thesaurus for the exchange)
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


def getter(client, url: str, params: dict | None = None) -> Callable[[], None]:
    """A GET of `url` by the test client that must answer 200."""
    def get():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
    return get


def print_table(heading: str, rows: list[tuple[str, str, dict]], floor: dict) -> None:
    """The report: one row per target with CPU ms beside the framework's floor."""
    print(f"\n{heading}\n")
    print("| target | what | CPU ms | wall ms | queries | × floor |")
    print("|---|---|---|---|---|---|")
    base = floor["cpu_ms"]
    for name, what, r in rows:
        ratio = r["cpu_ms"] / base if base else 0
        print(f"| {name} | {what} | {r['cpu_ms']:.1f} | {r['wall_ms']:.1f} | {r['queries']} | {ratio:.0f}× |")
