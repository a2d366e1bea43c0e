"""The benchmark's output: the machine, a console table, a markdown table and bench/out/last.json."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from importlib.metadata import version
from pathlib import Path

import django
from django.db import connection

OUT_DIR = Path(__file__).resolve().parent / "out"
COLUMNS = ["target", "path", "req/s", "p50 ms", "p95 ms", "vs hello", "CPU ms", "queries", "SQL ms", "KB", "errors"]


def machine() -> dict:
    """What the figures depend on: cores, memory, CPU model and the software versions."""
    info = {
        "nproc": os.cpu_count(),
        "memory_gb": round(_meminfo_kb("MemTotal") / 1024 / 1024, 1),
        "cpu": _cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    return info


def rows(results: list[dict]) -> list[list[str]]:
    """One row per target; `vs hello` is the share of the baseline's requests per second, `CPU ms` the server's
    CPU time per request under load, `SQL ms` the database time of one request measured in-process."""
    baseline = next((r["rps"] for r in results if r["target"] == "hello"), 0) or 0
    table = []
    for r in results:
        ratio = f"{r['rps'] / baseline:.0%}" if baseline else "–"
        errors = ", ".join(f"{k} {v}" for k, v in r["errors"].items()) or "0"
        rps = f"{r['rps']:.0f}" if r["rps"] >= 10 else f"{r['rps']:.1f}"
        table.append([r["target"], r["path"], rps, f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", ratio,
                      f"{r['server_cpu_ms']:.1f}", str(r["queries"]), f"{r['sql_ms']:.1f}", f"{r['kb']:.1f}", errors])
    return table


def console_table(results: list[dict]) -> str:
    body = rows(results)
    widths = [max(_width(c) for c in column) for column in zip(COLUMNS, *body, strict=True)]
    lines = [_pad_row(COLUMNS, widths), _pad_row(["-" * w for w in widths], widths)]
    lines += [_pad_row(row, widths) for row in body]
    return "\n".join(lines)


def markdown_table(results: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for row in rows(results):
        row[1] = f"`{row[1]}`"
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


SCALING_COLUMNS = ["page", "target", "rows", "queries", "verdict"]


def scaling_rows(results: list[dict]) -> list[list[str]]:
    """The targets that show one page with more and fewer rows (`group`), with their query counts: the count
    must not grow with the rows (no query per row)."""
    groups: dict[str, list[dict]] = {}
    for r in results:
        if r.get("group"):
            groups.setdefault(r["group"], []).append(r)
    table = []
    for group, members in groups.items():
        counts = {m["queries"] for m in members}
        verdict = "constant" if len(counts) == 1 else f"varies {min(counts)}–{max(counts)}"
        for m in sorted(members, key=lambda m: m["rows"] or 0):
            table.append([group, m["target"], f"{m['rows']:,}" if m["rows"] is not None else "–", str(m["queries"]),
                          verdict])
    return table


def scaling_table(results: list[dict]) -> str:
    body = scaling_rows(results)
    if not body:
        return ""
    widths = [max(_width(c) for c in column) for column in zip(SCALING_COLUMNS, *body, strict=True)]
    lines = [_pad_row(SCALING_COLUMNS, widths), _pad_row(["-" * w for w in widths], widths)]
    return "\n".join(lines + [_pad_row(row, widths) for row in body])


def scaling_markdown(results: list[dict]) -> str:
    body = scaling_rows(results)
    if not body:
        return ""
    lines = ["| " + " | ".join(SCALING_COLUMNS) + " |", "|" + "|".join("---" for _ in SCALING_COLUMNS) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])


def write_json(report: dict, engine: str) -> Path:
    """bench/out/last.json, and a copy per database (last-sqlite.json, last-postgresql.json)."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    (OUT_DIR / f"last-{engine}.json").write_text(text, encoding="utf-8")
    path = OUT_DIR / "last.json"
    path.write_text(text, encoding="utf-8")
    return path


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True))


def _meminfo_kb(key: str) -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
