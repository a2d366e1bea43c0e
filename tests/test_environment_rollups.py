"""Hourly and daily roll-ups against hand-computed values (days in China time), the chart series that reads raw
readings or roll-ups by the span, and on PostgreSQL the monthly partitions of the readings table."""

import datetime

import pytest
from django.db import connection

from bangfu.environment import partitions, rollups
from bangfu.environment.models import Reading, Rollup, Room
from bangfu.environment.readings import ReadingIn, readings_save
from bangfu.environment.services import room_create, sensor_create, site_create

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CST = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def sensor(world):
    site = site_create(museum=world.helped_museum, by=world.helped_admin, name="主馆")
    room = room_create(site=site, by=world.helped_admin, name="书画库", materials=["paper_textile"])
    return sensor_create(room=room, by=world.helped_admin, name="T1", interval_minutes=15)


def at(hour, minute=0, day=5):
    return datetime.datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def rollup(sensor, period, start) -> Rollup:
    return Rollup.objects.get(sensor=sensor, period=period, start=start)


def test_hourly_and_daily_rollups_match_the_hand_computed_values_with_days_in_china_time(sensor):
    # 15:30 and 15:45 UTC are 23:30 and 23:45 on 5 January in China; 16:00 and 16:15 UTC are already 6 January.
    readings_save(sensor=sensor, items=[
        ReadingIn(time=at(15, 30), temperature=18.0, rh=50.0, lux=100.0, uv=10.0),
        ReadingIn(time=at(15, 45), temperature=20.0, rh=54.0, lux=200.0),
        ReadingIn(time=at(16, 0), temperature=21.0, rh=60.0),
        ReadingIn(time=at(16, 15), temperature=23.0, rh=62.0, lux=50.0, uv=30.0),
    ])
    hour = rollup(sensor, "hour", at(15))
    assert (hour.count, hour.temp_min, hour.temp_max, hour.temp_mean) == (2, 18.0, 20.0, 19.0)
    assert (hour.rh_min, hour.rh_max, hour.rh_mean, hour.uv_max) == (50.0, 54.0, 52.0, 10.0)
    assert (hour.lux_max, hour.lux_mean) == (200.0, 150.0)
    assert hour.exposure_lxh == pytest.approx(150.0 * 2 * 0.25)  # two 15-minute readings: half an hour at 150 lx
    next_hour = rollup(sensor, "hour", at(16))
    assert (next_hour.count, next_hour.lux_mean, next_hour.exposure_lxh) == (2, 50.0, pytest.approx(12.5))

    jan5 = rollup(sensor, "day", datetime.datetime(2026, 1, 5, tzinfo=CST))
    jan6 = rollup(sensor, "day", datetime.datetime(2026, 1, 6, tzinfo=CST))
    assert jan5.start == at(16, day=4)  # a China day starts at 16:00 UTC the day before
    assert (jan5.count, jan5.temp_min, jan5.temp_max, jan5.exposure_lxh) == (2, 18.0, 20.0, pytest.approx(75.0))
    assert (jan6.count, jan6.temp_mean, jan6.rh_max, jan6.uv_max) == (2, 22.0, 62.0, 30.0)
    assert Rollup.objects.filter(sensor=sensor).count() == 4


def test_new_readings_update_the_rollups_of_their_hour_and_day(sensor):
    readings_save(sensor=sensor, items=[ReadingIn(time=at(3, 0), temperature=10.0)])
    readings_save(sensor=sensor, items=[ReadingIn(time=at(3, 30), temperature=14.0)])
    hour = rollup(sensor, "hour", at(3))
    assert (hour.count, hour.temp_mean, hour.temp_max) == (2, 12.0, 14.0)
    assert rollup(sensor, "day", datetime.datetime(2026, 1, 5, tzinfo=CST)).count == 2
    assert hour.exposure_lxh is None  # no lux measured: no exposure, not zero


def test_the_exposure_of_a_bucket_never_exceeds_its_length(sensor):
    # a logger writing every minute although the sensor says 15: an hour is still one hour of light
    readings_save(sensor=sensor, items=[ReadingIn(time=at(10, m), lux=100.0) for m in range(60)])
    assert rollup(sensor, "hour", at(10)).exposure_lxh == pytest.approx(100.0)
    assert rollup(sensor, "day", datetime.datetime(2026, 1, 5, tzinfo=CST)).exposure_lxh == pytest.approx(100.0)


def test_refresh_recomputes_only_the_span_asked_for(sensor):
    readings_save(sensor=sensor, items=[ReadingIn(time=at(1), temperature=10.0),
                                        ReadingIn(time=at(9), temperature=12.0)])
    Rollup.objects.filter(sensor=sensor).update(temp_max=99.0)
    rollups.refresh(sensor_id=sensor.pk, start=at(9), end=at(9, 10))
    assert rollup(sensor, "hour", at(9)).temp_max == 12.0
    assert rollup(sensor, "hour", at(1)).temp_max == 99.0  # another hour: left alone


# --- series ---------------------------------------------------------------------------------------------------


def test_the_series_reads_raw_readings_for_a_few_days(sensor, world):
    other = sensor_create(room=Room.objects.get(), by=world.helped_admin, name="T2")
    readings_save(sensor=sensor, items=[ReadingIn(time=at(8), temperature=18.123, rh=55.0, lux=12.0),
                                        ReadingIn(time=at(8, 15), temperature=18.5, rh=None)])
    result = rollups.series([sensor.pk, other.pk], at(0), at(0, day=7))
    assert result == {"resolution": "raw", "points": {
        sensor.pk: [["2026-01-05T16:00:00+08:00", 18.12, 55.0, 12.0], ["2026-01-05T16:15:00+08:00", 18.5, None, None]],
        other.pk: []}}


def test_the_series_reads_hourly_rollups_up_to_ninety_days_and_daily_ones_beyond(sensor):
    readings_save(sensor=sensor, items=[ReadingIn(time=at(8), temperature=18.0, rh=50.0, lux=10.0),
                                        ReadingIn(time=at(8, 30), temperature=20.0, rh=52.0, lux=30.0)])
    hourly = rollups.series([sensor.pk], at(0, day=1), at(0, day=30))
    assert hourly["resolution"] == "hour"
    assert hourly["points"][sensor.pk] == [["2026-01-05T16:00:00+08:00", 19.0, 51.0, 20.0, 18.0, 20.0, 50.0, 52.0,
                                            30.0]]
    daily = rollups.series([sensor.pk], datetime.datetime(2025, 6, 1, tzinfo=UTC), at(0, day=30))
    assert daily["resolution"] == "day"
    assert daily["points"][sensor.pk][0][0] == "2026-01-05T00:00:00+08:00"


def test_the_series_takes_one_query_whatever_the_number_of_sensors(sensor, django_assert_num_queries):
    with django_assert_num_queries(1):
        rollups.series([sensor.pk, sensor.pk + 1, sensor.pk + 2], at(0), at(0, day=6))


# --- PostgreSQL partitions -----------------------------------------------------------------------------------

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="partitions are PostgreSQL's")


@on_postgresql
def test_readings_land_in_the_partition_of_their_month(sensor):
    partitions.forget()
    readings_save(sensor=sensor, items=[ReadingIn(time=datetime.datetime(2024, 2, 29, 23, 59, tzinfo=UTC),
                                                  temperature=15.0),
                                        ReadingIn(time=datetime.datetime(2024, 3, 1, tzinfo=UTC), temperature=16.0)])
    assert partitions.partition_of(sensor.pk, datetime.datetime(2024, 2, 29, 23, 59, tzinfo=UTC)) == \
        "environment_reading_y2024m02"
    assert partitions.partition_of(sensor.pk, datetime.datetime(2024, 3, 1, tzinfo=UTC)) == \
        "environment_reading_y2024m03"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM environment_reading_default")
        assert cursor.fetchone()[0] == 0


@on_postgresql
def test_rows_waiting_in_the_default_partition_move_into_their_new_month(sensor):
    partitions.forget()
    moment = datetime.datetime(2012, 7, 14, 6, 0, tzinfo=UTC)
    with connection.cursor() as cursor:  # a raw path that did not ensure the month first
        cursor.execute("INSERT INTO environment_reading (sensor_id, time, temperature, source) "
                       "VALUES (%s, %s, 20, 'file')", [sensor.pk, moment])
    assert partitions.partition_of(sensor.pk, moment) == "environment_reading_default"
    result = readings_save(sensor=sensor, items=[ReadingIn(time=moment, temperature=21.0),
                                                 ReadingIn(time=moment + datetime.timedelta(hours=1),
                                                           temperature=22.0)])
    assert (result.saved, result.duplicates) == (1, 1)
    assert partitions.partition_of(sensor.pk, moment) == "environment_reading_y2012m07"
    assert Reading.objects.filter(sensor=sensor).count() == 2
    assert Reading.objects.get(sensor=sensor, time=moment).temperature == 20.0


@on_postgresql
def test_the_next_months_are_created_ahead(sensor):
    partitions.forget()
    now = datetime.datetime.now(UTC)
    partitions.ensure(now, now)
    ahead = now + datetime.timedelta(days=31 * partitions.AHEAD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname = %s", [partitions.name_of(ahead.year, ahead.month)])
        assert cursor.fetchone() is not None


def test_the_partitions_command_creates_the_months_asked_for(capsys):
    from django.core.management import call_command

    partitions.forget()
    call_command("reading_partitions", "--from", "2015-03", "--months-ahead", "0")
    out = capsys.readouterr().out
    if connection.vendor == "postgresql":
        assert "environment_reading_y2015m03" in out and "environment_reading_default" in out
    else:
        assert "无需操作" in out
