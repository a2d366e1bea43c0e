# 山西省博物馆帮扶信息平台 — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

# Settings from .env (see .env.example), exported to every command.
-include .env
export

.PHONY: install run test lint bench migrate demo clean vendor reminders

# Create the virtualenv and install the pinned dependencies (again only when they change).
install: $(STAMP)
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON) 未找到）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Load (or refresh) the demo data: divisions, the 226 Shanxi museums, demo accounts and experts. Keeps existing data.
demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: unit and page tests, then the browser journeys (skipped if Chromium is missing,
# failed instead when REQUIRE_BROWSER=1, as in CI).
test: install
	$(PY) -m pytest -m "not browser"
	$(PY) -m pytest -m browser tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) bench/run.py
	$(PY) bench/solver.py

vendor:
	bash scripts/vendor_frontend.sh

clean:
	rm -rf $(VENV) db.sqlite3* media/ staticfiles/

# Task reminders (cron or a systemd timer runs this daily; see docs/deploy/). Reads .env like every target.
reminders:
	$(PY) manage.py send_reminders
