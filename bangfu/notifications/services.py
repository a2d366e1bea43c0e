"""Sending notifications: in the platform always, by e-mail when asked. Each (user, key) is notified once."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bangfu.core.exports import job_url
from bangfu.core.mail import after_sent, email_on_commit
from bangfu.core.models import ExportStatus

from .models import Notification

SUBJECT_PREFIX = "【山西省博物馆帮扶信息平台】"
EMAILED = "notification-emailed"


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
        _email(notification)
    return notification


def _email(notification: Notification) -> None:
    """E-mail one notification from the worker after the transaction commits; `emailed_at` is set once the mail
    server took it. A failure is retried and logged by the task: the notification stays in the platform anyway."""
    lines = [f"{notification.user.display_name}，您好：", "", notification.title]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        lines += ["", f"查看：{settings.SITE_URL.rstrip('/')}{notification.url}"]
    lines += ["", "—— 山西省博物馆帮扶信息平台（本邮件由系统自动发送，请勿回复）"]
    email_on_commit(to=[notification.user.email], subject=SUBJECT_PREFIX + notification.title, body="\n".join(lines),
                    after=(EMAILED, notification.pk))


@after_sent(EMAILED)
def _record_emailed(notification_pk: int) -> None:
    Notification.objects.filter(pk=notification_pk, emailed_at__isnull=True).update(emailed_at=timezone.now())


def mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read, or all of them; returns how many changed."""
    unread = Notification.objects.filter(user=user).unread()
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


def notify_export_ready(job) -> None:
    """Tell the requester of a background export (`core.exports`) that its file is ready; nothing when the job
    did not end with a file (given up meanwhile or failed: its page says why)."""
    if job.status != ExportStatus.DONE:
        return
    notify(user=job.requested_by, key=f"export-{job.pk}", title=f"导出完成：{job.title}", url=job_url(job),
           body=f"共 {job.rows:,} 行，文件只有您本人可以下载。")
