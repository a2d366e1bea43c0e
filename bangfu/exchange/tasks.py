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

logger = logging.getLogger(__name__)


@task()
def notify_subscribers(*, post_id: int) -> int:
    """Tell the users whose subscriptions match a newly published post (filled in by the subscriptions work)."""
    return 0


@periodic(name="exchange-expire", daily_at=datetime.time(1, 30))
@task()
def expire_posts() -> dict:
    """Take every open post whose date has passed off the board (as the system account) and tell its owner: the
    staff of the owning museum, or the expert. One transaction per post: one failure does not keep the others up."""
    from bangfu.accounts.models import system_user
    from bangfu.notifications.services import notify

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
