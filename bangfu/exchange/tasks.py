"""Background work of the exchange: telling subscribers of a new post, expiring posts past their date."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from bangfu.core.dates import cn_date
from bangfu.core.periodic import periodic
from bangfu.notifications.services import notify

logger = logging.getLogger(__name__)


@task()
def notify_subscribers(*, post_id: int) -> int:
    """Tell the users whose subscriptions match a newly published post, once each (the notification's key is the
    post's); returns how many were told. A post taken down before the task ran tells nobody."""
    from .models import OPEN_STATUSES, Post
    from .subscriptions import subscribers_of

    post = Post.objects.filter(pk=post_id, status__in=OPEN_STATUSES).select_related("museum", "expert").first()
    if post is None:
        return 0
    url = reverse("exchange:detail", args=[post.pk])
    title = f"新的{post.get_kind_display()}（{post.get_area_display()}）：{post.title}"
    body = f"{post.owner_name}发布了您订阅的领域中的一条{post.get_kind_display()}。"
    sent = 0
    with transaction.atomic():
        for user in subscribers_of(post):
            if notify(user=user, key=f"exchange-post-{post.pk}", title=title, body=body, url=url, email=True):
                sent += 1
    return sent


@periodic(name="exchange-expire", daily_at=datetime.time(1, 30))
@task()
def expire_posts() -> dict:
    """Take every open post whose date has passed off the board (as the system account) and tell its owner: the
    staff of the owning museum, or the expert. One transaction per post: one failure does not keep the others up."""
    from bangfu.accounts.models import system_user

    from .models import Post
    from .services import owners_to_tell, post_expire, posts_due_to_expire

    today = timezone.localdate()
    by = system_user()
    expired = told = 0
    for pk in list(posts_due_to_expire(today).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                post = Post.objects.with_owner().select_related("expert__user").get(pk=pk)
                post_expire(post=post, by=by)
                url = reverse("exchange:detail", args=[post.pk])
                for user in owners_to_tell(post):
                    sent = notify(user=user, key=f"exchange-expired-{post.pk}",
                                  title=f"供需信息已到期下架：{post.title}",
                                  body=f"有效期至 {cn_date(post.until)}，已自动下架，不再出现在供需对接中。"
                                       "如仍需要，可以重新发布一条。",
                                  url=url, email=True)
                    told += sent is not None
            expired += 1
        except (ValidationError, Post.DoesNotExist):  # moved meanwhile (withdrawn, matched…): nothing to do
            logger.info("exchange-expire: post %s was not expired", pk)
    return {"expired": expired, "notified": told}


@task()
def reindex_posts() -> int:
    """Rebuild every post's search text and term rows (the thesaurus changed: its words are dictionary words)."""
    from .index import reindex_all

    return reindex_all()


@task()
def reindex_subtype(*, subtype_id: int) -> int:
    """Re-index the posts of a sub-type (it was renamed: its name is part of their indexed text); the number of
    posts."""
    from .index import index_post
    from .models import Post

    done = 0
    for post in Post.objects.select_related("subtype").filter(subtype_id=subtype_id).order_by("pk").iterator():
        index_post(post)
        done += 1
    return done
