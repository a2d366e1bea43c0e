"""The server under test: gunicorn serving bangfu.wsgi on a free loopback port, stopped whatever happens."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_PATH = ROOT / "bench" / "out" / "gunicorn.log"
HOST = "127.0.0.1"
READY_PATH = "/__hello__/"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the gunicorn master and its live workers: what a request costs
        the server, whatever else runs on the machine."""
        return sum(_cpu_ticks(pid) for pid in (self.pid, *_children(self.pid))) / CLOCK_TICKS

    def wait_idle(self, timeout: float = 60) -> float:
        """Wait until the workers have finished what a load generator left behind (a sync worker completes a
        request whose client has gone): the next measurement must not be charged for it. Returns the wait."""
        started = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(0.25)
            now = self.cpu_seconds()
            if now - before < 0.02:  # under 2 ticks of CPU in a quarter second: nothing is running
                break
            before = now
        return time.monotonic() - started


def free_port() -> int:
    """A port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, *, workers: int, threads: int) -> list[str]:
    """Sync workers (one request at a time each), or gthread when `threads` > 1."""
    return [
        sys.executable, "-m", "gunicorn", "bangfu.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers),
        "--worker-class", "gthread" if threads > 1 else "sync", "--threads", str(threads),
        "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning", "--chdir", str(ROOT),
    ]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, threads: int) -> Iterator[RunningServer]:
    """Run gunicorn for the duration of the block; always stopped on the way out (normal end, exception, Ctrl-C)."""
    port = free_port()
    LOG_PATH.parent.mkdir(parents=True, exist_ok=True)
    with LOG_PATH.open("w") as log:
        # Its own session: a Ctrl-C in the terminal reaches only this script, which then stops gunicorn in order.
        process = subprocess.Popen(gunicorn_command(port, workers=workers, threads=threads), env=env, cwd=ROOT,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_until_ready(process, port)
            yield RunningServer(base_url=f"http://{HOST}:{port}", pid=process.pid)
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the master (it stops its workers), then SIGKILL to its process group if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _wait_until_ready(process: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn 启动失败（退出码 {process.returncode}），见 {LOG_PATH}：\n{_log_tail()}")
        if _answers(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn 在 {timeout:.0f} 秒内没有就绪，见 {LOG_PATH}：\n{_log_tail()}")


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        conn.request("GET", READY_PATH)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _log_tail(lines: int = 30) -> str:
    return "\n".join(LOG_PATH.read_text(errors="replace").splitlines()[-lines:])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _cpu_ticks(pid: int) -> int:
    """utime + stime of one process, from /proc/<pid>/stat (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"; field 14 of the man page is fields[11]
    return int(fields[11]) + int(fields[12])
