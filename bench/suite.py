"""The benchmark run itself, once Django is set up on the bench database (bench/run.py prepares that)."""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.utils import timezone

from . import fixture, report
from .database import BenchDatabase
from .loadgen import available_tool, run_load, tool_version
from .server import RunningServer, gunicorn
from .targets import BASELINE, QueryProfile, Target, profile, sessions, targets


def run(args: argparse.Namespace, db: BenchDatabase, env: dict[str, str]) -> dict:
    """Build (or reuse) the data, count queries in-process, load each target through gunicorn, report."""
    started = time.monotonic()
    build = prepare_data(args, db)
    _say(f"静态文件：collectstatic → {env['STATIC_ROOT']}")
    call_command("collectstatic", interactive=False, verbosity=0)
    chosen = _chosen_targets(args.only)
    session = sessions()
    profiles = {t.name: profile(t, session.get(t.session, "")) for t in chosen}
    connections.close_all()  # the server's workers open their own
    tool = available_tool(args.loadgen)
    load_before = _busy_warning()
    _say(f"压测：{tool_version(tool)}，{args.concurrency} 个并发连接，每个目标预热 {args.warmup:g} 秒、"
         f"测量 {args.duration:g} 秒；gunicorn {args.workers} 个进程 × {args.threads} 线程")
    with gunicorn(env, workers=args.workers, threads=args.threads) as server:
        results = [measure(args, tool, server, t, profiles[t.name], session) for t in chosen]
    summary = {
        "when": timezone.localtime().isoformat(timespec="seconds"),
        "database": db.label,
        "machine": report.machine(),
        "config": {"workers": args.workers, "threads": args.threads, "concurrency": args.concurrency,
                   "duration_s": args.duration, "warmup_s": args.warmup, "loadgen": tool_version(tool),
                   "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"]},
        "build": build,
        "results": results,
        "load_average": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        "total_seconds": round(time.monotonic() - started, 1),
    }
    _print_report(summary, report.write_json(summary, db.engine))
    return summary


def prepare_data(args: argparse.Namespace, db: BenchDatabase) -> dict:
    """Reuse the bench database when it holds this fixture (migrated to the code's latest migrations first); else
    (re)create it, migrate and build."""
    sizes = {"museums": args.museums, "users": args.users, "pairings": args.pairings,
             "ledger_entries": args.ledger_entries}
    wanted = sizes | {"seed": args.seed}
    if not args.rebuild and _is_built(wanted):
        call_command("migrate", interactive=False, verbosity=0)  # the code may have gained migrations since
        _say(f"复用已建好的基准数据库（{db.label}：{args.museums} 家博物馆、{args.users} 个用户、"
             f"{args.pairings} 个结对、{args.ledger_entries} 条台账；--rebuild 重建）")
        return {"reused": True, "fixture_version": fixture.FIXTURE_VERSION, **sizes}
    connections.close_all()
    db.drop()
    db.ensure()
    _say(f"建立基准数据库（{db.label}，数据版本 {fixture.FIXTURE_VERSION}）：迁移…")
    begin = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.monotonic()
    built = fixture.build(**wanted)
    done = time.monotonic()
    work = built.programme
    _say(f"建库完成：{built.divisions} 个行政区划、{built.museums} 家博物馆（{built.helpers} 家帮扶方）、"
         f"{built.museum_areas} 条需求与供给、{built.users} 个用户、"
         f"{work.pairings} 个结对（{work.open_pairings} 个未结束）、"
         f"{work.tasks} 项任务、{work.reports} 份进展报告、{work.ledger_entries} 条台账；"
         f"迁移 {migrated - begin:.1f} 秒 + 数据 {done - migrated:.1f} 秒 = {done - begin:.1f} 秒")
    return {"reused": False, "fixture_version": fixture.FIXTURE_VERSION, **sizes, "helpers": built.helpers,
            "museum_areas": built.museum_areas, "programme": asdict(work),
            "migrate_seconds": round(migrated - begin, 1), "data_seconds": round(done - migrated, 1),
            "seconds": round(done - begin, 1)}


def _is_built(wanted: dict) -> bool:
    """Whether the cached database holds this fixture; a database some other code left half-migrated or
    unreadable counts as not built (it is then rebuilt)."""
    try:
        return fixture.is_built(**wanted)
    except DatabaseError:
        return False


def measure(args: argparse.Namespace, tool: str, server: RunningServer, target: Target, query: QueryProfile,
            session: dict[str, str]) -> dict:
    """Warm up, then measure one target; the row of the report. Besides the throughput, the server's CPU time
    per request: it hardly depends on what else the machine is doing, the throughput does."""
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session[target.session]}"} if target.signed_in else {}
    url = server.base_url + target.path
    run_load(tool, url, duration=args.warmup, concurrency=args.concurrency, headers=headers)
    server.wait_idle()
    duration = measuring_time(args, query)
    cpu_before = server.cpu_seconds()
    load = run_load(tool, url, duration=duration, concurrency=args.concurrency, headers=headers)
    answered = load.requests + sum(load.errors.values())
    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / answered if answered else 0.0
    longer = f"（测 {duration:g} 秒）" if duration > args.duration else ""
    _say(f"  {target.name:<22} {load.rps:8.0f} 次/秒  p50 {load.p50_ms:6.1f} ms  p95 {load.p95_ms:6.1f} ms  "
         f"服务器 CPU {cpu_ms:5.1f} ms/次  {query.queries} 条查询{longer}")
    return {
        "target": target.name, "path": target.display_path, "signed_in": target.signed_in,
        "session": target.session, "group": target.group, "rows": target.rows,
        "rps": round(load.rps, 1), "requests": load.requests, "seconds": round(load.seconds, 2),
        "p50_ms": round(load.p50_ms, 2), "p95_ms": round(load.p95_ms, 2), "p99_ms": round(load.p99_ms, 2),
        "errors": load.errors, "server_cpu_ms": round(cpu_ms, 2), "queries": query.queries,
        "sql_ms": round(query.sql_ms, 2), "in_process_ms": round(query.request_ms, 2), "kb": round(query.kb, 1),
        "slowest_sql": query.slowest_sql,
    }


MIN_REQUESTS = 40  # per measurement: fewer, and the requests cut at the window's edges skew CPU ms per request
MAX_DURATION = 60.0


def measuring_time(args: argparse.Namespace, query: QueryProfile) -> float:
    """--duration, or longer for a slow page so that about MIN_REQUESTS complete (from its in-process time and
    the cores the workers share), at most MAX_DURATION seconds."""
    parallel = max(1, min(args.workers * args.threads, os.cpu_count() or 1))
    needed = MIN_REQUESTS * query.request_ms / 1000 / parallel
    return max(args.duration, min(MAX_DURATION, round(needed)))


def _busy_warning() -> float:
    """The 1-minute load average; warns when other work already keeps the cores busy (the figures would suffer)."""
    load = round(os.getloadavg()[0], 2)
    if load > 0.5 * (os.cpu_count() or 1):
        _say(f"注意：开始前系统负载已有 {load}（{os.cpu_count()} 核），其他进程会拉低结果；最好在空闲的机器上运行。")
    return load


def _chosen_targets(only: str) -> list[Target]:
    names = {n.strip() for n in only.split(",") if n.strip()}
    chosen = [t for t in targets() if not names or t.name in names or t.name == BASELINE]
    unknown = names - {t.name for t in chosen}
    if unknown:
        raise SystemExit(f"未知的目标：{'、'.join(sorted(unknown))}；可选：{'、'.join(t.name for t in targets())}")
    return chosen


def _print_report(summary: dict, path: Path) -> None:
    m = summary["machine"]
    versions = [f"Python {m['python']}", f"Django {m['django']}", f"SQLite {m['sqlite']}"]
    if "postgresql" in m:
        versions.append(f"PostgreSQL {m['postgresql']}")
    print(f"\n{summary['database']} · {m['nproc']} 核 {m['cpu']} · 内存 {m['memory_gb']} GB · " + " · ".join(versions))
    load = summary["load_average"]
    print(f"系统负载（1 分钟平均）：开始 {load['before']}，结束 {load['after']}")
    print(report.console_table(summary["results"]))
    scaling = report.scaling_table(summary["results"])
    if scaling:
        print("\n查询数与行数（同一页面，行数多少不同）：\n")
        print(scaling)
    print("\nMarkdown：\n")
    print(report.markdown_table(summary["results"]))
    if scaling:
        print()
        print(report.scaling_markdown(summary["results"]))
    print(f"\n结果已写入 {path}（共用时 {summary['total_seconds']} 秒）")


def _say(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)
