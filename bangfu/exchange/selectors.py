"""Reads of the exchange's posts shared by the pages (and fit for the API): the search page's filters, the counts
by area, a post's excerpt with the searched words highlighted, a user's own posts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When

from bangfu.core.areas import Area
from bangfu.core.params import int_param, text_param
from bangfu.core.search import snippet
from bangfu.parties import works_at_museum

from .models import VISIBLE_STATUSES, Post, PostKind, PostStatus
from .search import search_posts

# The statuses the search page offers (what the public board shows).
STATUS_FILTERS = [(s.value, s.label) for s in PostStatus if s in VISIBLE_STATUSES]
EXCERPT_LENGTH = 110


@dataclass(frozen=True)
class PostFilters:
    q: str = ""
    kind: str = ""
    area: str = ""
    subtype: int | None = None
    city: int | None = None
    status: str = ""
    since: datetime.date | None = None
    before: datetime.date | None = None

    @property
    def any(self) -> bool:
        return any((self.q, self.kind, self.area, self.subtype, self.city, self.status, self.since, self.before))


def _date_param(params, name: str) -> datetime.date | None:
    value = text_param(params, name, max_length=10)
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _city_param(params) -> int | None:
    """A city's id, or None for anything else (an unknown id, a county): ignored like the other bad values."""
    from bangfu.places.models import Division

    city = int_param(params, "city", minimum=1)
    return city if city and Division.objects.cities().filter(pk=city).exists() else None


def read_filters(params) -> PostFilters:
    """The filters of a request's GET (or a GET-like mapping); values that mean nothing are dropped."""
    kind = text_param(params, "kind")
    area = text_param(params, "area")
    status = text_param(params, "status")
    return PostFilters(
        q=text_param(params, "q"),
        kind=kind if kind in PostKind.values else "",
        area=area if area in Area.values else "",
        subtype=int_param(params, "subtype", minimum=1),
        city=_city_param(params),
        status=status if status in dict(STATUS_FILTERS) else "",
        since=_date_param(params, "since"),
        before=_date_param(params, "before"),
    )


def filter_posts(queryset, filters: PostFilters, *, by_area: bool = True):
    """(`queryset` narrowed by the filters and ordered — by relevance when searching, newest first otherwise, the
    words to highlight). `by_area=False` leaves the area out (for the counts by area)."""
    q = Q()
    if filters.kind:
        q &= Q(kind=filters.kind)
    if filters.subtype:
        q &= Q(subtype_id=filters.subtype)
    if filters.city:
        q &= Q(city_id=filters.city)
    if filters.status:
        q &= Q(status=filters.status)
    if filters.since:
        q &= Q(published_at__date__gte=filters.since)
    if filters.before:
        q &= Q(published_at__date__lt=filters.before)
    if by_area and filters.area:
        q &= Q(area=filters.area)
    queryset = queryset.filter(q)
    if filters.q:
        return search_posts(queryset, filters.q)
    return queryset.order_by("-published_at", "-id"), []


def area_counts(queryset, filters: PostFilters) -> list[tuple[str, str, int]]:
    """(area, label, how many posts) for every area, under every filter but the area's: one query."""
    matching, _ = filter_posts(queryset, filters, by_area=False)
    ids = matching.order_by().values("pk")
    counts = dict(Post.objects.filter(pk__in=ids).order_by().values_list("area").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Area.choices]


def excerpt(description: str, terms) -> str:
    """About EXCERPT_LENGTH characters of the description, around the first searched word when there is one, with
    the words highlighted (escaped; a SafeString)."""
    return snippet(description, terms, length=EXCERPT_LENGTH)


# --- a user's own posts ------------------------------------------------------------------------------------------

STATUS_ORDER = Case(
    When(status=PostStatus.DRAFT, then=Value(0)), When(status=PostStatus.PENDING, then=Value(1)),
    When(status__in=[PostStatus.PUBLISHED, PostStatus.TALKS], then=Value(2)),
    When(status=PostStatus.MATCHED, then=Value(3)), default=Value(4), output_field=IntegerField())


def own_posts(user):
    """The posts the user acts for (their museum's, or their own as an expert; the association's: those it
    wrote), drafts first, then waiting, open, matched and closed ones."""
    from .rules import expert_of

    if user.is_association_admin:
        mine = Q(created_by=user)
    elif works_at_museum(user):
        mine = Q(museum_id=user.museum_id)
    elif (expert := expert_of(user)) is not None:
        mine = Q(expert=expert)
    else:
        return Post.objects.none()
    return Post.objects.filter(mine).with_owner().annotate(status_order=STATUS_ORDER).order_by(
        "status_order", "-updated_at", "-id")
