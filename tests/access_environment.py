"""The environment pages in the access matrix (tests/test_access_matrix.py and the crawl): a museum's sites, rooms,
sensors and pest records are seen by its own staff, its helpers under an agreed or running pairing, the association
and the supervisors of its jurisdiction only, so an outsider (staff of an unrelated museum) gets 404; the overviews,
the material limits table and the report of one's own museum answer every signed-in user (each sees their own
scope); adding a site is a museum admin's (an outsider's staff member gets 403). An anonymous visitor is sent to the
login page everywhere."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bangfu.environment import services
from bangfu.environment.readings import ReadingIn


def _site(w):
    return [w.env_site.pk]


def _room(w):
    return [w.env_room.pk]


def _sensor(w):
    return [w.env_sensor.pk]


MATRIX = {
    "environment:home": (lambda w: reverse("environment:home"), 200, 302),
    "environment:watch": (lambda w: reverse("environment:watch"), 200, 302),
    "environment:home_panel": (lambda w: reverse("environment:home_panel"), 200, 302),
    "environment:limits": (lambda w: reverse("environment:limits"), 200, 302),
    "environment:report": (lambda w: reverse("environment:report") + f"?room={w.env_room.pk}", 404, 302),
    "environment:site_create": (lambda w: reverse("environment:site_create"), 403, 302),
    "environment:site": (lambda w: reverse("environment:site", args=_site(w)), 404, 302),
    "environment:site_edit": (lambda w: reverse("environment:site_edit", args=_site(w)), 404, 302),
    "environment:site_token": (lambda w: reverse("environment:site_token", args=_site(w)), 404, 302),
    "environment:room_create": (lambda w: reverse("environment:room_create", args=_site(w)), 404, 302),
    "environment:room": (lambda w: reverse("environment:room", args=_room(w)), 404, 302),
    "environment:room_edit": (lambda w: reverse("environment:room_edit", args=_room(w)), 404, 302),
    "environment:room_chart": (lambda w: reverse("environment:room_chart", args=_room(w)), 404, 302),
    "environment:pests": (lambda w: reverse("environment:pests", args=_room(w)), 404, 302),
    "environment:sensor_create": (lambda w: reverse("environment:sensor_create", args=_room(w)), 404, 302),
    "environment:sensor_edit": (lambda w: reverse("environment:sensor_edit", args=_sensor(w)), 404, 302),
    "environment:readings_add": (lambda w: reverse("environment:readings_add", args=_sensor(w)), 404, 302),
}
POST_ONLY: set[str] = set()


def scene(world):
    """A site of the helped museum with a storeroom for ceramics, a logger with a day of readings and a pest
    record, built through the services by the helped museum's admin."""
    by = world.helped_admin
    world.env_site = services.site_create(museum=world.helped_museum, by=by, name="主楼", address="府城镇")
    world.env_room = services.room_create(site=world.env_site, by=by, name="文物库房", kind="storeroom",
                                          materials=["silicate"], note="无空调")
    world.env_sensor = services.sensor_create(room=world.env_room, by=by, name="库房记录仪", model_name="HOBO MX1101")
    now = timezone.now().replace(second=0, microsecond=0)
    services.readings_add_manual(sensor=world.env_sensor, by=by, items=[
        ReadingIn(time=now - datetime.timedelta(hours=h), temperature=15 + h / 10, rh=45 + h / 5) for h in range(24)])
    services.pest_record_add(room=world.env_room, by=by, date=timezone.localdate(), species="烟草甲", count=2,
                             trap="T1", action="更换诱捕器")
