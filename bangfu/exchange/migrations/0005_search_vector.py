"""PostgreSQL: the segmented text as a stored tsvector column (generated from `search_text`, so nothing writes it)
with the GIN index on it, in place of 0002's index on the expression to_tsvector('simple', search_text).

Matching through the expression index was fast, but ranking was not: ts_rank(to_tsvector(...)) parses every matching
post's text again, ~18 µs a row — 213 ms for a word found in 12,000 of 100,000 posts, against 29 ms with the stored
vector (bench/exchange.py). SQLite has neither: the search uses the term index there (exchange.search)."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE exchange_post ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS exchange_post_search_vector ON exchange_post USING gin (search_vector)",
    "DROP INDEX IF EXISTS exchange_post_search",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS exchange_post_search ON exchange_post USING gin (to_tsvector('simple', search_text))",
    "ALTER TABLE exchange_post DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0004_threads_live_once")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
