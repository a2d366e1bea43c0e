"""Rooms, sensors and readings for the metrics and alert tests, built through the services: a paper storeroom of
the helped museum (16–24 °C, RH 50–60 %, daily range 5 °C / 5 %, 50 lx) with one sensor every 15 minutes."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bangfu.environment.readings import ReadingIn, readings_save
from bangfu.environment.services import room_create, sensor_create, site_create

STEP = datetime.timedelta(minutes=15)


def make_room(world, *, museum=None, by=None, notify_helper=True, materials=("paper_textile",), name="书画库房",
              site_name="主馆", **values):
    museum = museum or world.helped_museum
    by = by or (world.helped_admin if museum == world.helped_museum else world.admin)
    site = site_create(museum=museum, by=by, name=site_name, notify_helper=notify_helper)
    room = room_create(site=site, by=by, name=name, materials=list(materials), **values)
    sensor = sensor_create(room=room, by=by, name="1号温湿度计", interval_minutes=15)
    return room, sensor


def pair(world):
    """An agreed pairing of the world's helper and helped museums (the helper then watches the helped's rooms)."""
    from bangfu.pairings.models import PairingStatus
    from tests.factories import make_agreement

    pairing = make_agreement(world, tasks=[{"title": "指导库房温湿度调控", "due_date": timezone.localdate()
                                            + datetime.timedelta(days=90)}]).pairing
    pairing.refresh_from_db()
    assert pairing.status in (PairingStatus.AGREED, PairingStatus.ACTIVE)
    return pairing


def save(sensor, start, values, *, step=STEP, parameter="rh", **others):
    """Save one reading per value, `step` apart from `start`, in one batch; `others` fixed values of the rest
    (temperature 20 °C by default). Returns the times."""
    others = {"temperature": 20.0} | others if parameter != "temperature" else {"rh": 55.0} | others
    times = [start + i * step for i in range(len(values))]
    readings_save(sensor=sensor, items=[ReadingIn(time=t, **{parameter: v}, **others) for t, v in
                                        zip(times, values, strict=True)])
    return times


def save_each(sensor, start, values, *, step=STEP, parameter="rh", order=None, **others):
    """As `save`, one reading per call (live arrival), in time order or in the order of indexes `order`."""
    others = {"temperature": 20.0} | others if parameter != "temperature" else {"rh": 55.0} | others
    times = [start + i * step for i in range(len(values))]
    for i in order if order is not None else range(len(values)):
        readings_save(sensor=sensor, items=[ReadingIn(time=times[i], **{parameter: values[i]}, **others)])
    return times


def episodes(sensor, kinds=None):
    """The sensor's alerts as comparable tuples, oldest first."""
    from bangfu.environment.models import Alert

    alerts = Alert.objects.filter(sensor=sensor).order_by("start", "kind")
    if kinds:
        alerts = alerts.filter(kind__in=kinds)
    return [(a.kind, a.start, a.end, a.last_seen, a.peak, a.readings) for a in alerts]


def recent_start(hours=12):
    """A quarter-hour some hours ago (recent enough to notify)."""
    now = timezone.now().replace(second=0, microsecond=0)
    return now.replace(minute=now.minute - now.minute % 15) - datetime.timedelta(hours=hours)
