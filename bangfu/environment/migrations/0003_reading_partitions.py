"""On PostgreSQL the readings table becomes PARTITIONED BY RANGE (time): one partition a month (UTC months, named
environment_reading_y2026m01), a DEFAULT partition for months without one, the primary key (sensor_id, time) and a
BRIN index on time in each partition. Existing rows are copied over. SQLite keeps its plain table (nothing to do).
Reversible: backwards copies the rows into a plain table again. The model's state does not change."""

import datetime

from django.db import migrations

from bangfu.environment.partitions import AHEAD, DEFAULT, PARENT, bounds, months_between, name_of, range_clause

COLUMNS = "sensor_id, time, temperature, rh, lux, uv, source"
DEFINITION = ("sensor_id bigint NOT NULL, time timestamp with time zone NOT NULL, temperature double precision NULL, "
              "rh double precision NULL, lux double precision NULL, uv double precision NULL, "
              "source varchar(6) NOT NULL")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {PARENT} RENAME TO {PARENT}_plain")
        cursor.execute(f"ALTER TABLE {PARENT}_plain RENAME CONSTRAINT {PARENT}_pkey TO {PARENT}_plain_pkey")
        cursor.execute(f"CREATE TABLE {PARENT} ({DEFINITION}, CONSTRAINT {PARENT}_pkey PRIMARY KEY (sensor_id, time))"
                       " PARTITION BY RANGE (time)")
        cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {PARENT} DEFAULT")
        # Readings arrive in time order, so a month's blocks follow time: BRIN answers "all sensors, this week"
        # (the silence check, a museum's overview) at a few pages per partition; the primary key serves one sensor.
        cursor.execute(f"CREATE INDEX {PARENT}_time_brin ON {PARENT} USING brin (time)")
        # the months that hold readings (only those: a sparse history makes no empty partitions) and those ahead
        cursor.execute(f"SELECT DISTINCT extract(year FROM time AT TIME ZONE 'UTC')::int, "  # noqa: S608
                       f"extract(month FROM time AT TIME ZONE 'UTC')::int FROM {PARENT}_plain")
        now = datetime.datetime.now(datetime.UTC)
        months = set(months_between(now, now + datetime.timedelta(days=31 * AHEAD)))
        months |= {(year, month) for year, month in cursor.fetchall()}
        for year, month in sorted(months):
            cursor.execute(f"CREATE TABLE {name_of(year, month)} PARTITION OF {PARENT} "
                           f"{range_clause(*bounds(year, month))}")
        cursor.execute(f"INSERT INTO {PARENT} ({COLUMNS}) SELECT {COLUMNS} FROM {PARENT}_plain")  # noqa: S608
        cursor.execute(f"DROP TABLE {PARENT}_plain")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {PARENT} RENAME TO {PARENT}_partitioned")
        cursor.execute(f"ALTER TABLE {PARENT}_partitioned RENAME CONSTRAINT {PARENT}_pkey "
                       f"TO {PARENT}_partitioned_pkey")
        cursor.execute(f"CREATE TABLE {PARENT} ({DEFINITION}, CONSTRAINT {PARENT}_pkey PRIMARY KEY (sensor_id, time))")
        cursor.execute(f"INSERT INTO {PARENT} ({COLUMNS}) SELECT {COLUMNS} FROM {PARENT}_partitioned")  # noqa: S608
        cursor.execute(f"DROP TABLE {PARENT}_partitioned CASCADE")  # its partitions with it


class Migration(migrations.Migration):
    dependencies = [("environment", "0002_material_limit_defaults")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
