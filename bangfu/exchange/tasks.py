"""Background work of the exchange: telling subscribers of a new post, expiring posts past their date."""

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from bangfu.notifications.services import notify


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
