"""What the environment views share: fetching a site/room/sensor through the access check, and the page that adds
or changes one of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from bangfu.permissions import get_for_user

from ..forms import show_refusal
from ..models import Room, Sensor, Site

NAV = "environment"


def site_for(request, pk, *, change: str | None = None) -> Site:
    return get_for_user(request.user, Site.objects.select_related("museum"), view="environment.view", change=change,
                        pk=pk)


def room_for(request, pk, *, change: str | None = None) -> Room:
    return get_for_user(request.user, Room.objects.select_related("site", "museum"), view="environment.view",
                        change=change, pk=pk)


def sensor_for(request, pk, *, change: str | None = None) -> Sensor:
    """A sensor (its room's rules decide: `rules._owner`), with its room, site and museum."""
    return get_for_user(request.user, Sensor.objects.select_related("room", "room__site", "room__museum"),
                        view="environment.view", change=change, pk=pk)


def form_page(request, form, save, *, done, message, title, back: str, submit: str, instance=None):
    """The page that adds or changes a site, room or sensor: on a valid POST the service call `save(values)` runs —
    its refusal is shown beside the fields — and the user goes to `done(result)` (a URL) with `message(result)`;
    otherwise the form (400 with errors). `instance`, the record being changed, is read again before the form is
    shown, so `title()` names what is saved, not what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, message(result))
            return redirect(done(result))
    if instance is not None:
        instance.refresh_from_db()
    return render(request, "environment/form.html", {
        "nav": NAV, "form": form, "title": title(), "back": back, "submit": submit,
    }, status=400 if form.errors else 200)
