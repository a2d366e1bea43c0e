"""A ledger entry's evidence file and evidence link move onto core's attachments: each becomes one Attachment of
the entry, with the same stored file name (files stay where they are) and link, added by the entry's recorder
when it was recorded. Reversible: an entry's first file and first link go back into its two fields."""

from django.db import migrations

ENTRY = {"app_label": "ledger", "model": "ledgerentry"}


def _entry_type(apps, alias):
    content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(alias)
    return content_types.get_or_create(**ENTRY)[0]


def _size(name: str) -> int:
    from django.core.files.storage import default_storage

    try:
        return default_storage.size(name)
    except Exception:  # noqa: BLE001 — a missing or unreadable file keeps its row; its size is unknown
        return 0


def forward(apps, schema_editor):
    alias = schema_editor.connection.alias
    entries = apps.get_model("ledger", "LedgerEntry").objects.using(alias)
    attachment = apps.get_model("core", "Attachment")
    entry_type = _entry_type(apps, alias)
    rows = []
    for entry in entries.exclude(evidence="", evidence_link="").order_by("pk").iterator():
        common = {"content_type": entry_type, "object_id": entry.pk, "kind": "evidence",
                  "added_by_id": entry.recorded_by_id, "added_at": entry.created_at}
        if entry.evidence.name:
            rows.append(attachment(file=entry.evidence.name, size=_size(entry.evidence.name), **common))
        if entry.evidence_link:
            rows.append(attachment(link=entry.evidence_link, **common))
    attachment.objects.using(alias).bulk_create(rows, batch_size=500)
    entries.update(evidence="", evidence_link="")


def backward(apps, schema_editor):
    alias = schema_editor.connection.alias
    entries = apps.get_model("ledger", "LedgerEntry").objects.using(alias)
    attachments = apps.get_model("core", "Attachment").objects.using(alias).filter(
        content_type=_entry_type(apps, alias))
    found: dict[int, dict[str, str]] = {}
    for a in attachments.order_by("added_at", "pk").iterator():  # the first file and the first link of each entry
        fields = found.setdefault(a.object_id, {})
        if a.file.name:
            fields.setdefault("evidence", a.file.name)
        if a.link:
            fields.setdefault("evidence_link", a.link)
    for pk, fields in found.items():
        entries.filter(pk=pk).update(**fields)
    attachments.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_summary_build_and_no_stored_urls"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_attachment"),
    ]

    operations = [migrations.RunPython(forward, backward)]
