"""Reads of the object registry: the filters of the lists, counts per grade."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from bangfu.core.params import int_param, text_param

from .models import Category, Condition, Material, ObjectGrade


@dataclass(frozen=True)
class ObjectFilters:
    q: str = ""
    grade: str = ""
    category: str = ""
    material: str = ""
    condition: str = ""
    offered: str = ""  # "yes" / "no" / ""
    museum: int | None = None

    @property
    def any(self) -> bool:
        return any((self.q, self.grade, self.category, self.material, self.condition, self.offered, self.museum))


def _choice(params, name: str, values) -> str:
    value = text_param(params, name)
    return value if value in values else ""


def read_filters(params) -> ObjectFilters:
    """The filters of a request's GET (a value that is not a choice is ignored)."""
    return ObjectFilters(
        q=text_param(params, "q"), grade=_choice(params, "grade", ObjectGrade.values),
        category=_choice(params, "category", Category.values), material=_choice(params, "material", Material.values),
        condition=_choice(params, "condition", Condition.values), offered=_choice(params, "offered", ("yes", "no")),
        museum=int_param(params, "museum", minimum=1),
    )


def filter_objects(objects, filters: ObjectFilters):
    for field in ("grade", "category", "material", "condition"):
        value = getattr(filters, field)
        if value:
            objects = objects.filter(**{field: value})
    if filters.offered:
        objects = objects.filter(offered=filters.offered == "yes")
    if filters.museum:
        objects = objects.filter(museum_id=filters.museum)
    if filters.q:
        objects = objects.filter(Q(name__icontains=filters.q) | Q(registration_number__icontains=filters.q))
    return objects


def grade_counts(objects) -> list[dict]:
    """[{"grade", "label", "count"}] in the order of the grades (one query)."""
    counts = dict(objects.order_by().values_list("grade").annotate(n=Count("id")))
    return [{"grade": g.value, "label": g.label, "count": counts.get(g.value, 0)} for g in ObjectGrade]
