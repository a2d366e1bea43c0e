"""The data migration that builds the ledger summary for existing entries and drops the platform's own task links
(absolute URLs stored by earlier versions), run on the schema it was written for: both ways."""

import datetime
import importlib

import pytest

from .factories import build_world, ensure_divisions
from .migration_steps import latest, migrate, reload_divisions_afterwards  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=True)  # migrations change the schema: no wrapping transaction

TARGET = [("ledger", "0006_summary_and_state_indexes")]
DAY = datetime.date(2026, 3, 14)


def test_the_data_migration_builds_the_summary_and_drops_only_the_platforms_own_task_links(settings):
    migration = importlib.import_module("bangfu.ledger.migrations.0007_summary_build_and_no_stored_urls")
    ensure_divisions()
    world = build_world()
    old = migrate(TARGET)
    try:
        entries = old.get_model("ledger", "LedgerEntry").objects
        common = {"helper_id": world.helper_museum.pk, "helped_id": world.helped_museum.pk, "area": "people",
                  "kind": "培训", "date": DAY, "description": "任务", "source_type": "agreements.task",
                  "days": 1, "people_trained": 10, "confirmation": "confirmed"}
        own = entries.create(source_id=41, evidence_link="http://old-host.example:8000/pairings/tasks/41/", **common)
        news = entries.create(source_id=42, evidence_link="https://news.example.org/pairings/tasks/7/", **common)
        entries.create(**(common | {"source_type": "manual", "confirmation": "pending", "people_trained": 3}))
        entries.create(**(common | {"source_type": "manual", "confirmation": "void", "people_trained": 99}))

        migration.empty_summary(old, None)
        migration.build_summary(old, None)
        rows = {(r.state, r.entries, r.people_trained)
                for r in old.get_model("ledger", "LedgerSummary").objects.all()}
        assert rows == {("confirmed", 2, 20), ("pending", 1, 3)}  # the void entry counts nowhere

        migration.drop_own_links(old, None)
        assert entries.get(pk=own.pk).evidence_link == ""
        assert entries.get(pk=news.pk).evidence_link == "https://news.example.org/pairings/tasks/7/"
        settings.SITE_URL = "https://bangfu.example.cn/"
        migration.restore_own_links(old, None)
        assert entries.get(pk=own.pk).evidence_link == "https://bangfu.example.cn/pairings/tasks/41/"
        migration.empty_summary(old, None)
        assert not old.get_model("ledger", "LedgerSummary").objects.exists()
    finally:
        migrate(latest("agreements", "ledger"))
