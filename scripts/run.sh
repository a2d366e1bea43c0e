#!/usr/bin/env bash
# `make run`: start the platform's processes and stop them together (Ctrl-C, or when one of them ends).
# The settings come from the environment, which `make run` prepares (DEBUG=0, DEMO_MODE=1, SECRET_KEY, PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# The web server, as in production: gunicorn; WhiteNoise (in the Django app) serves the collected static files.
# Two workers; 120 s per request, so that a large file uploaded over a slow line is not cut off (gunicorn's default is 30 s).
.venv/bin/gunicorn bangfu.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 120 --access-logfile - --no-control-socket &
pids+=($!)

# The background-task worker (the database queue by default, RQ when TASK_BACKEND=rq; see bangfu/core/mail.py and
# the README) and the one scheduler of periodic jobs (the daily reminders), which enqueues them for the worker.
if [ "${TASK_BACKEND:-database}" != "immediate" ]; then
  .venv/bin/python manage.py worker &
  pids+=($!)
fi
.venv/bin/python manage.py scheduler &
pids+=($!)

echo "山西省博物馆帮扶信息平台：http://127.0.0.1:$port/ （按 Ctrl-C 停止）"
wait -n "${pids[@]}"
