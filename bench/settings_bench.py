"""The project's settings with two changes: the bench URL map, which adds a bare `hello` view as a baseline, and a
static files storage that tolerates vendored files naming missing source maps (see bench/staticfiles.py).

BENCH_CONN_MAX_AGE (set by `bench/run.py --conn-max-age`) overrides the database's CONN_MAX_AGE, to measure
persistent connections where the project's settings use one connection per request (SQLite)."""

import os

from bangfu.settings import *  # noqa: F403 — the very same settings, read from the same environment variables
from bangfu.settings import DATABASES, STORAGES

ROOT_URLCONF = "bench.urls_bench"
STORAGES = STORAGES | {"staticfiles": {"BACKEND": "bench.staticfiles.SourceMapTolerantStorage"}}
if os.environ.get("BENCH_CONN_MAX_AGE", "").strip():
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
