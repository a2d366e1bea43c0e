"""Recompute the stored pinyin key so that names sort syllable by syllable (八路军 before 白求恩).

The key used to be the joined pinyin ('balujun…' sorted after 'baiqiuen…'); it now starts with each syllable and its
tone number ('ba1lu4jun1…'), followed by the joined pinyin that searches match. A few more place names are read
right (太行 -háng, 繁峙 -shì…), so the initials are recomputed too."""

from django.db import migrations


def refresh(apps, schema_editor):
    from bangfu.core.pinyin import pinyin_initials, pinyin_search_and_sort

    Museum = apps.get_model("museums", "Museum")
    changed = []
    for museum in Museum.objects.only("id", "name", "short_name", "pinyin", "pinyin_initials"):
        key = pinyin_search_and_sort(museum.name, museum.short_name)[:400]
        initials = pinyin_initials(museum.name, museum.short_name)[:100]
        if (key, initials) != (museum.pinyin, museum.pinyin_initials):
            museum.pinyin, museum.pinyin_initials = key, initials
            changed.append(museum)
    Museum.objects.bulk_update(changed, ["pinyin", "pinyin_initials"], batch_size=500)


def joined_only(apps, schema_editor):
    """Back to the joined pinyin of name and short name (what 0005 stored)."""
    from bangfu.core.pinyin import pinyin_full

    Museum = apps.get_model("museums", "Museum")
    museums = list(Museum.objects.only("id", "name", "short_name", "pinyin"))
    for museum in museums:
        museum.pinyin = pinyin_full(museum.name, museum.short_name)[:400]
    Museum.objects.bulk_update(museums, ["pinyin"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("museums", "0006_name_order_index")]
    operations = [migrations.RunPython(refresh, joined_only)]
