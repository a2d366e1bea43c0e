"""Sending notifications: in the platform always, by e-mail when asked. Each (user, key) is notified once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【山西省博物馆帮扶信息平台】"


def notify(*, user, key: str, title: str, body: str = "", url: str = "", email: bool = False) -> Notification | None:
    """Notify `user` once per `key`: the first call creates the notification (and, with `email`, sends an e-mail
    after the transaction commits, if the user has an address); later calls with the same key do nothing.

    Returns the new notification, or None when it was sent before or the account is inactive."""
    if user is None or not user.is_active:
        return None
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a concurrent run that got there first is not an error
            notification = Notification.objects.create(
                user=user, key=key[:120], title=title[:200], body=body, url=url[:300],
            )
    except IntegrityError:
        return None
    if email and user.email:
        transaction.on_commit(lambda: _send_email(notification.pk))
    return notification


def _send_email(notification_pk: int) -> None:
    """Send one notification by e-mail and record when; a mail server failure is logged, never raised, so that
    one bad address does not stop a reminder run (the notification is in the platform anyway)."""
    notification = Notification.objects.select_related("user").get(pk=notification_pk)
    if notification.emailed_at is not None:
        return
    lines = [f"{notification.user.display_name}，您好：", "", notification.title]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        lines += ["", f"查看：{settings.SITE_URL.rstrip('/')}{notification.url}"]
    lines += ["", "—— 山西省博物馆帮扶信息平台（本邮件由系统自动发送，请勿回复）"]
    try:
        send_mail(SUBJECT_PREFIX + notification.title, "\n".join(lines), None, [notification.user.email])
    except Exception:  # any transport error: log it and carry on
        logger.exception("could not e-mail notification %s", notification_pk)
        return
    Notification.objects.filter(pk=notification_pk).update(emailed_at=timezone.now())


def mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read, or all of them; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


def mark_answered(*, key: str = "", key_prefix: str = "", users=None) -> int:
    """A notice that asked for something now done (an entry confirmed, an agreement confirmed by the museum it
    waited for) leaves the unread lists: the unread notifications with `key`, or with keys starting with
    `key_prefix`, of `users` (a queryset or list of users; everyone's when None). Returns how many changed."""
    if not key and not key_prefix:
        raise ValueError("mark_answered needs a key or a key prefix")
    unread = Notification.objects.unread().filter(key=key) if key else Notification.objects.unread().filter(
        key__startswith=key_prefix)
    if users is not None:
        unread = unread.filter(user__in=users)
    return unread.update(read_at=timezone.now())
