"""The unread count for the navigation badge."""

from functools import cache

from .models import Notification


def unread(request):
    """`unread_count`: one COUNT query, run only when a template shows it, at most once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}

    @cache
    def unread_count() -> int:
        return Notification.objects.filter(user_id=user.pk).unread().count()

    return {"unread_count": unread_count}
