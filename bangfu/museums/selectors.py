"""Reads of the museum registry shared by the directory page, the map and the Excel export."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from bangfu.core.params import int_param, text_param

from .models import Grade, Museum, Ownership, ProgrammeRole

# The directory's sort orders: (value of ?sort=, label); the first is the default.
SORTS = [
    ("name", "按名称"),
    ("-visitors", "按参观人数"),
    ("-collections", "按藏品数"),
    ("grade", "按质量等级"),
]
SORT_ORDERING = {
    "name": ["pinyin", "id"],
    "-visitors": ["-visitors_10k", "pinyin", "id"],
    "-collections": ["-collections", "pinyin", "id"],
    "grade": ["grade_rank", "pinyin", "id"],
}


def filter_museums(queryset: QuerySet[Museum], params: Mapping) -> QuerySet[Museum]:
    """Apply the directory's filters (`q`, `city`, `county`, `grade`, `ownership`, `role`, `review=1`) and its
    sort order (`sort`) taken from a GET-like mapping. Unknown or malformed values are ignored, never an error."""
    museums = queryset.search(text_param(params, "q"))
    for name in ("city", "county"):
        value = int_param(params, name)
        if value is not None:  # a division's id, or its GB/T 2260 code as the API uses (140100)
            key = f"{name}__code" if len(str(value)) == 6 else f"{name}_id"
            museums = museums.filter(**{key: str(value) if key.endswith("code") else value})
    grade = text_param(params, "grade")
    if grade in Grade.values:
        museums = museums.filter(grade=grade)
    ownership = text_param(params, "ownership")
    if ownership in Ownership.values:
        museums = museums.filter(ownership=ownership)
    role = text_param(params, "role")
    if role in ProgrammeRole.values:
        museums = museums.filter(programme_role=role)
    if text_param(params, "review") == "1":
        museums = museums.needing_review()
    ordering = SORT_ORDERING.get(text_param(params, "sort"), SORT_ORDERING["name"])
    return museums.order_by(*ordering).with_places()
