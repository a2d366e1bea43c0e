"""PostgreSQL: the question's segmented words as a stored tsvector column (generated from `search_text`) with a GIN
index, read by the kernel's search (core.search); SQLite searches the QuestionTerm index instead."""

from django.db import migrations

from bangfu.core.search import vector_column_sql

FORWARD, BACKWARD = vector_column_sql("consulting_question")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("consulting", "0001_consulting_questions")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
