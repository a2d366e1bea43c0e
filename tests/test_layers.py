"""The import contracts in pyproject.toml hold: every app imports only the layers below it, the modules do not import
each other, models do not import the access rules. `make lint` and CI run them as well; here a break fails the
suite like any broken rule."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_apps_import_only_the_layers_below_them_and_modules_not_each_other():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 — our own tool, fixed arguments
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout
