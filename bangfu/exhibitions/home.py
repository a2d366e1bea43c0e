"""Home-page panels of exhibitions (registered in module.py)."""

from __future__ import annotations

from django.utils import timezone

HOME_LIST = 5


def pending_requests(user) -> dict:
    """Requests for stops of the user's museum's exhibitions waiting for its decision (two queries)."""
    from .models import StopStatus, TourStop

    pending = TourStop.objects.filter(owner_id=user.museum_id, status=StopStatus.REQUESTED)
    return {"exhibitions_pending": list(pending.select_related("exhibition", "venue").order_by("start")[:HOME_LIST]),
            "exhibitions_pending_count": pending.count()}


def on_tour(user) -> dict:
    """The public home's "巡展进行中": accepted stops showing today (one query)."""
    from .models import StopStatus, TourStop

    today = timezone.localdate()
    stops = (TourStop.objects.filter(status=StopStatus.ACCEPTED, start__lte=today, end__gte=today,
                                     exhibition__status="published")
             .select_related("exhibition", "venue").order_by("end")[:6])
    return {"exhibitions_on_tour": list(stops)}
