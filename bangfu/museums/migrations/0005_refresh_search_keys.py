"""Recompute the pinyin search keys: place names like 长治 and 洪洞 were first stored with the wrong reading."""

from django.db import migrations


def refresh(apps, schema_editor):
    from bangfu.core.pinyin import pinyin_full, pinyin_initials

    Museum = apps.get_model("museums", "Museum")
    changed = []
    for museum in Museum.objects.only("id", "name", "short_name", "pinyin", "pinyin_initials"):
        full = pinyin_full(museum.name, museum.short_name)[:400]
        initials = pinyin_initials(museum.name, museum.short_name)[:100]
        if (full, initials) != (museum.pinyin, museum.pinyin_initials):
            museum.pinyin, museum.pinyin_initials = full, initials
            changed.append(museum)
    Museum.objects.bulk_update(changed, ["pinyin", "pinyin_initials"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("museums", "0004_figure_bounds")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
