"""Writes to the expert pool."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bangfu.core.areas import Area
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.pinyin import pinyin_initials
from bangfu.permissions import require

from .models import Expert, ExpertArea

AUDITED_FIELDS = ["name", "organisation", "museum", "title", "tags", "bio", "phone", "email", "user", "is_active"]
# What only the association changes: an expert editing their own profile keeps their museum, their place in the
# pool and the account it belongs to.
ASSOCIATION_ONLY_FIELDS = ["museum", "is_active", "user"]
FIELD_LABELS = {"museum": "所属博物馆", "is_active": "在库状态", "user": "关联账号"}


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
    if by is not None:  # None: the system (demo data, imports)
        require(by, "experts.add_expert")
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
    """Change an expert's profile: the association changes anything, the expert their own profile except
    ASSOCIATION_ONLY_FIELDS (refused when they would change)."""
    if by is not None:
        require(by, "experts.change_expert", expert)
        if not by.is_association_admin:
            refused = [name for name in ASSOCIATION_ONLY_FIELDS if name in data and data[name] != getattr(expert, name)]
            if refused:
                raise PermissionDenied(f"只有协会管理员可以修改{'、'.join(FIELD_LABELS[n] for n in refused)}。")
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
