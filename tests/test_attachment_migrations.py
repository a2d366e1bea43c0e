"""The evidence migrations lose nothing, both ways: task evidence (files and links) and a ledger entry's evidence
file and link, written through today's services, are migrated back into TaskEvidence rows and LedgerEntry's two
fields, then forward onto attachments again — the same stored files (which stay where they are), links, captions
and uploaders."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bangfu.agreements.services import evidence_add
from bangfu.core.models import Attachment
from bangfu.ledger.services import ledger_record

from .factories import build_world, ensure_divisions, make_agreement
from .migration_steps import latest, migrate, reload_divisions_afterwards  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=True)  # migrations change the schema: no wrapping transaction

BEFORE = [("agreements", "0004_quantities_defined_once"), ("ledger", "0007_summary_build_and_no_stored_urls")]


def _kept(attachment: Attachment) -> tuple:
    return (attachment.object_id, attachment.kind, attachment.file.name, attachment.link, attachment.added_by_id)


def test_evidence_survives_the_migrations_back_and_forth():
    # Imported here: pytest looks at a test module's names when collecting, which would set up the lazy storage
    # (and with it the static files storage) before tests/conftest.py adjusts STORAGES.
    from django.core.files.storage import default_storage

    ensure_divisions()
    world = build_world()
    task = make_agreement(world, tasks=[{"title": "讲解员培训",
                                         "due_date": timezone.localdate() + datetime.timedelta(days=30)}]).tasks.get()
    photo = evidence_add(task=task, by=world.helper_staff, caption="签到表",
                         file=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in sheet"))
    news = evidence_add(task=task, by=world.helper_admin, link="https://news.example.org/1", caption="新闻报道")
    entry = ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum,
                          area="people", kind="培训", date=datetime.date(2026, 3, 1), description="培训班",
                          people_trained=20, evidence=SimpleUploadedFile("合影.pdf", b"%PDF-1.4 photo"),
                          evidence_link="https://news.example.org/2")
    entry_file, entry_link = entry.evidence.files().get(), entry.evidence.links().get()
    task_rows = sorted(_kept(a) for a in (photo, news))
    stored = {photo.file.name: default_storage.size(photo.file.name),
              entry_file.file.name: default_storage.size(entry_file.file.name)}

    try:
        old = migrate(BEFORE)
        evidence = old.get_model("agreements", "TaskEvidence").objects.order_by("pk")
        assert [(e.task_id, e.file.name, e.link, e.caption, e.uploaded_by_id) for e in evidence] == [
            (task.pk, photo.file.name, "", "签到表", world.helper_staff.pk),
            (task.pk, "", "https://news.example.org/1", "新闻报道", world.helper_admin.pk)]
        old_entry = old.get_model("ledger", "LedgerEntry").objects.get(pk=entry.pk)
        assert (old_entry.evidence.name, old_entry.evidence_link) == (entry_file.file.name, "https://news.example.org/2")
        assert not Attachment.objects.exists()  # core is not migrated back: its table stays, empty
    finally:
        migrate(latest("agreements", "ledger"))

    assert sorted(_kept(a) for a in Attachment.objects.for_object(task)) == task_rows
    moved = list(Attachment.objects.for_object(entry))
    assert sorted((a.file.name, a.link, a.kind, a.added_by_id) for a in moved) == sorted([
        (entry_file.file.name, "", "evidence", world.helper_staff.pk),
        ("", entry_link.link, "evidence", world.helper_staff.pk)])
    for name, size in stored.items():  # the files stayed where they were, and the rows know their size
        assert default_storage.exists(name) and Attachment.objects.get(file=name).size == size
    assert {a.caption for a in Attachment.objects.for_object(task)} == {"签到表", "新闻报道"}
    assert Path(default_storage.path(photo.file.name)).read_bytes() == b"%PDF-1.4 sign-in sheet"
