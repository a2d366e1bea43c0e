"""Environment monitoring on the home page (registered in module.py): a museum's own rooms by status with its open
alerts ("本馆环境") and, for a helper, its partners' rooms ("结对馆环境"), worst first — as the overview pages judge
them (`alerts.status_of`: an unacknowledged episode in the last day red, any other recent one amber; a sensor
silent: amber), so a room is the same colour here and there. Three queries (the partners, the rooms, their alerts),
fetched by the home page after it loads (`views.home_panel`)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from . import alerts
from .models import Alert, AlertKind, Room
from .selectors import watched_museum_ids
from .summaries import STATUS_LABELS, STATUS_ORDER

HOME_LIST = 5


def panels(user) -> dict:
    if not user.museum_id:
        return {}
    watched = watched_museum_ids(user)
    open_alerts = Alert.objects.filter(room=OuterRef("pk"), end__isnull=True)
    rows = list(Room.objects.filter(museum_id__in=[user.museum_id, *watched], is_active=True)
                .annotate(last=Max("sensors__last_reading_at"),
                          oldest=Min("sensors__last_reading_at", filter=Q(sensors__is_active=True)),
                          alerts_open=Exists(open_alerts.filter(~Q(kind=AlertKind.SILENT))))
                .values("pk", "name", "museum_id", "museum__name", "last", "oldest", "alerts_open",
                        "site__silent_after_minutes"))
    status = alerts.status_of([row["pk"] for row in rows]) if rows else {}
    for row in rows:
        row["alert_status"] = status.get(row["pk"], alerts.GREEN)
    own, partners = _side(r for r in rows if r["museum_id"] == user.museum_id), \
        _side(r for r in rows if r["museum_id"] != user.museum_id)
    return {"env_own": own, "env_partners": partners if watched else None}


def _side(rows) -> dict | None:
    rows = list(rows)
    if not rows:
        return None
    counts = dict.fromkeys(STATUS_ORDER, 0)
    now = timezone.now()
    for row in rows:
        silent = row["oldest"] and now - row["oldest"] > datetime.timedelta(minutes=row["site__silent_after_minutes"])
        if not row["last"]:
            row["status"] = "none"
        elif row["alert_status"] == alerts.GREEN and silent:
            row["status"] = "amber"
        else:
            row["status"] = row["alert_status"]
        row["status_label"] = STATUS_LABELS[row["status"]]
        counts[row["status"]] += 1
    rows.sort(key=lambda r: (STATUS_ORDER[r["status"]], r["museum__name"], r["name"]))
    return {"counts": counts, "worst": [r for r in rows if r["status"] in ("red", "amber")][:HOME_LIST],
            "rooms": len(rows), "alerts": sum(1 for r in rows if r["alerts_open"])}
