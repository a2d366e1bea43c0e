"""The alert pages: the list (my museum's and its partners' alerts; everything in scope for the association and
supervisors), one alert with the readings around it, and its acknowledgement with a note."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.core.forms import FormMixin, apply_errors
from bangfu.core.params import int_param, text_param
from bangfu.permissions import get_for_user

from .. import alerts as alert_services
from ..models import Alert, AlertKind, Reading, Room

PER_PAGE = 30
AROUND = datetime.timedelta(hours=6)  # readings shown before an episode's start and after its end
READINGS_SHOWN = 400
STATES = {"open": "进行中", "unacknowledged": "未确认", "acknowledged": "已确认"}


class AcknowledgeForm(FormMixin, forms.Form):
    note = forms.CharField(label="处置说明", max_length=alert_services.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="写明原因和已采取的措施，如“除湿机故障，已更换并通知物业”。")


def alert_rows(queryset):
    """Alerts with what a list shows, in a fixed number of queries."""
    return queryset.select_related("room__site", "room__museum", "sensor", "acknowledged_by")


@login_required
def alert_list(request):
    user = request.user
    scope = Alert.objects.visible_to(user)
    state = text_param(request, "state", max_length=20)
    kind = text_param(request, "kind", max_length=20)
    room = int_param(request, "room", minimum=1)
    alerts = scope
    if state == "open":
        alerts = alerts.open()
    elif state == "unacknowledged":
        alerts = alerts.unacknowledged()
    elif state == "acknowledged":
        alerts = alerts.filter(acknowledged_at__isnull=False)
    if kind in AlertKind.values:
        alerts = alerts.filter(kind=kind)
    if room:
        alerts = alerts.filter(room_id=room)
    page = Paginator(alert_rows(alerts).order_by("-start", "-id"), PER_PAGE).get_page(
        int_param(request, "page", minimum=1))
    page.object_list = alert_services.with_permissions(page.object_list, user)
    rooms = list(Room.objects.visible_to(user).filter(pk__in=scope.values("room_id"))
                 .select_related("museum").order_by("museum__name", "name")[:500])
    context = {
        "page": page, "alerts": page.object_list, "state": state if state in STATES else "", "states": STATES,
        "kind": kind if kind in AlertKind.values else "", "kinds": AlertKind.choices, "room": room,
        "rooms": [(r.pk, f"{r.museum.name} · {r.name}" if r.museum_id != user.museum_id else r.name) for r in rooms],
        "nav": "environment",
    }
    template = ("environment/alerts/list.html#results" if request.htmx and request.htmx.target == "results"
                else "environment/alerts/list.html")
    return render(request, template, context)


def _around(alert: Alert) -> list:
    """The sensor's readings from 6 hours before the episode to 6 hours after its end (or now), at most 400 —
    evenly thinned when there are more."""
    if alert.sensor_id is None:
        return []
    end = (alert.end or alert.last_seen or timezone.now()) + AROUND
    readings = Reading.objects.filter(sensor_id=alert.sensor_id, time__gte=alert.start - AROUND, time__lte=end)
    total = readings.count()
    rows = list(readings.order_by("time").values("time", "temperature", "rh", "lux", "uv")[:20_000])
    if total > READINGS_SHOWN:
        step = total / READINGS_SHOWN
        rows = [rows[int(i * step)] for i in range(READINGS_SHOWN) if int(i * step) < len(rows)]
    return rows


def _detail(request, alert: Alert, form=None, status=200):
    parameter = (alert_services.THRESHOLD_KINDS.get(alert.kind) or alert_services.SWING_KINDS.get(alert.kind)
                 or ("",))[0]
    readings = _around(alert)
    for r in readings:
        r["inside"] = r["time"] < alert.start or (alert.end is not None and r["time"] >= alert.end)
    context = {
        "alert": alert, "readings": readings, "parameter": parameter, "unit": alert_services.kind_unit(alert.kind),
        "summary": alert_services.describe(alert),
        "can_acknowledge": alert.acknowledged_at is None and request.user.has_perm("environment.acknowledge", alert),
        "form": form or AcknowledgeForm(), "nav": "environment",
        # local times without offset: ECharts shows them as written, Beijing time whatever the browser's zone
        "chart": {"parameter": parameter, "limit": alert.limit, "start": _local(alert.start),
                  "end": _local(alert.end) if alert.end else None,
                  "points": [[_local(r["time"]), r.get(parameter)] for r in readings] if parameter else []},
    }
    return render(request, "environment/alerts/detail.html", context, status=status)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _get(request, pk) -> Alert:
    return get_for_user(request.user, alert_rows(Alert.objects.all()), view="environment.view", pk=pk)


@login_required
def alert_detail(request, pk):
    return _detail(request, _get(request, pk))


@login_required
@require_POST
def alert_acknowledge(request, pk):
    alert = get_for_user(request.user, alert_rows(Alert.objects.all()), view="environment.view",
                         change="environment.acknowledge", pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            alert_services.alert_acknowledge(alert=alert, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已确认该报警，处置说明已记录。")
            back = text_param(request.POST, "next", max_length=500)
            safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure())
            return redirect(back if back and safe else alert_detail_url(alert))
    return _detail(request, alert, form=form, status=400)


def alert_detail_url(alert: Alert) -> str:
    from django.urls import reverse

    return reverse("environment:alert", args=[alert.pk])
