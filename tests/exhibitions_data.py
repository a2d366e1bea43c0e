"""Shared data for the exhibitions tests: a published touring exhibition of the helper museum with one long free
window, objects of its collection, and dates relative to today."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bangfu.exhibitions.services import touring_create
from bangfu.objects.models import CollectionObject


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def make_objects(museum, count: int = 2, *, offered: bool = True, prefix: str = "Z"):
    return [CollectionObject.objects.create(museum=museum, name=f"青铜鼎{i}", registration_number=f"{prefix}{i:04d}",
                                            offered=offered if i else True, has_record=True)
            for i in range(count)]


def make_touring(world, *, publish: bool = True, setup_days: int = 5, transit_days: int = 5, min_days: int = 30,
                 window=(-400, 400), items=(), title: str = "晋国霸业"):
    return touring_create(
        museum=world.helper_museum, by=world.helper_admin, title=title, theme="青铜器",
        description="晋国青铜器精品展。", floor_area=600, setup_days=setup_days, transit_days=transit_days,
        min_days=min_days, windows=[(day(window[0]), day(window[1]))], items=items, publish=publish)
