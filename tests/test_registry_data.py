"""The reference data: divisions, place inference, the demo load, settings safety."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from bangfu.accounts.models import User
from bangfu.ledger.models import LedgerEntry
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing
from bangfu.places.geo import PlaceIndex, great_circle_km
from bangfu.places.models import Division

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_divisions_are_the_province_its_11_cities_and_117_counties():
    assert Division.objects.province().count() == 1
    assert Division.objects.cities().count() == 11
    assert Division.objects.counties().count() == 117
    anze = Division.objects.get(code="141026")
    assert anze.parent.name == "临汾市" and 36 < anze.lat < 37


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "city", "county"), [
    ("安泽县博物馆", "临汾市", "安泽县"),
    ("新绛县博物馆", "运城市", "新绛县"),  # not 绛县, which is inside the name too
    ("大同市博物馆", "大同市", None),
    ("平遥古城博物馆", "晋中市", "平遥县"),
    ("阳泉市城区博物馆", "阳泉市", "城区"),
    ("山西博物院", None, None),
])
def test_place_is_inferred_from_the_museum_name(name, city, county):
    guess = PlaceIndex().infer(name)
    assert (guess.city.name if guess.city else None) == city
    assert (guess.county.name if guess.county else None) == county


def test_great_circle_distance_taiyuan_to_datong():
    assert 250 < great_circle_km(37.87, 112.55, 40.08, 113.30) < 260


@pytest.mark.django_db
def test_demo_data_loads_all_226_museums_once_and_keeps_edits(capsys):
    call_command("load_demo")
    assert Museum.objects.count() == 226
    museum = Museum.objects.get(name="安泽县博物馆")
    Museum.objects.filter(pk=museum.pk).update(introduction="改过的简介")
    call_command("load_demo")
    assert Museum.objects.count() == 226
    assert Museum.objects.get(pk=museum.pk).introduction == "改过的简介"
    assert Museum.objects.get(name="北朝博物馆（大同市博物馆分馆）").head.name == "大同市博物馆"
    assert Museum.objects.filter(grade="一级").count() == 9
    assert Museum.objects.get(name="山西博物院").programme_role == "helper"
    assert Museum.objects.get(name="安泽县博物馆").programme_role == "helped"
    showcase = Pairing.objects.get(helper__name="山西博物院", helped__name="安泽县博物馆")
    assert showcase.status == "active" and showcase.agreement.status == "confirmed"
    assert Pairing.objects.count() > 5  # and the solver's suggestions, accepted as proposals
    assert set(LedgerEntry.objects.values_list("confirmation", flat=True)) == {"confirmed", "pending"}
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"}
    assert User.objects.get(username="xiehui").check_password("Demo@2026")


def _run_settings(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bangfu.settings", **env}, timeout=60, check=False,
    )


def test_site_refuses_to_start_without_debug_on_the_default_secret_key():
    result = _run_settings({"DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_site_starts_without_debug_when_a_secret_key_is_given():
    assert _run_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50}).returncode == 0


def test_static_files_collect_for_production(tmp_path):
    """DEBUG off uses the manifest storage: every file a stylesheet or script refers to must exist."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "STATIC_ROOT": str(tmp_path)}, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()
