"""Task evidence moves onto core's attachments: each TaskEvidence row becomes one Attachment of its task (a row
that held both a file and a link becomes two), with the same stored file name (files stay where they are), link,
caption, uploader and time. Reversible: the task attachments become TaskEvidence rows again."""

from django.db import migrations

TASK = {"app_label": "agreements", "model": "agreementtask"}


def _task_type(apps, alias):
    content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(alias)
    return content_types.get_or_create(**TASK)[0]


def _size(name: str) -> int:
    from django.core.files.storage import default_storage

    try:
        return default_storage.size(name)
    except Exception:  # noqa: BLE001 — a missing or unreadable file keeps its row; its size is unknown
        return 0


def forward(apps, schema_editor):
    alias = schema_editor.connection.alias
    evidence = apps.get_model("agreements", "TaskEvidence").objects.using(alias)
    attachment = apps.get_model("core", "Attachment")
    task_type = _task_type(apps, alias)
    rows = []
    for item in evidence.order_by("uploaded_at", "pk").iterator():
        common = {"content_type": task_type, "object_id": item.task_id, "kind": "evidence", "caption": item.caption,
                  "added_by_id": item.uploaded_by_id, "added_at": item.uploaded_at}
        if item.file.name:
            rows.append(attachment(file=item.file.name, size=_size(item.file.name), **common))
        if item.link:
            rows.append(attachment(link=item.link, **common))
    attachment.objects.using(alias).bulk_create(rows, batch_size=500)
    evidence.all().delete()


def backward(apps, schema_editor):
    alias = schema_editor.connection.alias
    evidence = apps.get_model("agreements", "TaskEvidence")
    attachments = apps.get_model("core", "Attachment").objects.using(alias).filter(
        content_type=_task_type(apps, alias))
    evidence.objects.using(alias).bulk_create([
        evidence(task_id=a.object_id, file=a.file.name, link=a.link, caption=a.caption or a.original_name,
                 uploaded_by_id=a.added_by_id, uploaded_at=a.added_at)
        for a in attachments.order_by("added_at", "pk").iterator()
    ], batch_size=500)
    attachments.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_quantities_defined_once"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_attachment"),
    ]

    operations = [migrations.RunPython(forward, backward)]
