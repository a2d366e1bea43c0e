"""Alert episodes: one alert per episode (not per reading), ended by the first reading back inside, the same
whatever the order readings arrive in; daily swings, silence; notifications once per episode, to the helper only
when the site says so; acknowledgement with a note by the museum's or its helper's staff; the overview status."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.core.models import AuditEntry
from bangfu.environment import alerts
from bangfu.environment.models import Alert, AlertKind, Sensor
from bangfu.environment.readings import ReadingIn, readings_save
from bangfu.notifications.models import Notification
from tests.environment_alerts_helpers import STEP, episodes, make_room, pair, recent_start, save, save_each

pytestmark = pytest.mark.django_db


def thresholds():
    """The alerts of readings outside the range (the tests' swings of RH also raise daily-swing alerts)."""
    return Alert.objects.filter(kind__in=list(alerts.THRESHOLD_KINDS))

OUTSIDE = [65, 66, 68, 72, 70, 69, 67, 66, 65, 61]  # ten readings above the paper room's 60 %, peak 72


def test_ten_readings_outside_make_one_alert_with_their_count_peak_start_and_end(world):
    room, sensor = make_room(world)
    start = recent_start()
    times = save_each(sensor, start, [55, 55, *OUTSIDE, 55, 56])
    alert = thresholds().get()
    assert (alert.kind, alert.room, alert.sensor) == (AlertKind.RH_HIGH, room, sensor)
    assert alert.readings == 10
    assert alert.peak == 72
    assert alert.limit == 60
    assert alert.start == times[2]
    assert alert.last_seen == times[11]
    assert alert.end == times[12]  # the first reading back inside
    assert alert.duration == times[12] - times[2]


def test_an_episode_stays_open_while_readings_stay_outside(world):
    _, sensor = make_room(world)
    save_each(sensor, recent_start(), [55, *OUTSIDE])
    alert = thresholds().get()
    assert alert.end is None
    assert alert.readings == 10
    assert thresholds().open().count() == 1


def test_going_outside_again_raises_a_second_alert(world):
    _, sensor = make_room(world)
    save_each(sensor, recent_start(), [*OUTSIDE, 55, 55, 45, 44, 55])
    assert [e[0] for e in episodes(sensor, alerts.THRESHOLD_KINDS)] == ["rh_high", "rh_low"]
    high, low = thresholds().order_by("start")
    assert (high.readings, high.peak, low.readings, low.peak) == (10, 72, 2, 44)
    save_each(sensor, recent_start() + 20 * STEP, [63, 55])
    assert Alert.objects.filter(kind=AlertKind.RH_HIGH).count() == 2


def test_a_value_hovering_at_the_limit_stays_one_episode(world):
    """Hysteresis: back inside by less than 1 % RH does not end the episode (nor count as outside)."""
    _, sensor = make_room(world)
    times = save_each(sensor, recent_start(), [61, 59.5, 60.5, 59.8, 61, 58.5])
    alert = thresholds().get()
    assert (alert.readings, alert.end) == (3, times[5])


def test_a_batch_and_live_arrival_give_the_same_episodes(world):
    values = [55, *OUTSIDE, 55, 55, 45, 44, 55, 62, 63]
    _, live = make_room(world)
    _, batch = make_room(world, name="第二库房", site_name="分馆")
    start = recent_start()
    save_each(live, start, values)
    save(batch, start, values)
    assert len(episodes(live, alerts.THRESHOLD_KINDS)) == 3
    assert [e[1:] for e in episodes(live)] == [e[1:] for e in episodes(batch)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_readings_arriving_out_of_order_give_the_same_episodes(world, seed):
    values = [55, *OUTSIDE, 55, 59.5, 45, 44, 55, 62, 63, 55, 70]
    _, in_order = make_room(world)
    _, shuffled = make_room(world, name="第二库房", site_name="分馆")
    start = recent_start()
    save_each(in_order, start, values)
    order = list(range(len(values)))
    random.Random(seed).shuffle(order)
    save_each(shuffled, start, values, order=order)
    assert [e[1:] for e in episodes(in_order)] == [e[1:] for e in episodes(shuffled)]
    assert thresholds().filter(sensor=shuffled, end__isnull=True).count() == 1


def test_an_imported_file_of_past_weeks_gives_the_episodes_live_arrival_would(world):
    """A logger file covering the weeks before the live data (and overlapping it) is evaluated in time order."""
    rng = random.Random(7)
    values = [round(rng.uniform(48, 63), 1) for _ in range(600)]
    _, live = make_room(world)
    _, imported = make_room(world, name="第二库房", site_name="分馆")
    start = recent_start(hours=160)
    save(live, start, values)
    save(imported, start + 400 * STEP, values[400:])     # the gateway's live data first
    save(imported, start, values[:450])                   # then the logger's file, overlapping it
    assert len(episodes(live)) > 3
    assert episodes(live) == episodes(imported)


def test_a_reading_back_inside_found_later_splits_the_episode(world):
    _, sensor = make_room(world)
    start = recent_start()
    times = save(sensor, start, [65, 66, 67, 68, 69], step=2 * STEP)
    assert thresholds().get().readings == 5
    readings_save(sensor=sensor, items=[ReadingIn(time=times[2] + STEP, temperature=20, rh=55)])
    first, second = thresholds().order_by("start")
    assert (first.start, first.end, first.readings) == (times[0], times[2] + STEP, 3)
    assert (second.start, second.end, second.readings) == (times[3], None, 2)


def test_an_acknowledged_episode_keeps_its_acknowledgement_when_readings_extend_it(world):
    _, sensor = make_room(world)
    start = recent_start()
    save_each(sensor, start, [65, 66])
    alert = thresholds().get()
    alerts.alert_acknowledge(alert=alert, by=world.helped_staff, note="已开除湿机")
    save(sensor, start - 3 * STEP, [64, 64, 64])  # earlier readings outside found later: same episode, longer
    alert.refresh_from_db()
    assert (alert.start, alert.readings, alert.acknowledgement) == (start - 3 * STEP, 5, "已开除湿机")


def test_temperature_light_and_uv_have_their_own_episodes(world):
    _, sensor = make_room(world)
    start = recent_start()
    readings_save(sensor=sensor, items=[
        ReadingIn(time=start, temperature=26, rh=55, lux=40, uv=10),
        ReadingIn(time=start + STEP, temperature=27, rh=55, lux=120, uv=30),
        ReadingIn(time=start + 2 * STEP, temperature=20, rh=55, lux=30, uv=5),
    ])
    kinds = {a.kind: a for a in thresholds()}
    assert set(kinds) == {"temp_high", "lux_high", "uv_high"}
    assert (kinds["temp_high"].peak, kinds["temp_high"].readings) == (27, 2)
    assert (kinds["lux_high"].peak, kinds["lux_high"].limit) == (120, 50)
    assert all(a.end == start + 2 * STEP for a in kinds.values())


# --- daily swings ----------------------------------------------------------------------------------------------


def _day(days_ago: int, hour: int = 0) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_day_whose_rh_swings_more_than_its_limit_raises_one_swing_alert_for_the_run(world):
    _, sensor = make_room(world)
    # three days of RH 51 → 58 (7 % swing, limit 5 %), then a calm day
    for ago in (4, 3, 2):
        save(sensor, _day(ago, 8), [51, 54, 58, 55], step=datetime.timedelta(hours=3))
    save(sensor, _day(1, 8), [55, 56, 57, 55], step=datetime.timedelta(hours=3))
    swing = Alert.objects.get(kind=AlertKind.RH_SWING)
    assert (swing.start, swing.readings, swing.peak, swing.limit) == (_day(4, 8), 3, 7, 5)
    assert swing.end == _day(1, 8)
    assert swing.last_seen == _day(2, 17)


def test_a_swing_found_later_in_the_day_reopens_nothing_twice(world):
    _, sensor = make_room(world)
    save(sensor, _day(2, 8), [51, 58], step=datetime.timedelta(hours=3))
    save(sensor, _day(1, 8), [55], step=datetime.timedelta(hours=3))
    assert Alert.objects.get(kind=AlertKind.RH_SWING).end == _day(1, 8)
    save(sensor, _day(1, 14), [61], step=datetime.timedelta(hours=3))  # the second day swings too after all
    swing = Alert.objects.get(kind=AlertKind.RH_SWING)
    assert (swing.end, swing.readings) == (None, 2)


# --- silence --------------------------------------------------------------------------------------------------------


def test_a_silent_sensor_raises_one_alert_that_its_next_reading_ends(world):
    pair(world)
    room, sensor = make_room(world)
    last = timezone.now() - datetime.timedelta(hours=3)
    save(sensor, last, [55])
    assert alerts.check_silence() == 1
    assert alerts.check_silence() == 0  # the same episode, not a second one
    silent = Alert.objects.get(kind=AlertKind.SILENT)
    assert (silent.start, silent.end, silent.sensor) == (last, None, sensor)
    assert Notification.objects.filter(key=f"environment-alert-{silent.pk}", user=world.helped_staff).exists()
    now = timezone.now() - datetime.timedelta(minutes=1)
    save(sensor, now, [55])
    silent.refresh_from_db()
    assert silent.end == now
    assert silent.peak == pytest.approx(3, abs=0.1)


def test_a_sensor_within_its_sites_silence_limit_is_not_silent(world):
    _, sensor = make_room(world)
    save(sensor, timezone.now() - datetime.timedelta(minutes=90), [55])
    assert alerts.check_silence() == 0
    Sensor.objects.filter(pk=sensor.pk).update(is_active=False)
    assert alerts.check_silence(now=timezone.now() + datetime.timedelta(days=1)) == 0


def test_taking_a_silent_sensor_out_of_service_ends_its_silent_episode(world):
    from bangfu.environment.services import sensor_update

    _, sensor = make_room(world)
    save(sensor, timezone.now() - datetime.timedelta(hours=5), [55])
    assert alerts.check_silence() == 1
    sensor_update(sensor=sensor, by=world.helped_admin, is_active=False)  # the dead logger is removed
    now = timezone.now()
    alerts.check_silence(now=now)
    silent = Alert.objects.get(kind=AlertKind.SILENT)
    assert silent.end == now  # no longer open: not red, not in every morning's digest
    assert alerts.check_silence(now=now + datetime.timedelta(days=1)) == 0


# --- notifications --------------------------------------------------------------------------------------------------


def _notified(user, alert):
    return Notification.objects.filter(user=user, key=f"environment-alert-{alert.pk}").count()


def test_the_museums_staff_are_notified_once_per_episode(world):
    _, sensor = make_room(world)
    save_each(sensor, recent_start(), OUTSIDE)
    alert = thresholds().get()
    assert _notified(world.helped_staff, alert) == 1
    assert _notified(world.helped_admin, alert) == 1
    assert _notified(world.outsider, alert) == 0
    save_each(sensor, recent_start() + 10 * STEP, [55, 70])
    second = thresholds().order_by("start").last()
    assert second.pk != alert.pk
    assert Notification.objects.filter(user=world.helped_staff, key__in=[f"environment-alert-{a.pk}" for a in
                                                                      thresholds()]).count() == 2


def test_the_helper_is_notified_when_the_site_asks_for_it(world):
    pair(world)
    _, sensor = make_room(world, notify_helper=True)
    save(sensor, recent_start(), OUTSIDE)
    assert _notified(world.helper_staff, thresholds().get()) == 1


def test_the_helper_is_not_notified_when_the_site_does_not_ask_for_it(world):
    pair(world)
    _, sensor = make_room(world, notify_helper=False)
    save(sensor, recent_start(), OUTSIDE)
    alert = thresholds().get()
    assert _notified(world.helped_staff, alert) == 1
    assert _notified(world.helper_staff, alert) == 0


def test_importing_old_readings_records_their_episodes_without_notifying(world):
    _, sensor = make_room(world)
    save(sensor, timezone.now() - datetime.timedelta(days=20), [*OUTSIDE, 55])
    assert thresholds().get().readings == 10
    assert not Notification.objects.exists()


# --- acknowledgement ------------------------------------------------------------------------------------------------


def _alert(world, **room_values):
    _, sensor = make_room(world, **room_values)
    save(sensor, recent_start(), OUTSIDE)
    return thresholds().get()


def test_the_helpers_staff_may_acknowledge_a_partners_alert_with_a_note_and_it_is_audited(world):
    pair(world)
    alert = _alert(world)
    alerts.alert_acknowledge(alert=alert, by=world.helper_staff, note="已电话指导开启除湿机")
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (world.helper_staff, "已电话指导开启除湿机")
    assert alert.acknowledged_at is not None
    assert Alert.objects.filter(pk=alert.pk).exists()  # it stays in the history
    assert AuditEntry.objects.filter(action="确认环境报警", object_id=str(alert.pk), actor=world.helper_staff).exists()


def test_an_acknowledgement_needs_a_note(world):
    alert = _alert(world)
    with pytest.raises(ValidationError) as caught:
        alerts.alert_acknowledge(alert=alert, by=world.helped_staff, note="   ")
    assert "处置说明" in caught.value.message_dict["note"][0]


def test_an_alert_is_acknowledged_once(world):
    alert = _alert(world)
    alerts.alert_acknowledge(alert=alert, by=world.helped_staff, note="已处理")
    with pytest.raises(ValidationError):
        alerts.alert_acknowledge(alert=alert, by=world.helped_admin, note="再次")


@pytest.mark.parametrize("who", ["outsider", "province_supervisor", "admin", "helper_staff"])
def test_others_may_not_acknowledge(world, who):
    alert = _alert(world)  # no pairing: the helper museum is no helper of this one
    with pytest.raises(PermissionDenied):
        alerts.alert_acknowledge(alert=alert, by=getattr(world, who), note="看到了")


# --- status for the overviews ---------------------------------------------------------------------------------------


def test_status_of_rooms_is_red_amber_or_green(world):
    red_room, red = make_room(world)
    amber_room, amber = make_room(world, name="陶瓷库", site_name="分馆", materials=["silicate"])
    green_room, _ = make_room(world, name="金属库", site_name="库区", materials=["metal_glass"])
    save(red, recent_start(), [70])  # open and unacknowledged
    save(amber, timezone.now() - datetime.timedelta(days=3), [38, 42])  # ended three days ago
    assert alerts.status_of([red_room, amber_room, green_room]) == {
        red_room.pk: "red", amber_room.pk: "amber", green_room.pk: "green"}
    alerts.alert_acknowledge(alert=Alert.objects.get(room=red_room), by=world.helped_staff, note="处理中")
    assert alerts.status_of([red_room])[red_room.pk] == "amber"


def test_status_of_rooms_takes_one_query_whatever_their_number(world, django_assert_num_queries):
    rooms = []
    for i in range(6):
        room, sensor = make_room(world, name=f"库房{i}", site_name=f"点位{i}")
        save(sensor, recent_start(), [70, 72, 55])
        rooms.append(room)
    with django_assert_num_queries(1):
        status = alerts.status_of(rooms)
    assert set(status.values()) == {"red"}


def test_an_old_files_last_episode_left_open_is_amber_not_red(world):
    room, sensor = make_room(world)
    save(sensor, timezone.now() - datetime.timedelta(days=20), [58, 62, 63])  # the file ends outside
    assert thresholds().get().end is None
    assert alerts.status_of([room]) == {room.pk: "amber"}


def test_the_silence_check_and_the_digest_are_periodic_jobs(world):
    from bangfu.core import periodic
    from bangfu.environment import tasks

    jobs = periodic.discover()
    assert jobs["environment-silence"].every == datetime.timedelta(minutes=15)
    assert jobs["environment-digest"].daily_at == datetime.time(8, 0)
    _, sensor = make_room(world)
    save(sensor, timezone.now() - datetime.timedelta(hours=5), [55])
    assert tasks.check_silence.call() == 1
