"""Writes to the expert pool."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from bangfu.core.areas import Area
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.pinyin import pinyin_initials

from .models import Expert, ExpertArea

AUDITED_FIELDS = ["name", "organisation", "museum", "title", "tags", "bio", "phone", "email", "user", "is_active"]


def _set_relations(expert: Expert, *, areas: list[str] | None, regions: list | None) -> dict:
    changes = {}
    if areas is not None:
        unknown = set(areas) - set(Area.values)
        if unknown:
            raise ValidationError({"areas": f"未知的领域：{'、'.join(sorted(unknown))}"})
        before = sorted(expert.specialties.values_list("area", flat=True))
        expert.specialties.exclude(area__in=areas).delete()
        ExpertArea.objects.bulk_create(
            [ExpertArea(expert=expert, area=a) for a in areas if a not in before], ignore_conflicts=True
        )
        if before != sorted(set(areas)):
            changes["专业领域"] = [before, sorted(set(areas))]
    if regions is not None:
        before = sorted(expert.regions.values_list("name", flat=True))
        expert.regions.set(regions)
        after = sorted(r.name for r in regions)
        if before != after:
            changes["可前往地区"] = [before, after]
    return changes


@transaction.atomic
def expert_create(*, by, areas: list[str] = (), regions: list = (), tags="", **fields) -> Expert:
    if isinstance(tags, list | tuple):
        tags = ", ".join(tags)
    expert = Expert(tags=tags, **fields)
    expert.pinyin_initials = pinyin_initials(expert.name)
    expert.full_clean()
    expert.save()
    changes = diff({}, snapshot(expert, AUDITED_FIELDS))
    changes.update(_set_relations(expert, areas=list(areas), regions=list(regions)))
    audit(actor=by, action="添加专家", obj=expert, changes=changes)
    return expert


@transaction.atomic
def expert_update(*, by, expert: Expert, data: dict, areas: list[str] | None = None,
                  regions: list | None = None) -> Expert:
    before = snapshot(expert, AUDITED_FIELDS)
    for key, value in data.items():
        setattr(expert, key, value)
    expert.pinyin_initials = pinyin_initials(expert.name)
    expert.full_clean()
    expert.save()
    changes = diff(before, snapshot(expert, AUDITED_FIELDS))
    changes.update(_set_relations(expert, areas=areas, regions=regions))
    if changes:
        audit(actor=by, action="修改专家", obj=expert, changes=changes)
    return expert
