"""Reads for the pairing pages: the filtered list and the map's lines (the association's overview, which reads
agreements too, is in `bangfu/agreements/selectors.py`)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, Q, QuerySet

from bangfu.core.params import int_param, text_param
from bangfu.core.scopes import museum_scope
from bangfu.museums.models import Museum

from .models import Pairing, PairingKind, PairingStatus

# ?status= on the list: "" means the open pairings (the default view), "all" every pairing, else one status.
STATUS_FILTERS = [("", "未结束的结对"), ("all", "全部状态"), *PairingStatus.choices]


def filter_pairings(queryset: QuerySet[Pairing], params: Mapping) -> QuerySet[Pairing]:
    """Apply the list's filters (`status`, `kind`, `city`, `helper`, `helped`, `q`) from a GET-like mapping.
    Unknown or malformed values are ignored, never an error."""
    status = text_param(params, "status")
    if status in PairingStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.open()
    kind = text_param(params, "kind")
    if kind in PairingKind.values:
        queryset = queryset.filter(kind=kind)
    city = int_param(params, "city")
    if city is not None:
        queryset = queryset.filter(Q(helper__city_id=city) | Q(helped__city_id=city))
    helper = int_param(params, "helper")
    if helper is not None:
        queryset = queryset.filter(helper_id=helper)
    helped = int_param(params, "helped")
    if helped is not None:
        queryset = queryset.filter(helped_id=helped)
    q = text_param(params, "q")
    if q:
        matching = Museum.objects.search(q).values("pk")  # name, short name or pinyin, as in the directory
        queryset = queryset.filter(Q(helper__in=matching) | Q(helped__in=matching))
    return queryset


def pairing_list(user, params: Mapping) -> QuerySet[Pairing]:
    """The pairings the user may see, filtered, with both parties and their places."""
    return (filter_pairings(Pairing.objects.visible_to(user), params).with_parties()
            .order_by("helper__pinyin", "helped__pinyin", "-id"))


def reaches_pairings(user) -> bool:
    """Whether the user's role reaches any pairing at all: the association, a supervisor, a museum's people.
    An expert's (or an account without a museum) does not, and their page says so instead of showing zeros."""
    return museum_scope(user, "helper", "helped") != Q(pk__in=[])


def status_counts(user) -> dict[str, int]:
    """How many pairings the user may see, per status (one query)."""
    rows = Pairing.objects.visible_to(user).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(PairingStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def party_choices(user) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The helpers and helped museums that appear in pairings the user may see, for the list's filters."""
    visible = Pairing.objects.visible_to(user)
    helpers = Museum.objects.filter(pk__in=visible.values("helper_id")).values_list("id", "name")
    helped = Museum.objects.filter(pk__in=visible.values("helped_id")).values_list("id", "name")
    return list(helpers), list(helped)


def map_lines(queryset: QuerySet[Pairing]) -> list[dict]:
    """Each pairing with two known positions as a line from the helper to the helped museum (one query)."""
    rows = queryset.exclude(helper__lat__isnull=True).exclude(helped__lat__isnull=True).values_list(
        "id", "status", "kind", "is_primary", "distance_km",
        "helper_id", "helper__name", "helper__lng", "helper__lat",
        "helped_id", "helped__name", "helped__lng", "helped__lat",
    ).order_by()
    labels, kinds = dict(PairingStatus.choices), dict(PairingKind.choices)
    return [
        {"id": pk, "status": status, "status_label": labels[status], "kind": kinds.get(kind, kind),
         "primary": primary, "km": km,
         "helper": {"id": a_id, "name": a_name, "value": [a_lng, a_lat]},
         "helped": {"id": b_id, "name": b_name, "value": [b_lng, b_lat]}}
        for (pk, status, kind, primary, km, a_id, a_name, a_lng, a_lat, b_id, b_name, b_lng, b_lat) in rows
    ]
