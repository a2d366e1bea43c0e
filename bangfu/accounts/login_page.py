"""Accounts the login page offers to try in demo mode (`DEMO_MODE`), with a hint of what each one shows.

Accounts holds no demo data: the demo app offers its accounts here when it starts (`DemoConfig.ready`), so the
dependency points from the demo down to accounts."""

from __future__ import annotations

_offered: dict = {"accounts": [], "password": ""}


def offer_accounts(*, accounts: list[tuple[str, str]], password: str) -> None:
    """Offer these (username, hint) pairs, which share `password`, on the login page in demo mode."""
    _offered.update(accounts=list(accounts), password=password)


def offered_accounts() -> tuple[list[tuple[str, str]], str]:
    """The (username, hint) pairs offered and their password; none until an app offers some."""
    return list(_offered["accounts"]), _offered["password"]
