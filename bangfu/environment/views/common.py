"""What the environment views share: fetching a site/room/sensor through the access check."""

from __future__ import annotations

from bangfu.permissions import get_for_user

from ..models import Room, Sensor, Site

NAV = "environment"
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


