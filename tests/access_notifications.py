"""The notification pages in the access matrix (see test_access_matrix.py): each user reaches their own only."""

from django.urls import reverse

from bangfu.notifications.services import notify

MATRIX = {
    "notifications:list": (lambda w: reverse("notifications:list"), 200, 302),  # their own only
    "notifications:read": (lambda w: reverse("notifications:read", args=[w.notification.pk]), 404, 302),
    "notifications:read_all": (lambda w: reverse("notifications:read_all"), 302, 302),  # marks their own
    "notifications:open": (lambda w: reverse("notifications:open", args=[w.notification.pk]), 404, 302),
}
POST_ONLY = {"notifications:read", "notifications:read_all"}


def scene(world):
    world.notification = notify(user=world.helped_staff, key="access-test", title="测试通知")
