"""The overviews: a museum's environment (its sites, its rooms worst first with their latest values, open alerts),
the museums in monitoring for the association and supervisors, and a helper's view of all its partners' rooms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from bangfu.core.params import int_param
from bangfu.museums.models import Museum
from bangfu.parties import works_at_museum
from bangfu.permissions import get_for_user

from .. import alerts as alerts_module
from .. import home as home_panels
from ..models import Alert, Room, Site
from ..selectors import watched_museum_ids
from ..summaries import room_rows, status_counts
from .common import NAV

OPEN_ALERTS = 10
ROOM_PARTS = ("site", "museum")


@login_required
def home(request):
    """My museum's overview; `?museum=` another museum's one may see (a partner, or any for the association and a
    supervisor of its jurisdiction); without a museum of one's own, the list of museums in monitoring."""
    user = request.user
    chosen = int_param(request, "museum", minimum=1)
    museum = None
    if chosen:
        museum = get_for_user(user, Museum.objects.all(), view="environment.view", pk=chosen)
    elif works_at_museum(user):
        museum = user.museum
    if museum is None:
        return _museums(request)
    sites = list(Site.objects.filter(museum=museum).annotate(room_count=Count("rooms")).order_by("name", "pk"))
    rooms = room_rows(Room.objects.filter(museum=museum, is_active=True).select_related(*ROOM_PARTS))
    alerts = alerts_module.with_permissions(
        Alert.objects.filter(room__museum=museum, end__isnull=True).select_related("room", "sensor")
        .order_by("-start")[:OPEN_ALERTS], user)
    own = works_at_museum(user) and user.museum_id == museum.pk
    return render(request, "environment/home.html", {
        "nav": NAV, "museum": museum, "sites": sites, "rooms": rooms, "counts": status_counts(rooms),
        "alerts": alerts, "own": own,
        "can_add_site": user.has_perm("environment.manage_site", museum),
        "watching": bool(watched_museum_ids(user)) and own,
    })


def _museums(request):
    """The association's and a supervisor's entry: the museums with monitored rooms in their scope, the most
    troubled first."""
    rooms = room_rows(Room.objects.visible_to(request.user).filter(is_active=True).select_related(*ROOM_PARTS))
    museums: dict[int, dict] = {}
    for room in rooms:
        row = museums.setdefault(room.museum_id, {"museum": room.museum, "rooms": 0, "red": 0, "amber": 0,
                                                  "green": 0, "none": 0})
        row["rooms"] += 1
        row[room.status] += 1
    rows = sorted(museums.values(), key=lambda r: (-r["red"], -r["amber"], r["museum"].name))
    return render(request, "environment/museums.html", {
        "nav": NAV, "rows": rows, "counts": status_counts(rooms),
        "can_add_site": request.user.has_perm("environment.edit_limits"),
    })


@login_required
def watch(request):
    """A helper's partners' rooms at a glance: red, amber, green, worst first, with the latest temperature and RH
    (the association and supervisors see every room in their scope)."""
    user = request.user
    watched = watched_museum_ids(user)
    rooms = Room.objects.filter(museum_id__in=watched) if works_at_museum(user) else Room.objects.visible_to(user)
    rows = room_rows(rooms.filter(is_active=True).select_related(*ROOM_PARTS))
    return render(request, "environment/watch.html", {
        "nav": NAV, "rooms": rows, "counts": status_counts(rows), "museum_member": works_at_museum(user),
        "partners": len(watched),
    })


@login_required
def home_panel(request):
    """The home page's environment panels ("本馆环境", "结对馆环境"), fetched by the page after it loads (htmx):
    the home page keeps its query budget, and a slow count never holds it up. Empty for a user without a museum."""
    return render(request, "environment/home/_panel.html", home_panels.panels(request.user))
