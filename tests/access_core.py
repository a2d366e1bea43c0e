"""The platform's own pages of the working-day calendar in the access matrix (test_access_matrix.py): the
association's only."""

import datetime

from django.urls import reverse

from bangfu.core.models import CalendarDay

MATRIX = {
    "calendar": (lambda w: reverse("calendar"), 403, 302),
    "calendar_edit": (lambda w: reverse("calendar_edit", args=[w.calendar_day.pk]), 403, 302),
    "calendar_delete": (lambda w: reverse("calendar_delete", args=[w.calendar_day.pk]), 403, 302),
}
POST_ONLY = {"calendar_delete"}


def scene(world):
    world.calendar_day = CalendarDay.objects.get_or_create(date=datetime.date(2026, 10, 1),
                                                           defaults={"name": "国庆节"})[0]
