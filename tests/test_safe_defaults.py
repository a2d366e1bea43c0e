"""Safe defaults: DEBUG and demo mode off unless set, a key of the checkout for `make`, SITE_URL following PORT, a
Chinese page for a wrong method, and Django's usual login address leading to the login page."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
TEST_KEY = "k" * 50


def settings_in_a_clean_process(**env) -> subprocess.CompletedProcess:
    """Import the settings in a new process whose environment holds only PATH and `env` (none of the developer's
    or pytest's variables), printing DEBUG, DEMO_MODE and SITE_URL."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.DEMO_MODE, s.SITE_URL)")
    return subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "bangfu.settings", **env},
    )


def test_debug_and_demo_mode_are_off_unless_set():
    result = settings_in_a_clean_process(SECRET_KEY=TEST_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "http://127.0.0.1:8000"]


def test_debug_on_does_not_switch_demo_mode_on():
    assert settings_in_a_clean_process(DEBUG="1").stdout.split()[:2] == ["True", "False"]


def test_the_site_refuses_the_development_key_when_nothing_is_set():
    result = settings_in_a_clean_process()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "make run" in result.stderr


def test_site_url_follows_the_port():
    assert settings_in_a_clean_process(SECRET_KEY=TEST_KEY, PORT="8123").stdout.split()[2] == "http://127.0.0.1:8123"
    explicit = settings_in_a_clean_process(SECRET_KEY=TEST_KEY, PORT="8123", SITE_URL="https://bangfu.example.org")
    assert explicit.stdout.split()[2] == "https://bangfu.example.org"


def test_tests_run_with_debug_off(settings):
    assert settings.DEBUG is False and settings.SECRET_KEY != "dev-only-insecure-key-change-me"


# --- make ------------------------------------------------------------------------------------------------------

MAKE = shutil.which("make")
make = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def dry_run(target: str, *, cwd: Path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DEMO_MODE", "MAKEFLAGS"}}
    return subprocess.run(  # noqa: S603 — make with our Makefile, dry run
        [MAKE, "-n", "-f", str(ROOT / "Makefile"), target], cwd=cwd, capture_output=True, text=True, timeout=60,
        check=False, env={**clean, **env},
    )


@make
def test_make_generates_a_private_key_for_the_checkout_once_and_reuses_it(tmp_path):
    dry_run("clean", cwd=tmp_path)
    key_file = tmp_path / ".secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    dry_run("clean", cwd=tmp_path)
    assert key_file.read_text().strip() == key


@make
def test_make_uses_a_key_that_is_set_instead_of_generating_one(tmp_path):
    dry_run("clean", cwd=tmp_path, SECRET_KEY=TEST_KEY)
    assert not (tmp_path / ".secret_key").exists()


@make
def test_make_run_serves_like_production_with_demo_mode_and_make_dev_debugs():
    run = dry_run("run", cwd=ROOT).stdout
    assert "collectstatic --noinput" in run and "DEBUG=0 DEMO_MODE=1 bash scripts/run.sh" in run
    assert "gunicorn bangfu.wsgi" in (ROOT / "scripts" / "run.sh").read_text()
    assert "DEBUG=1 DEMO_MODE=1 .venv/bin/python manage.py runserver" in dry_run("dev", cwd=ROOT).stdout


# --- pages -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_get_on_a_post_only_address_shows_the_chinese_405_page(client):
    response = client.get(reverse("logout"))
    page = response.content.decode()
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "<title>无法直接打开此地址" in page and "不能在浏览器中直接打开" in page and reverse("home") in page


def test_signed_in_users_get_the_405_page_with_their_navigation(world, login):
    client = login(world.admin)
    response = client.get(reverse("notifications:read_all"))
    assert response.status_code == 405 and "无法直接打开此地址" in response.content.decode()
    assert world.admin.display_name in response.content.decode()  # the usual navigation, signed in


@pytest.mark.django_db
def test_the_api_keeps_its_own_answers_to_a_wrong_method(client):
    response = client.delete("/api/museums")
    assert response.status_code == 405 and "无法直接打开此地址" not in response.content.decode()


@pytest.mark.django_db
def test_the_conventional_login_address_leads_to_the_login_page(client):
    response = client.get("/accounts/login/?next=/ledger/")
    assert response.status_code == 302 and response.url == reverse("login") + "?next=/ledger/"
    assert "登录" in client.get(response.url).content.decode()


def test_a_silent_mail_server_is_given_up_on_after_a_timeout(settings):
    from django.core.mail import get_connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert get_connection().timeout == settings.EMAIL_TIMEOUT == 10
