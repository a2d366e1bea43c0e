"""The environment pages in the access matrix (tests/test_access_matrix.py and the crawl). A sensor's import pages
and an upload's preview belong to the sensor's museum — an outsider (staff of an unrelated museum) gets 404; the
template is offered to every signed-in user. Alerts: the list answers every signed-in user (each sees their own
scope: an outsider an empty list); one alert and its acknowledgement are the room's museum's, its helpers', the
association's and its supervisors' — an outsider gets 404. An anonymous visitor is sent to the login page
everywhere."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.environment.imports import batch_create
from tests.environment_alerts_helpers import make_room, recent_start, save
from tests.environment_import_samples import environment, template_csv


def _alert(w):
    return [w.env_alert.pk]


MATRIX = {
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
    """A storeroom of the helped museum with one sensor and a logger file uploaded for it, waiting for confirmation;
    a paper storeroom whose RH went above 60 % for a while (one alert)."""
    from bangfu.environment.models import Alert

    world.env = environment(world)
    world.reading_import = batch_create(sensor=world.env.sensor, by=world.helped_staff,
                                        file=SimpleUploadedFile("logger.csv", template_csv()))
    _, sensor = make_room(world, name="书画库房（权限）", site_name="权限测试点位")
    save(sensor, recent_start(), [55, 62, 63, 55])
    world.env_alert = Alert.objects.filter(sensor=sensor, kind="rh_high").get()
