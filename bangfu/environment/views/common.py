"""What the environment views share: fetching a site/room/sensor through the access check, and the alerts list
include (the alerts branch's, or a stand-in until it is merged)."""

from __future__ import annotations

from django.template.loader import select_template

from bangfu.permissions import get_for_user

from ..models import Room, Sensor, Site

NAV = "environment"
# The alerts list is the alerts branch's include; until it is merged a plain list of our own stands in.
ALERT_LIST_TEMPLATES = ["environment/alerts/_list.html", "environment/_alerts_fallback.html"]


def alert_list_template():
    return select_template(ALERT_LIST_TEMPLATES)


def site_for(request, pk, *, change: str | None = None) -> Site:
    return get_for_user(request.user, Site.objects.select_related("museum"), view="environment.view", change=change,
                        pk=pk)


def room_for(request, pk, *, change: str | None = None) -> Room:
    return get_for_user(request.user, Room.objects.select_related("site", "museum"), view="environment.view",
                        change=change, pk=pk)


def sensor_for(request, pk, *, change: str | None = None) -> Sensor:
    sensor = get_for_user(request.user, Sensor.objects.select_related("room", "room__site", "room__museum"),
                          view="environment.view", pk=pk)
    if change:  # the rules speak of the room
        get_for_user(request.user, Room.objects.filter(pk=sensor.room_id), view="environment.view", change=change,
                     pk=sensor.room_id)
    return sensor


