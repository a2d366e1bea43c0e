"""The environment pages in the access matrix (tests/test_access_matrix.py and the crawl): a museum's sites, rooms,
sensors, pest records, logger imports and alerts are seen by its own staff, its helpers under an agreed or running
pairing, the association and the supervisors of its jurisdiction only, so an outsider (staff of an unrelated museum)
gets 404; the overviews, the alerts list, the material limits table and the import template answer every signed-in
user (each sees their own scope); adding a site is a museum admin's (an outsider's staff member gets 403). An
anonymous visitor is sent to the login page everywhere."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.environment import services
from bangfu.environment.imports import batch_create
from bangfu.environment.readings import ReadingIn
from tests.environment_alerts_helpers import make_room, recent_start, save
from tests.environment_import_samples import environment, template_csv


def _site(w):
    return [w.env_site.pk]


def _room(w):
    return [w.env_room.pk]


def _sensor(w):
    return [w.env_sensor.pk]


def _alert(w):
    return [w.env_alert.pk]


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
    "environment:sensor_import": (lambda w: reverse("environment:sensor_import", args=[w.env.sensor.pk]), 404, 302),
    "environment:import_batch": (lambda w: reverse("environment:import_batch", args=[w.reading_import.pk]), 404, 302),
    "environment:import_progress": (lambda w: reverse("environment:import_progress", args=[w.reading_import.pk]),
                                    404, 302),
    "environment:import_template": (lambda w: reverse("environment:import_template", args=["xlsx"]), 200, 302),
    "environment:alerts": (lambda w: reverse("environment:alerts"), 200, 302),
    "environment:alert": (lambda w: reverse("environment:alert", args=_alert(w)), 404, 302),
    "environment:alert_acknowledge": (lambda w: reverse("environment:alert_acknowledge", args=_alert(w)), 404, 302),
}
POST_ONLY = {"environment:alert_acknowledge"}


def scene(world):
    """A site of the helped museum with a storeroom for ceramics, a logger with a day of readings and a pest record,
    built through the services by the helped museum's admin; another storeroom with a logger file uploaded and
    waiting for confirmation; a paper storeroom whose RH went above 60 % for a while (one alert)."""
    from bangfu.environment.models import Alert

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
    world.env = environment(world)
    world.reading_import = batch_create(sensor=world.env.sensor, by=world.helped_staff,
                                        file=SimpleUploadedFile("logger.csv", template_csv()))
    _, sensor = make_room(world, name="书画库房（权限）", site_name="权限测试点位")
    save(sensor, recent_start(), [55, 62, 63, 55])
    world.env_alert = Alert.objects.filter(sensor=sensor, kind="rh_high").get()
