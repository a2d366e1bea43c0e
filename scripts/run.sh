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
# Two workers; 120 s per request, so that importing a large museum file is not cut off (gunicorn's default is 30 s).
.venv/bin/gunicorn bangfu.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 120 --access-logfile - --no-control-socket &
pids+=($!)

# The background-task worker starts here too once the platform has one, e.g.:
#   .venv/bin/python manage.py <worker command> &
#   pids+=($!)

echo "山西省博物馆帮扶信息平台：http://127.0.0.1:$port/ （按 Ctrl-C 停止）"
wait -n "${pids[@]}"
