"""The user's own notifications: unread first, marked read one by one or all at once (htmx in place)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.core.params import int_param, text_param

from . import services
from .models import Notification

PAGE_SIZE = 30


def _own(request, pk: int) -> Notification:
    """One of the user's own notifications; anybody else's is 404."""
    return get_object_or_404(Notification, pk=pk, user=request.user)


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id")
    show = text_param(request, "show")
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    context = {"page": page, "show": show}
    if request.htmx and request.htmx.target == "notification-list":
        return render(request, "notifications/list.html#items", context)
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification=notification)
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "notifications/list.html#item", {"n": notification})
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")
