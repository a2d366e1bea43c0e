"""Reads of exhibitions the pages share: the marketplace's query, a tour calendar as the chart draws it, and
which stops a user sees on it. Each answers in a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import Attachment, AttachmentKind
from bangfu.permissions import supervises

from .models import HELD_STOP_STATUSES, StopStatus, TouringExhibition, TourStop, TourWindow

PUBLIC_STOP_STATUSES = (StopStatus.ACCEPTED, StopStatus.COMPLETED)


def month_bounds(text: str) -> tuple[datetime.date, datetime.date] | None:
    """"2026-05" as its first and last day; None for anything else."""
    try:
        year, month = (int(p) for p in text.split("-"))
        first = datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return None
    if not 2000 <= year <= 2100:
        return None
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def marketplace(*, q: str = "", city: int | None = None, max_area: int | None = None,
                month: tuple[datetime.date, datetime.date] | None = None):
    """Published exhibitions matching the filters, with their museum, windows and photos (prefetched): a free
    month means a window overlapping it that no held stop covers from end to end."""
    rows = TouringExhibition.objects.published()
    for term in q.split()[:5]:
        rows = rows.filter(Q(title__icontains=term) | Q(theme__icontains=term) | Q(description__icontains=term))
    if city:
        rows = rows.filter(museum__city_id=city)
    if max_area is not None:
        rows = rows.filter(floor_area__lte=max_area)
    if month is not None:
        first, last = month
        window = TourWindow.objects.filter(exhibition=OuterRef("pk"), start__lte=last, end__gte=first)
        covered = TourStop.objects.filter(exhibition=OuterRef("pk"), status__in=HELD_STOP_STATUSES,
                                          held_from__lte=first, held_until__gte=last)
        rows = rows.filter(Exists(window)).exclude(Exists(covered))
    return rows


def with_cards(rows):
    """What a card shows: the museum and its city, the windows still to come, the first photos."""
    photos = Attachment.objects.filter(kind=AttachmentKind.PHOTO).order_by("added_at", "id")
    today = timezone.localdate()
    return rows.select_related("museum", "museum__city").prefetch_related(
        Prefetch("windows", queryset=TourWindow.objects.filter(end__gte=today).order_by("start")),
        Prefetch("attachments", queryset=photos, to_attr="photos"))


def sees_whole_calendar(user, exhibition) -> bool:
    """The owner's staff, the association and the supervisors of the owner see every held stop, requests
    included."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_association_admin or user.has_perm("exhibitions.change_touring", exhibition):
        return True
    return user.role == "supervisor" and supervises(user, exhibition.museum)


def calendar_stops(exhibition, user):
    """The stops the user sees on the exhibition's calendar: every held one for those who see the whole
    calendar; otherwise the accepted and completed ones (dates and venues are public) and the user's museum's own
    requests."""
    stops = exhibition.stops.select_related("venue").order_by("held_from", "id")
    if sees_whole_calendar(user, exhibition):
        return stops.filter(status__in=HELD_STOP_STATUSES)
    shown = Q(status__in=PUBLIC_STOP_STATUSES)
    if getattr(user, "is_museum_member", False):
        shown |= Q(status__in=HELD_STOP_STATUSES, venue_id=user.museum_id)
    return stops.filter(shown)


def calendar_data(exhibition, stops, user, windows, today: datetime.date) -> dict:
    """The chart's data (json_script): windows, and per stop its set-up, show and transit periods."""
    mine = getattr(user, "museum_id", None) if getattr(user, "is_museum_member", False) else None
    whole = sees_whole_calendar(user, exhibition)
    rows = []
    for stop in stops:
        linked = whole or (mine is not None and mine in (stop.venue_id, stop.owner_id))
        rows.append({
            "venue": stop.venue.name, "status": stop.status, "status_label": stop.get_status_display(),
            "held_from": stop.held_from.isoformat(), "start": stop.start.isoformat(), "end": stop.end.isoformat(),
            "held_until": stop.held_until.isoformat(), "url": reverse("exhibitions:stop", args=[stop.pk])
            if linked else "",
        })
    return {"today": today.isoformat(), "stops": rows,
            "windows": [[w.start.isoformat(), w.end.isoformat()] for w in windows],
            "setup_days": exhibition.setup_days, "transit_days": exhibition.transit_days}
