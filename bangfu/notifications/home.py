"""Notifications on the home pages: the latest unread ones."""

from .models import Notification

HOME_LIST = 6


def unread(user) -> dict:
    return {"unread": list(Notification.objects.filter(user=user).unread()
                           .order_by("-created_at", "-id")[:HOME_LIST])}
