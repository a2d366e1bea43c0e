from django.db import migrations

# The defaults of bangfu/environment/limits.py. Should they change, a new migration updates the rows of existing
# databases (the association may have edited them: it updates only rows still at the old default).
from bangfu.environment.limits import default_rows


def forwards(apps, schema_editor):
    MaterialLimit = apps.get_model("environment", "MaterialLimit")
    for row in default_rows():
        MaterialLimit.objects.update_or_create(material_class=row["material_class"], defaults=row)


def backwards(apps, schema_editor):
    apps.get_model("environment", "MaterialLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("environment", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
