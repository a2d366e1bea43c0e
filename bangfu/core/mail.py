"""E-mail off the request path: one task, `send_email`, that every module enqueues (after its transaction commits).

A mail server that fails is tried again later (three attempts, a few minutes apart, where the task backend can
defer); the last failure is logged, never raised. A module that must know a message left (a notification's
`emailed_at`) names a hook registered with `@after_sent`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from .background import enqueue_logged, enqueue_on_commit

logger = logging.getLogger(__name__)

ATTEMPTS = 3
RETRY_AFTER = [timedelta(minutes=1), timedelta(minutes=10)]  # before the 2nd and 3rd attempts

_AFTER_SENT: dict[str, Callable[[int], None]] = {}


def after_sent(name: str):
    """Register `function(pk)` to run once a message that names it (`after=(name, pk)`) has been handed to the
    mail server. Registered at import by the module that owns the record (in its AppConfig.ready)."""

    def register(function: Callable[[int], None]) -> Callable[[int], None]:
        _AFTER_SENT[name] = function
        return function

    return register


@task()
def send_email(*, to: list[str], subject: str, body: str, after: tuple[str, int] | list | None = None,
               attempt: int = 1) -> bool:
    """Send one plain-text message; True when the mail server took it."""
    try:
        EmailMessage(subject, body, None, list(to)).send()
    except Exception:  # any transport error: try later, or log and give up
        if attempt < ATTEMPTS and send_email.get_backend().supports_defer:
            logger.warning("e-mail to %s failed (attempt %s), trying again later", to, attempt, exc_info=True)
            send_email.using(run_after=timezone.now() + RETRY_AFTER[attempt - 1]).enqueue(
                to=list(to), subject=subject, body=body, after=after, attempt=attempt + 1)
        else:
            logger.exception("could not e-mail %s (attempt %s of %s)", to, attempt, ATTEMPTS)
        return False
    if after:
        name, pk = after
        _AFTER_SENT[name](pk)
    return True


def email_on_commit(*, to: list[str], subject: str, body: str, after: tuple[str, int] | None = None) -> None:
    """Send a message from the worker once the current transaction commits (at once outside one)."""
    enqueue_on_commit(send_email, to=list(to), subject=subject, body=body, after=list(after) if after else None)


def email_now(*, to: list[str], subject: str, body: str) -> None:
    """Send a message from the worker; for callers that saved nothing the message depends on (password reset)."""
    enqueue_logged(send_email, to=list(to), subject=subject, body=body, after=None)
