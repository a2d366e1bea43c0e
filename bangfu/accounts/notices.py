"""Telling a museum's people (or one person) about something, once the change is committed: the notices every module
sends when a record moves (a request arrived, a visit was agreed…). Accounts know who works at a museum; the notice
itself is `notifications.notify` (once per user and key, e-mail too)."""

from __future__ import annotations

from django.db import transaction

from bangfu.notifications.services import notify

from .selectors import museum_staff


def tell_museum(museum_id: int | None, *, key: str, title: str, url: str, body: str = "",
                admins_only: bool = False) -> None:
    """After commit, notify every active account of the museum (only its admins when `admins_only`)."""
    if not museum_id:
        return

    def send():
        for user in museum_staff(museum_id):
            if not admins_only or user.role == "museum_admin":
                notify(user=user, key=key, title=title, body=body, url=url, email=True)
    transaction.on_commit(send)


def tell_user(user, *, key: str, title: str, url: str, body: str = "") -> None:
    """After commit, notify one person (nothing when `user` is None)."""
    if user is not None:
        transaction.on_commit(lambda: notify(user=user, key=key, title=title, body=body, url=url, email=True))
