"""Load generators for loopback URLs: wrk when installed, else a small Python one (threads + keep-alive).

Both answer a `LoadResult`: successful requests per second and latency percentiles over a fixed duration.
"""

from __future__ import annotations

import http.client
import itertools
import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
MAX_PYTHON_REQUESTS = 500_000  # bound on one Python run, whatever the duration
LOOPBACK = "127.0.0.1"


@dataclass
class LoadResult:
    requests: int  # answered with 2xx/3xx
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int] = field(default_factory=dict)  # connect/read/status…: counted, not in `requests`

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available_tool(preference: str) -> str:
    """"wrk" or "python": `auto` takes wrk when it is on the PATH."""
    if preference == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if preference == "wrk" and not shutil.which("wrk"):
        raise SystemExit("没有找到 wrk（Debian: apt-get install wrk）；去掉 --loadgen wrk 改用内置的 Python 压测器。")
    return preference


def tool_version(tool: str) -> str:
    if tool != "wrk":
        return "python (threads + http.client keep-alive)"
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0]


def run_load(tool: str, url: str, *, duration: float, concurrency: int, headers: dict[str, str]) -> LoadResult:
    """Send GET `url` for `duration` seconds from `concurrency` connections."""
    if urlsplit(url).hostname != LOOPBACK:
        raise ValueError(f"the benchmark only sends traffic to {LOOPBACK}: {url}")
    if tool == "wrk":
        return _run_wrk(url, duration=duration, concurrency=concurrency, headers=headers)
    return _run_python(url, duration=duration, concurrency=concurrency, headers=headers)


# --- wrk -------------------------------------------------------------------------------------------------


def _run_wrk(url: str, *, duration: float, concurrency: int, headers: dict[str, str]) -> LoadResult:
    cmd = ["wrk", "-t", str(min(2, concurrency)), "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",
           "--timeout", "10s", "-s", str(WRK_SCRIPT)]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=duration + 60, check=True)
    line = next(row for row in out.stdout.splitlines() if row.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = {k: v for k, v in data["errors"].items() if v}
    return LoadResult(
        requests=data["requests"] - errors.get("status", 0), seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000, p95_ms=data["p95_us"] / 1000, p99_ms=data["p99_us"] / 1000, errors=errors,
    )


# --- the built-in one ------------------------------------------------------------------------------------


@dataclass
class _WorkerTally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _run_python(url: str, *, duration: float, concurrency: int, headers: dict[str, str]) -> LoadResult:
    """Threads, one keep-alive connection each (reopened when the server closes it). Its own CPU use competes
    with the server's on a small machine, so its figures are a lower bound; prefer wrk."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    tickets = itertools.count()  # next() on a count is atomic under the GIL: a shared request budget
    deadline = time.perf_counter() + duration
    tallies = [_WorkerTally() for _ in range(concurrency)]
    threads = [threading.Thread(target=_python_worker, daemon=True,
                                args=(parts.hostname, parts.port, target, headers, deadline, tickets, tally))
               for tally in tallies]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    elapsed = time.perf_counter() - started
    latencies = sorted(lat for tally in tallies for lat in tally.latencies)
    errors: dict[str, int] = {}
    for tally in tallies:
        for kind, n in tally.errors.items():
            errors[kind] = errors.get(kind, 0) + n
    return LoadResult(requests=len(latencies), seconds=elapsed, p50_ms=percentile(latencies, 50),
                      p95_ms=percentile(latencies, 95), p99_ms=percentile(latencies, 99), errors=errors)


def _python_worker(host, port, target, headers, deadline, tickets, tally: _WorkerTally) -> None:
    conn = None
    while time.perf_counter() < deadline and next(tickets) < MAX_PYTHON_REQUESTS:
        try:
            conn = conn or http.client.HTTPConnection(host, port, timeout=10)
            begin = time.perf_counter()
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            response.read()
            spent = (time.perf_counter() - begin) * 1000
        except (OSError, http.client.HTTPException):
            tally.error("connect/read")
            conn = _close(conn)
            continue
        if response.status < 400:
            tally.latencies.append(spent)
        else:
            tally.error("status")
        if response.will_close:
            conn = _close(conn)
    _close(conn)


def _close(conn: http.client.HTTPConnection | None) -> None:
    if conn is not None:
        conn.close()


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not ordered:
        return 0.0
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
