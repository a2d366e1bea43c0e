# 山西省博物馆帮扶信息平台 — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Settings from .env (see .env.example), exported to every command.
-include .env
export
# The port `make run` and `make dev` serve on; the settings derive SITE_URL from it.
PORT := $(or $(strip $(PORT)),8000)

# DEBUG is off unless set, and then the site refuses the development key: unless SECRET_KEY is set (in .env or the
# environment), every target uses a key of this checkout, generated once into .secret_key (git-ignored, readable
# by its owner only) and reused, so that sign-ins survive a restart.
SECRET_FILE := .secret_key
ifeq ($(strip $(SECRET_KEY)),)
SECRET_KEY := $(shell [ -s $(SECRET_FILE) ] || (umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SECRET_FILE)); cat $(SECRET_FILE))
endif

.PHONY: install run dev static test lint bench migrate demo clean vendor reminders

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

# The demo as production serves it: DEBUG off, gunicorn, static files collected and served by WhiteNoise, the Chinese
# error pages; DEMO_MODE=1 lists the demo accounts on the login page. Ctrl-C stops every process it started.
run: demo static
	DEBUG=0 DEMO_MODE=1 bash scripts/run.sh

# Development: DEBUG on, Django's runserver reloading on every change, static files straight from bangfu/static.
dev: demo
	DEBUG=1 DEMO_MODE=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Collect the static files (hashed names, compressed) into STATIC_ROOT for WhiteNoise.
static: install
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0

# The whole suite: unit and page tests, then the browser journeys (skipped if Chromium is missing,
# failed instead when REQUIRE_BROWSER=1, as in CI).
test: install
	$(PY) -m pytest -m "not browser"
	$(PY) -m pytest -m browser tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) bench/run.py
	$(PY) bench/solver.py
	$(PY) bench/exchange.py
	$(PY) bench/exhibitions.py
	$(PY) bench/loans.py
	$(PY) bench/environment.py
	$(PY) bench/people.py

vendor:
	bash scripts/vendor_frontend.sh

clean:
	rm -rf $(VENV) db.sqlite3* media/ staticfiles/ $(SECRET_FILE)

# Task reminders (cron or a systemd timer runs this daily; see docs/deploy/). Reads .env like every target.
reminders:
	$(PY) manage.py send_reminders
