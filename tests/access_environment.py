"""The environment pages in the access matrix (tests/test_access_matrix.py and the crawl): a sensor's import pages
and an upload's preview belong to the sensor's museum — an outsider (staff of an unrelated museum) gets 404; the
template is offered to every signed-in user; an anonymous visitor is sent to the login page everywhere."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.environment.imports import batch_create
from tests.environment_import_samples import environment, template_csv

MATRIX = {
    "environment:sensor_import": (lambda w: reverse("environment:sensor_import", args=[w.env.sensor.pk]), 404, 302),
    "environment:import_batch": (lambda w: reverse("environment:import_batch", args=[w.reading_import.pk]), 404, 302),
    "environment:import_progress": (lambda w: reverse("environment:import_progress", args=[w.reading_import.pk]),
                                    404, 302),
    "environment:import_template": (lambda w: reverse("environment:import_template", args=["xlsx"]), 200, 302),
}
POST_ONLY: set = set()


def scene(world):
    """A storeroom of the helped museum with one sensor, and a logger file uploaded for it, waiting for confirmation."""
    world.env = environment(world)
    world.reading_import = batch_create(sensor=world.env.sensor, by=world.helped_staff,
                                        file=SimpleUploadedFile("logger.csv", template_csv()))
