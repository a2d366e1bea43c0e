"""The full-text index of published posts on PostgreSQL: a GIN index over the segmented text (exchange.index writes
`search_text`; the 'simple' configuration keeps jieba's words as they are). SQLite has no such index: the search
falls back to the term index (exchange.search)."""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS exchange_post_search ON exchange_post "
          "USING gin (to_tsvector('simple', search_text))")
DROP = "DROP INDEX IF EXISTS exchange_post_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_exchange")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
