"""The throw-away benchmark database: a SQLite file under bench/out/, or a PostgreSQL database the script owns.

Works before Django is set up (it only creates and drops the database itself), so the settings can then be
pointed at it through DATABASE_URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

OUT_DIR = Path(__file__).resolve().parent / "out"
SQLITE_PATH = OUT_DIR / "bench.sqlite3"


@dataclass(frozen=True)
class BenchDatabase:
    """Where the benchmark data lives; `url` is what DATABASE_URL gets."""

    url: str
    engine: str  # "sqlite" or "postgresql"

    @property
    def label(self) -> str:
        return "SQLite" if self.engine == "sqlite" else "PostgreSQL"

    @property
    def pg_name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")

    def ensure(self) -> None:
        """Create the (empty) database if it is missing."""
        if self.engine == "sqlite":
            SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
            return
        with _maintenance_connection(self.url) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.pg_name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.pg_name)))

    def drop(self) -> None:
        """Remove the database with everything in it (the SQLite file and its WAL, or the PostgreSQL database)."""
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
            return
        with _maintenance_connection(self.url) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.pg_name)))


def bench_database(pg_url: str | None) -> BenchDatabase:
    """SQLite at bench/out/bench.sqlite3 unless a PostgreSQL URL is given (BENCH_DATABASE_URL)."""
    if not pg_url:
        return BenchDatabase(url=f"sqlite:///{SQLITE_PATH}", engine="sqlite")
    parts = urlsplit(pg_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"BENCH_DATABASE_URL 只支持 PostgreSQL（postgres://…），收到：{parts.scheme}://…")
    name = parts.path.lstrip("/")
    # The script drops and recreates this database: refuse anything that does not look like a scratch database.
    if "bench" not in name:
        raise SystemExit(f"为防止误删数据，BENCH_DATABASE_URL 的数据库名必须包含 “bench”（收到：{name or '空'}）。")
    return BenchDatabase(url=pg_url, engine="postgresql")


def _maintenance_connection(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database (CREATE/DROP DATABASE cannot run inside the
    target database or a transaction)."""
    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    return psycopg.connect(admin_url, autocommit=True)
