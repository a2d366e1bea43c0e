"""The platform's own pages in the access matrix (test_access_matrix.py): the working-day calendar (the
association's only) and the one removal page of attachments (an outsider of the record gets 404)."""

import datetime

from django.urls import reverse

from bangfu.core.attachments import attachment_add
from bangfu.core.models import CalendarDay
from bangfu.objects.models import CollectionObject

MATRIX = {
    "calendar": (lambda w: reverse("calendar"), 403, 302),
    "calendar_edit": (lambda w: reverse("calendar_edit", args=[w.calendar_day.pk]), 403, 302),
    "calendar_delete": (lambda w: reverse("calendar_delete", args=[w.calendar_day.pk]), 403, 302),
    "attachment_remove": (lambda w: reverse("attachment_remove", args=[w.private_attachment.pk]), 404, 302),
}
POST_ONLY = {"calendar_delete", "attachment_remove"}


def scene(world):
    private = CollectionObject.objects.create(museum=world.helped_museum, name="库房藏品", registration_number="AC-1")
    world.private_attachment = attachment_add(owner=private, by=None, link="https://example.org/photo")
    world.calendar_day = CalendarDay.objects.get_or_create(date=datetime.date(2026, 10, 1),
                                                           defaults={"name": "国庆节"})[0]
