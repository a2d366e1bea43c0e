"""Reads for the pairing pages: the filtered list, the map's lines and the association's overview."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from bangfu.core.params import int_param, text_param
from bangfu.museums.models import Museum, MuseumArea, Offering
from bangfu.permissions import museum_scope

from .models import OPEN_STATUSES, Pairing, PairingKind, PairingStatus, ProgrammeRules

# ?status= on the list: "" means the open pairings (the default view), "all" every pairing, else one status.
STATUS_FILTERS = [("", "未结束的结对"), ("all", "全部状态"), *PairingStatus.choices]
ENDING_SOON_DAYS = 60
OVERVIEW_LIST_LIMIT = 100


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


def _scoped_museums(user) -> QuerySet[Museum]:
    """The museums whose pairing situation the user oversees: the association all, a supervisor the
    jurisdiction, anyone else none."""
    if user.is_association_admin:
        return Museum.objects.all()
    if getattr(user, "role", None) == "supervisor" and user.jurisdiction_id:
        return Museum.objects.in_division(user.jurisdiction)
    return Museum.objects.none()


@dataclass
class Overview:
    open_count: int
    unpaired_count: int
    unpaired: list[Museum]
    spare_count: int
    spare_slots: int
    spare: list[Museum]
    overdue_count: int
    overdue: list
    ending_count: int
    ending: list
    rules: ProgrammeRules
    status_counts: dict[str, int]


def overview(user, *, today: datetime.date | None = None) -> Overview:
    """What the association (or a supervisor, for their jurisdiction) watches: helped museums without a primary
    helper, helpers with spare capacity, overdue tasks, agreements near their end. A fixed number of queries."""
    from bangfu.agreements.models import Agreement, AgreementTask  # read-only; agreements build on pairings

    today = today or timezone.localdate()
    rules = ProgrammeRules.current()
    museums = _scoped_museums(user)
    open_pairings = Pairing.objects.open()

    unpaired_qs = (museums.helped().exclude(pk__in=open_pairings.filter(is_primary=True).values("helped_id"))
                   .with_places().prefetch_related(Prefetch(
                       "areas", queryset=MuseumArea.objects.filter(kind=Offering.NEED), to_attr="needs"))
                   .order_by("city__code", "pinyin"))
    spare_qs = (museums.helpers()
                .annotate(load=Count("pairings_as_helper", filter=Q(pairings_as_helper__status__in=OPEN_STATUSES)))
                .filter(load__lt=rules.max_helped_per_helper))
    loads = list(spare_qs.order_by().values_list("load", flat=True))
    spare = list(spare_qs.with_places().prefetch_related(Prefetch(
        "areas", queryset=MuseumArea.objects.filter(kind=Offering.OFFER), to_attr="offers"))
        .order_by("load", "pinyin")[:OVERVIEW_LIST_LIMIT])
    for museum in spare:
        museum.spare = rules.max_helped_per_helper - museum.load

    overdue_qs = AgreementTask.objects.visible_to(user).agreed().overdue(today).filter(
        agreement__pairing__status__in=OPEN_STATUSES)
    ending_qs = (Agreement.objects.filter(museum_scope_q(user, "pairing__helper", "pairing__helped"))
                 .filter(pairing__status__in=OPEN_STATUSES,
                         term_end__gte=today, term_end__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS))
                 .select_related("pairing__helper", "pairing__helped").order_by("term_end", "id"))
    return Overview(
        open_count=Pairing.objects.visible_to(user).open().count(),
        unpaired_count=unpaired_qs.count(),
        unpaired=list(unpaired_qs[:OVERVIEW_LIST_LIMIT]),
        spare_count=len(loads),
        spare_slots=len(loads) * rules.max_helped_per_helper - sum(loads),
        spare=spare,
        overdue_count=overdue_qs.count(),
        overdue=list(overdue_qs.with_pairing().order_by("due_date", "id")[:OVERVIEW_LIST_LIMIT]),
        ending_count=ending_qs.count(),
        ending=list(ending_qs[:OVERVIEW_LIST_LIMIT]),
        rules=rules,
        status_counts=status_counts(user),
    )


def museum_scope_q(user, *fields: str) -> Q:
    scope = museum_scope(user, *fields)
    return Q() if scope is None else scope
