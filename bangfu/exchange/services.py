"""Writes of the exchange's posts: create, edit (kept in the history once published), publish (or submit for the
association's review), approve/return, withdraw, expire. Every function checks its permission itself, runs in one
transaction, audits, and keeps the post's search index current (exchange.index)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.core.attachments import attachment_add, attachment_remove
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.background import enqueue_on_commit
from bangfu.core.models import AttachmentKind
from bangfu.core.workflow import transition
from bangfu.notifications.services import notify
from bangfu.permissions import require

from .index import index_post
from .models import MAX_CAPACITY, ExchangeRules, Post, PostKind, PostStatus, Subtype
from .rules import expert_of
from .threads import places_taken, settle_post, tell_if_full, threads_after_post_left

# What a post's owner may write (museum/expert/kind are fixed at creation).
EDITABLE = ["area", "subtype", "title", "description", "city", "until", "terms", "capacity", "contact_name",
            "contact_phone", "contact_email", "contact_visibility"]
AUDITED = [*EDITABLE, "regions"]
# With the association's review on, a change of these after publishing waits for its review again.
REVIEWED = ("title", "description")
UNTIL_PASSED = "有效期已过，请修改后再发布。"


def _owner_for(by, *, kind: str, museum=None, expert=None) -> dict:
    """Who owns a new post: the association names the museum (or expert); museum staff post for their museum;
    an expert posts offers for themselves."""
    if by.is_association_admin:
        if museum is None and expert is None:
            raise ValidationError({"museum": "请选择发布的博物馆。"})
        return {"museum": museum, "expert": None} if museum is not None else {"museum": None, "expert": expert}
    if by.is_museum_member and by.is_active:
        if museum is not None and museum.pk != by.museum_id:
            raise PermissionDenied("只能以本馆名义发布供需信息。")
        return {"museum": by.museum, "expert": None}
    own = expert_of(by)
    if own is not None:
        if kind != PostKind.OFFER:
            raise ValidationError({"kind": "专家只能发布供给信息。"})
        return {"museum": None, "expert": own}
    raise PermissionDenied("您没有发布供需信息的权限。")


def _check(post: Post, *, subtype_before: int | None = None) -> None:
    """Refuse what the post may not hold, field by field. A sub-type switched off may stay on the posts that have
    it (`subtype_before`, the post's sub-type before the edit) but cannot be newly chosen."""
    errors = {}
    if post.subtype_id and post.subtype.area != post.area:
        errors["subtype"] = "子类不属于所选领域。"
    elif (post.subtype_id and post.subtype_id != subtype_before
          and not Subtype.objects.filter(pk=post.subtype_id, is_active=True).exists()):  # read afresh
        errors["subtype"] = "这个子类已停用，请选择其他子类。"
    if post.kind == PostKind.NEED and post.capacity != 1:
        post.capacity = 1  # a need is one museum's; capacity is an offer's
    if post.until and post.until < timezone.localdate() and post.status in (PostStatus.DRAFT, PostStatus.PENDING,
                                                                            PostStatus.PUBLISHED, PostStatus.TALKS):
        errors["until"] = "日期不能早于今天。"
    try:
        post.full_clean(exclude=["search_text", "created_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_create(*, by, kind: str, area: str, title: str, description: str, museum=None, expert=None,
                regions=(), from_registry=None, publish: bool = False, **details) -> Post:
    """A new post (a draft; `publish=True` publishes it — or submits it for review — in the same step). `details`
    are further fields of EDITABLE."""
    require(by, "exchange.add_post")
    unknown = set(details) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"未知的字段：{'、'.join(sorted(unknown))}。")
    if kind not in PostKind.values:
        raise ValidationError({"kind": "类型只能是需求或供给。"})
    owner = _owner_for(by, kind=kind, museum=museum, expert=expert)
    post = Post(kind=kind, area=area, title=(title or "").strip(), description=(description or "").strip(),
                created_by=by, from_registry=from_registry, **owner, **details)
    if post.city_id is None and post.museum_id is not None:
        post.city_id = post.museum.city_id
    _check(post)
    post.save()
    if regions:
        post.regions.set(regions)
    audit(actor=by, action="填写供需信息", obj=post)
    index_post(post)
    if publish:
        post_publish(post=post, by=by)
    return post


@transaction.atomic
def post_update(*, post: Post, by, data: dict, regions=None) -> Post:
    """Change a post's content; after publishing, each change is kept in its history (the audit log)."""
    require(by, "exchange.change_post", post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status in (PostStatus.COMPLETED, PostStatus.WITHDRAWN, PostStatus.EXPIRED):
        raise ValidationError(f"{post.get_status_display()}的信息不能再修改。")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"未知的字段：{'、'.join(sorted(unknown))}。")
    before = snapshot(post, EDITABLE) | {"regions": sorted(post.regions.values_list("name", flat=True))}
    capacity_before, subtype_before = post.capacity, post.subtype_id
    for key, value in data.items():
        setattr(post, key, value.strip() if isinstance(value, str) else value)
    if post.kind == PostKind.OFFER and post.capacity != capacity_before:
        taken = places_taken(post)
        if post.capacity < taken:
            raise ValidationError({"capacity": f"已有 {taken} 家确认对接，可服务馆数不能少于 {taken}。"})
    _check(post, subtype_before=subtype_before)
    post.save()
    if regions is not None:
        post.regions.set(regions)
    after = snapshot(post, EDITABLE) | {"regions": sorted(post.regions.values_list("name", flat=True))}
    changes = diff(before, after)
    if changes:
        published = post.status != PostStatus.DRAFT
        audit(actor=by, action="修改已发布的供需信息" if published else "修改供需信息", obj=post, changes=changes)
        if post.capacity != capacity_before:  # places came free or were given up: the status follows
            settle_post(post, by=by)
            tell_if_full(post)
        if _needs_review_again(post, by=by, before=before):
            _resubmit(post, by=by)
        index_post(post)
    return post


def reviewed(by) -> bool:
    """Whether what `by` publishes waits for the association's review: the review is on and `by` is not the
    association (its own posts need none). The pages ask it to name their buttons."""
    return ExchangeRules.current().moderation and not getattr(by, "is_association_admin", False)


def _needs_review_again(post: Post, *, by, before: dict) -> bool:
    """With the association's review on, a published post whose title or description its owner changed waits for the
    review again (the association's own edits do not)."""
    return (post.status in (PostStatus.PUBLISHED, PostStatus.TALKS) and reviewed(by)
            and any(before[f] != getattr(post, f) for f in REVIEWED))


def _resubmit(post: Post, *, by) -> None:
    transition(post, to=PostStatus.PENDING, by=by, name="resubmit", note="修改了标题或详细说明，重新提交协会审核")
    url = reverse("exchange:detail", args=[post.pk])
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    for user in owners_to_tell(post):
        notify(user=user, key=f"exchange-resubmitted-{post.pk}-{stamp}", url=url,
               title=f"修改后的供需信息等待协会重新审核：{post.title}",
               body="协会开启了发布审核：修改标题或详细说明后，信息暂不公开，审核通过后重新公开。")


def _until_passed(post: Post) -> None:
    if post.until and post.until < timezone.localdate():
        raise ValidationError({"until": UNTIL_PASSED})


def _after_publish(post: Post) -> None:
    from .tasks import notify_subscribers

    enqueue_on_commit(notify_subscribers, post_id=post.pk)


@transaction.atomic
def post_publish(*, post: Post, by) -> Post:
    """Publish a draft — or, when the association reviews posts (ExchangeRules.moderation), submit it for review.
    The association's own posts need no review."""
    require(by, "exchange.change_post", post)
    _until_passed(post)
    moderated = reviewed(by)
    if moderated:
        transition(post, to=PostStatus.PENDING, by=by, name="submit")
    else:
        transition(post, to=PostStatus.PUBLISHED, by=by, name="publish", set={"published_at": timezone.now()},
                   on_commit=[lambda: _after_publish(post)])
    index_post(post)
    return post


@transaction.atomic
def post_approve(*, post: Post, by) -> Post:
    require(by, "exchange.moderate_post", post)
    _until_passed(post)
    # Published before: an edit waiting for the review again keeps its date, and subscribers heard of it then.
    published_at = Post.objects.filter(pk=post.pk).values_list("published_at", flat=True).get()
    first = published_at is None
    entry = transition(post, to=PostStatus.PUBLISHED, by=by, name="approve",
                       set={"published_at": published_at or timezone.now()},
                       on_commit=[lambda: _after_publish(post)] if first else [])
    settle_post(post, by=by)  # an edit approved again: its threads under way put it back in talks
    index_post(post)
    _tell_owners(post, key=f"exchange-approved-{entry.pk}", title=f"供需信息已通过审核并公开：{post.title}",
                 body="协会已审核通过，这条信息现在对所有人公开。")
    return post


def _tell_owners(post: Post, *, key: str, title: str, body: str) -> None:
    url = reverse("exchange:detail", args=[post.pk])
    for user in owners_to_tell(post):
        notify(user=user, key=key, title=title, body=body, url=url, email=True)


@transaction.atomic
def post_return(*, post: Post, by, reason: str) -> Post:
    require(by, "exchange.moderate_post", post)
    entry = transition(post, to=PostStatus.DRAFT, by=by, name="return", reason=reason,
                       set={"close_reason": (reason or "").strip()})
    _tell_owners(post, key=f"exchange-returned-{entry.pk}", title=f"供需信息被退回修改：{post.title}",
                 body=f"协会的意见：{post.close_reason}。修改后可以再次提交审核。")
    return post


@transaction.atomic
def post_withdraw(*, post: Post, by, reason: str) -> Post:
    require(by, "exchange.change_post", post)
    transition(post, to=PostStatus.WITHDRAWN, by=by, name="withdraw", reason=reason,
               set={"close_reason": (reason or "").strip()})
    threads_after_post_left(post, by=by, reason=reason)
    index_post(post)
    return post


def posts_due_to_expire(today: datetime.date):
    return Post.objects.open().filter(until__lt=today)


@transaction.atomic
def post_expire(*, post: Post, by) -> Post:
    """Take a post past its date off the board (the scheduled job, as the system account)."""
    transition(post, to=PostStatus.EXPIRED, by=by, name="expire")
    threads_after_post_left(post, by=by)
    index_post(post)
    return post


# --- the association's settings -------------------------------------------------------------------------------


@transaction.atomic
def rules_update(*, by, moderation: bool) -> ExchangeRules:
    """Turn the association's review of new posts on or off (audited). Posts already waiting stay waiting."""
    require(by, "exchange.manage_settings")
    rules = ExchangeRules.objects.select_for_update().get(pk=ExchangeRules.current().pk)
    before = snapshot(rules, ["moderation"])
    rules.moderation = bool(moderation)
    rules.save()
    changes = diff(before, snapshot(rules, ["moderation"]))
    if changes:
        audit(actor=by, action="开启发布审核" if rules.moderation else "关闭发布审核", obj=rules, changes=changes)
    return rules


# --- attachments --------------------------------------------------------------------------------------------------

CLOSED_STATUSES = (PostStatus.COMPLETED, PostStatus.WITHDRAWN, PostStatus.EXPIRED)


@transaction.atomic
def post_attachment_add(*, post: Post, by, file=None, link: str = "", caption: str = ""):
    """A file or link on a post (its owner or the association), while the post is not closed."""
    require(by, "exchange.change_post", post)
    if post.status in CLOSED_STATUSES:
        raise ValidationError({"file": f"{post.get_status_display()}的信息不能再添加附件。"})
    return attachment_add(owner=post, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.DOCUMENT)


@transaction.atomic
def post_attachment_remove(*, attachment, by) -> None:
    post = attachment.owner
    require(by, "exchange.change_post", post)
    if post.status in CLOSED_STATUSES:
        raise ValidationError(f"{post.get_status_display()}的信息不能再删除附件。")
    attachment_remove(attachment=attachment, by=by)


# --- from the registry ------------------------------------------------------------------------------------------

# A registry row has at most one post in these statuses at a time.
REGISTRY_OPEN_STATUSES = (PostStatus.DRAFT, PostStatus.PENDING, PostStatus.PUBLISHED, PostStatus.TALKS)
REGISTRY_POSTED = "already_posted"  # the code of the refusal below; its params carry the post's id


def open_post_from_registry(museum_area) -> Post | None:
    return (Post.objects.filter(from_registry=museum_area, status__in=REGISTRY_OPEN_STATUSES)
            .order_by("-id").first())


def _registry_title(kind_label: str, area_label: str, text: str) -> str:
    """【需求】文物保护：<the text's first sentence>, within the title's length."""
    head = f"【{kind_label}】{area_label}"
    first = re.split(r"[。；;！!？?\n\r]", text.strip(), maxsplit=1)[0].strip() if text.strip() else ""
    if not first:
        return head
    room = Post._meta.get_field("title").max_length - len(head) - 1
    return f"{head}：{first if len(first) <= room else first[:room - 1] + '…'}"


@transaction.atomic
def post_from_registry(*, museum_area, by) -> Post:
    """A draft post made in one step from a museum's need or offer in the registry (title, description and
    capacity filled in from it); refused while an earlier post from the same row is still open."""
    from bangfu.museums.models import MuseumArea, Offering

    museum_area = MuseumArea.objects.select_for_update().select_related("museum").get(pk=museum_area.pk)
    require(by, "exchange.add_post")
    if not (by.is_association_admin or (by.is_museum_member and by.is_active
                                        and by.museum_id == museum_area.museum_id)):
        raise PermissionDenied("只能把本馆登记的需求与供给转为供需信息。")
    existing = open_post_from_registry(museum_area)
    if existing is not None:
        raise ValidationError(
            "这项登记已转为供需信息“%(title)s”（%(status)s），请在那里修改或先撤回。",
            code=REGISTRY_POSTED,
            params={"title": existing.title, "status": existing.get_status_display(), "post_id": existing.pk})
    kind = PostKind.NEED if museum_area.kind == Offering.NEED else PostKind.OFFER
    text = (museum_area.text or "").strip()
    area_label = museum_area.get_area_display()
    description = text or (f"（由{museum_area.museum.name}在名录中登记的{area_label}{PostKind(kind).label}转来，"
                           "请补充说明。）")
    capacity = 1 if kind == PostKind.NEED else min(max(museum_area.capacity or 1, 1), MAX_CAPACITY)
    return post_create(
        by=by, kind=kind, area=museum_area.area, museum=museum_area.museum, from_registry=museum_area,
        title=_registry_title(PostKind(kind).label, area_label, text),
        description=description[:Post._meta.get_field("description").max_length], capacity=capacity)


# --- the expiry job's owner notice --------------------------------------------------------------------------


def owners_to_tell(post: Post):
    """Who hears about the post: the active staff of the owning museum, or the expert's account."""
    from bangfu.accounts.models import User

    if post.museum_id is not None:
        return list(User.objects.filter(museum_id=post.museum_id, role__in=("museum_admin", "museum_staff"),
                                        is_active=True).order_by("id"))
    user = post.expert.user if post.expert_id and post.expert.user_id else None
    return [user] if user is not None and user.is_active else []
