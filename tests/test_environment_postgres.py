"""What only PostgreSQL can show: two gateways sending the same batch at the same moment save each reading once,
and the partitioning migration goes back and forth with the readings intact."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor

from bangfu.environment import partitions
from bangfu.environment.models import Reading
from bangfu.environment.readings import ReadingIn, readings_save

from .test_environment_ingest import make_sensor

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")]

BASE = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)


def _batch(count: int, start=BASE) -> list[ReadingIn]:
    return [ReadingIn(time=start + datetime.timedelta(minutes=15 * i), temperature=20.0, rh=50.0)
            for i in range(count)]


@pytest.mark.parametrize("count", [10, 3000])  # the unnest path and the COPY path
def test_two_identical_batches_sent_at_once_save_every_reading_exactly_once(world, count):
    sensor = make_sensor(world.helped_museum, world.helped_admin)
    partitions.forget()
    results, errors, barrier = [], [], threading.Barrier(2)

    def send():
        try:
            barrier.wait(timeout=30)
            results.append(readings_save(sensor=sensor, items=_batch(count)))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(r.saved for r in results) == count and sum(r.duplicates for r in results) == count
    assert Reading.objects.filter(sensor=sensor).count() == count


def test_the_partitioning_migration_goes_back_to_a_plain_table_and_forward_again_keeping_the_readings(world):
    sensor = make_sensor(world.helped_museum, world.helped_admin)
    readings_save(sensor=sensor, items=_batch(4, start=datetime.datetime(2025, 1, 31, 23, 30, tzinfo=datetime.UTC)))

    def kind() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'environment_reading'")
            return cursor.fetchone()[0]

    assert kind() == "p"
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("environment", "0002_material_limit_defaults")])
        assert kind() == "r" and Reading.objects.filter(sensor=sensor).count() == 4
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("environment"))
        partitions.forget()
    assert kind() == "p" and Reading.objects.filter(sensor=sensor).count() == 4
    assert partitions.partition_of(sensor.pk, datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)) \
        == "environment_reading_y2025m02"


def test_two_imports_spanning_new_months_at_once_do_not_deadlock_on_partition_creation(world, monkeypatch):
    """A year's logger file is saved in chunks in one transaction: had a chunk after the first created its month's
    partition (an ACCESS EXCLUSIVE lock on the readings table) while another import held rows of the table and
    waited for the partition lock, PostgreSQL would abort one of them as a deadlock."""
    from bangfu.environment import imports
    from bangfu.environment.importers import ParseResult

    monkeypatch.setattr(imports, "CHUNK", 2)
    jan = datetime.datetime(2020, 1, 10, tzinfo=datetime.UTC)
    partitions.ensure(jan, jan, ahead=False)  # the month of the first chunks exists; the later months do not
    sensors = [make_sensor(world.helped_museum, world.helped_admin, name=f"T{i}") for i in (1, 2)]
    errors, barrier = [], threading.Barrier(2)

    def meet():
        """Both imports hold their first chunk's rows before either goes on (unless one is waiting on the other's
        transaction — then, after a while, it goes on alone: waiting is fine, a deadlock is not)."""
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=5)

    def run(sensor, later_month):
        times = [jan, jan + datetime.timedelta(hours=1), datetime.datetime(2020, later_month, 5, tzinfo=datetime.UTC)]
        parsed = ParseResult(format="template", format_label="模板", encoding="UTF-8", columns=[],
                             readings=[ReadingIn(time=t, temperature=20.0, rh=50.0) for t in times],
                             lines=[2, 3, 4])
        try:
            imports.save_parsed(sensor=sensor, parsed=parsed, mode=imports.GOOD_ONLY, actor=None, filename="a.csv",
                                progress=lambda done: done == 2 and meet())
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(sensors, (3, 4), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Reading.objects.filter(sensor__in=sensors).count() == 6
