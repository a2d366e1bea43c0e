"""`make bench`: build a national-scale database, serve it with gunicorn, load it from loopback, report.

    .venv/bin/python bench/run.py [--rebuild] [--drop] [--duration 10] [--concurrency 8] [--workers 3] …
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench make bench     # PostgreSQL instead

Only talks to 127.0.0.1, stops the server it started on any exit, never touches the project's own database.
See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable next to `bangfu`

from bench.database import BenchDatabase, bench_database  # noqa: E402 — needs the path above

DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"  # bangfu.settings refuses it with DEBUG off


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description="全国规模的负载基准测试（见 docs/benchmarks.md）")
    parser.add_argument("--rebuild", action="store_true", help="重建基准数据库（默认复用已建好的）")
    parser.add_argument("--drop", action="store_true", help="结束后删除基准数据库")
    parser.add_argument("--museums", type=int, default=7000, help="博物馆数（默认 7000）")
    parser.add_argument("--users", type=int, default=50000, help="用户数（默认 50000）")
    parser.add_argument("--pairings", type=int, default=3000, help="结对数（默认 3000）")
    parser.add_argument("--ledger-entries", type=int, default=100_000, help="台账记录数（默认 100000）")
    parser.add_argument("--seed", type=int, default=2024, help="随机种子（默认 2024）")
    parser.add_argument("--duration", type=float, default=10, help="每个目标的测量秒数（默认 10）")
    parser.add_argument("--warmup", type=float, default=2, help="每个目标的预热秒数（默认 2）")
    parser.add_argument("--concurrency", type=int, default=8, help="并发连接数（默认 8）")
    parser.add_argument("--workers", type=int, default=cores + 1, help=f"gunicorn 进程数（默认 {cores + 1}）")
    parser.add_argument("--threads", type=int, default=1, help="每个进程的线程数；>1 时用 gthread（默认 1，sync）")
    parser.add_argument("--conn-max-age", type=int, default=None,
                        help="覆盖数据库连接的 CONN_MAX_AGE（秒；项目设置中 SQLite 为 0，即每个请求重新连接）")
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto",
                        help="压测工具：auto 有 wrk 用 wrk，否则用内置的 Python 压测器")
    parser.add_argument("--only", default="", help="只测这些目标（逗号分隔的名称；hello 总会测）")
    return parser.parse_args(argv)


def server_env(db: BenchDatabase, static_root: str, conn_max_age: int | None) -> dict[str, str]:
    """The environment of both this process and gunicorn: production-like settings on the bench database."""
    secret = os.environ.get("SECRET_KEY", "")
    if not secret or secret == DEFAULT_SECRET_KEY:
        secret = secrets.token_urlsafe(50)
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DATABASE_URL": db.url,
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": path,
    }
    if conn_max_age is not None:
        env["BENCH_CONN_MAX_AGE"] = str(conn_max_age)
    return env


def _stop_on_sigterm() -> None:
    """SIGTERM/SIGHUP unwind like Ctrl-C, so every `finally` (stopping gunicorn) runs. SIGINT too, even when the
    shell started us with it ignored (a background job)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _stop_on_sigterm()
    db = bench_database(os.environ.get("BENCH_DATABASE_URL"))
    static_root = tempfile.mkdtemp(prefix="bangfu-bench-static-")
    try:
        db.ensure()  # emptied and rebuilt later when it does not hold the fixture (or with --rebuild)
        os.environ.update(server_env(db, static_root, args.conn_max_age))
        import django

        django.setup()
        from bench import suite  # imports models: only after setup

        suite.run(args, db, dict(os.environ))
        return 0
    except KeyboardInterrupt:
        print("\n已中断；服务器已停止。", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        if args.drop:
            _drop(db)


def _drop(db: BenchDatabase) -> None:
    from django.apps import apps
    from django.db import connections

    if apps.ready:
        connections.close_all()  # PostgreSQL refuses to drop a database this process is still connected to
    db.drop()
    print(f"已删除基准数据库（{db.label}）。")


if __name__ == "__main__":
    sys.exit(main())
