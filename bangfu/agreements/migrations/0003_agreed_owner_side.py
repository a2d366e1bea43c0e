from django.db import migrations, models


def agreed_owner_sides(apps, schema_editor):
    """The owner side of each task as both sides last confirmed it: read from the latest confirmed version, not from
    the task, whose owner side an open amendment may already have changed."""
    Task = apps.get_model("agreements", "AgreementTask")
    Version = apps.get_model("agreements", "AgreementVersion")
    latest = {}
    for version in Version.objects.order_by("agreement_id", "version").only("agreement_id", "content"):
        latest[version.agreement_id] = version.content
    for content in latest.values():
        for task in content.get("tasks", []):
            Task.objects.filter(pk=task["id"]).update(agreed_owner_side=task["owner_side"])


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0002_agreed_due_date'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreementtask',
            name='agreed_owner_side',
            field=models.CharField(blank=True, choices=[('helper', '帮扶方'), ('helped', '受援方'), ('both', '双方')], editable=False, help_text='最近一次双方确认时的负责方；修订确认前负责人和数量仍由它决定', max_length=10, verbose_name='双方确认的负责方'),
        ),
        migrations.RunPython(agreed_owner_sides, migrations.RunPython.noop),
    ]
