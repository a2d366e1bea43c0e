"""The environment pages in the access matrix (tests/test_access_matrix.py and the crawl). Alerts: the list answers
every signed-in user (each sees their own scope: an outsider an empty list); one alert and its acknowledgement are
the room's museum's, its helpers', the association's and its supervisors' — an outsider gets 404; an anonymous
visitor is sent to the login page."""

from django.urls import reverse

from tests.environment_alerts_helpers import make_room, recent_start, save


def _alert(w):
    return [w.env_alert.pk]


MATRIX = {
    "environment:alerts": (lambda w: reverse("environment:alerts"), 200, 302),
    "environment:alert": (lambda w: reverse("environment:alert", args=_alert(w)), 404, 302),
    "environment:alert_acknowledge": (lambda w: reverse("environment:alert_acknowledge", args=_alert(w)), 404, 302),
}
POST_ONLY = {"environment:alert_acknowledge"}


def scene(world):
    """A paper storeroom of the helped museum whose RH went above 60 % for a while (one alert)."""
    from bangfu.environment.models import Alert

    _, sensor = make_room(world, name="书画库房（权限）", site_name="权限测试点位")
    save(sensor, recent_start(), [55, 62, 63, 55])
    world.env_alert = Alert.objects.filter(sensor=sensor, kind="rh_high").get()
