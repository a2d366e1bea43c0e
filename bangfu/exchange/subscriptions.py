"""Subscriptions to new posts: a user asks to hear of posts of a kind (or both), in an area (or all), serving a city
(or anywhere). The writes (`subscription_add`, `subscription_remove`), which posts a subscription covers
(`covers_post`, for the home panel's count) and who hears of one post (`subscribers_of`, for the task)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.areas import Area
from bangfu.core.audit import audit
from bangfu.permissions import require
from bangfu.places.models import Division

from .models import Post, PostKind, Subscription

MAX_SUBSCRIPTIONS = 20
# "New" posts on the home panel and the subscriptions page: published within these many days.
NEW_DAYS = 14


def subscription_label(*, kind: str, area: str, region) -> str:
    """需求 · 文物保护 · 太原市, with 全部 for what is left open."""
    kinds = dict(PostKind.choices)
    areas = dict(Area.choices)
    return " · ".join([kinds.get(kind, "需求和供给"), areas.get(area, "全部领域"),
                       region.name if region is not None else "全省"])


@transaction.atomic
def subscription_add(*, by, kind: str = "", area: str = "", region: Division | None = None) -> Subscription:
    """Subscribe `by` to new posts of `kind` ("" both), in `area` ("" all), serving `region` (a city; None
    anywhere). The same subscription twice, or more than MAX_SUBSCRIPTIONS, is refused."""
    require(by, "exchange.subscribe")
    errors = {}
    if kind not in ("", *PostKind.values):
        errors["kind"] = "类型只能是需求、供给或全部。"
    if area not in ("", *Area.values):
        errors["area"] = "请从列表中选择领域。"
    if region is not None and region.level != "city":
        errors["region"] = "地区请选择一个市。"
    if errors:
        raise ValidationError(errors)
    # Lock the user so two simultaneous requests cannot both pass the limit or the duplicate check.
    User.objects.select_for_update().filter(pk=by.pk).first()
    mine = Subscription.objects.filter(user=by)
    if mine.filter(kind=kind, area=area, region=region).exists():
        raise ValidationError(f"您已经订阅了“{subscription_label(kind=kind, area=area, region=region)}”。")
    if mine.count() >= MAX_SUBSCRIPTIONS:
        raise ValidationError(f"每个账号最多订阅 {MAX_SUBSCRIPTIONS} 项，请先删除不再需要的订阅。")
    subscription = Subscription.objects.create(user=by, kind=kind, area=area, region=region)
    audit(actor=by, action="订阅供需信息", obj=subscription,
          changes={"订阅": [None, subscription_label(kind=kind, area=area, region=region)]})
    return subscription


@transaction.atomic
def subscription_remove(*, by, subscription: Subscription) -> None:
    """Remove one of the user's own subscriptions."""
    if subscription.user_id != by.pk:
        raise ValidationError("只能删除自己的订阅。")
    label = str(subscription)
    audit(actor=by, action="取消订阅供需信息", obj=subscription, changes={"订阅": [label, None]})
    subscription.delete()


# --- reads ---------------------------------------------------------------------------------------------------


def _serves(region_id: int):
    """Posts serving the city `region_id`: the whole province (no regions chosen), the city or a county of it among
    the served regions, or the post's own city."""
    through = Post.regions.through
    any_region = through.objects.filter(post_id=OuterRef("pk"))
    in_city = any_region.filter(Q(division_id=region_id) | Q(division__parent_id=region_id))
    return ~Exists(any_region) | Exists(in_city) | Q(city_id=region_id)


def covers_post(subscription: Subscription) -> Q:
    """The posts a subscription asks to hear of (whatever their status)."""
    q = Q()
    if subscription.kind:
        q &= Q(kind=subscription.kind)
    if subscription.area:
        q &= Q(area=subscription.area)
    if subscription.region_id:
        q &= _serves(subscription.region_id)
    return q


def new_posts_for(user, subscriptions=None, *, days: int = NEW_DAYS):
    """Published posts of the last `days` days that any of the user's subscriptions covers, not the user's own
    museum's (or their own expert offers): one query however many subscriptions there are."""
    subscriptions = list(subscriptions if subscriptions is not None else Subscription.objects.filter(user=user))
    if not subscriptions:
        return Post.objects.none()
    covered = Q(pk__in=[])
    for subscription in subscriptions:
        covered |= covers_post(subscription)
    since = timezone.now() - datetime.timedelta(days=days)
    posts = Post.objects.published().filter(covered, published_at__gte=since)
    return _not_own(posts, user)


def _not_own(posts, user):
    if user.museum_id and user.role in ("museum_admin", "museum_staff"):
        posts = posts.exclude(museum_id=user.museum_id)
    if user.role == "expert":
        posts = posts.exclude(expert__user=user)
    return posts


def subscribers_of(post: Post):
    """The active users whose subscriptions cover `post`, the post's own people (its museum's staff, its expert,
    who wrote it) left out; one query for the subscriptions (the regions served are read first)."""
    regions = list(post.regions.values_list("pk", "parent_id"))
    match = (Q(kind="") | Q(kind=post.kind)) & (Q(area="") | Q(area=post.area))
    if regions:  # a post without regions serves the whole province: every region matches
        served = {pk for pair in regions for pk in pair if pk} | ({post.city_id} if post.city_id else set())
        match &= Q(region__isnull=True) | Q(region_id__in=served)
    users = (User.objects.filter(is_active=True, is_system=False)
             .filter(Exists(Subscription.objects.filter(match, user_id=OuterRef("pk"))))
             .exclude(pk=post.created_by_id))
    if post.museum_id:
        users = users.exclude(museum_id=post.museum_id, role__in=("museum_admin", "museum_staff"))
    if post.expert_id:
        users = users.exclude(expert_profile__pk=post.expert_id)
    return users.order_by("pk")
