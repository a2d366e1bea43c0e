"""The module registry: what each app adds to the platform, declared in the app's own `module.py`.

An app (a module) declares one `Module` in `<app>/module.py` as `MODULE = Module(...)`: its navigation entries,
home-page panels, ledger source types, reminder providers, object types for the change history, its API router and
its pages for the access matrix and the crawl. The platform collects every installed app's declaration at start-up
(`CoreConfig.ready`), so adding a module means its folder, one line in INSTALLED_APPS and at most one URL include.

This module sits in core, below every app: it names no app. The declarations are plain data; what reads them (the
navigation, the home page, the ledger, the reminders, the API) asks `modules()` or one of the collectors below.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps

ANYONE = None  # `roles=ANYONE`: shown to every visitor, signed in or not

# The roles as accounts.Role spells them (core names no app; tests check the two lists agree).
ROLES = ("association_admin", "supervisor", "museum_admin", "museum_staff", "expert")
PUBLIC = "public"  # the role of a visitor who is not signed in


@dataclass(frozen=True)
class NavEntry:
    """A link in the top navigation. `section`: "main" (the bar itself), "registry" (名录), "areas" (七大领域) or
    "admin" (管理). `roles`: the roles that see it (ANYONE for every visitor, PUBLIC among them for the signed-out).
    `slug` marks the entry active when a page's context has `nav == slug`."""

    title: str
    url_name: str
    slug: str
    section: str = "main"
    icon: str = ""
    roles: frozenset[str] | None = ANYONE
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page of the given roles: `template` rendered with `context(user)` merged into the page's
    context. `order` places it among the other panels (lower first)."""

    template: str
    context: Callable[[Any], dict]
    roles: frozenset[str]
    order: int = 100


@dataclass(frozen=True)
class LedgerSource:
    """A kind of record that may write the help ledger (`LedgerEntry.source_type == key`).

    `url_name` names the page of the source record, reversed with the entry's `source_id`. `counts_at_once`: an
    entry from this source counts as soon as it is written (both sides agreed in the module); otherwise it waits for
    the other side's confirmation."""

    key: str
    label: str
    url_name: str = ""
    counts_at_once: bool = True


@dataclass(frozen=True)
class Reminder:
    """One notice a reminder provider wants sent: to `user`, once per `key`."""

    user: Any
    key: str
    title: str
    body: str
    url: str


@dataclass(frozen=True)
class ReminderProvider:
    """Periodic reminders of a module: `collect(today)` returns the reminders due that day; the scheduler's daily
    run sends each once (the notification key makes a second run send nothing again)."""

    name: str
    collect: Callable[[datetime.date], Iterable[Reminder]]


@dataclass(frozen=True)
class HistoryType:
    """An object type shown in the change history filter: `label` is the model's `app_label.model_name`."""

    label: str
    title: str


@dataclass(frozen=True)
class ApiRouter:
    """The module's API router (a django-ninja Router) mounted under /api/<prefix>, given as "module.path:name" so
    that the API imports it only when it builds its URLs."""

    prefix: str
    router: str


@dataclass(frozen=True)
class Module:
    """What one app adds to the platform. Only `slug` and `title` are required."""

    slug: str
    title: str
    summary: str = ""
    icon: str = "bi-grid"
    nav: tuple[NavEntry, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    ledger_sources: tuple[LedgerSource, ...] = ()
    reminders: tuple[ReminderProvider, ...] = ()
    history_types: tuple[HistoryType, ...] = ()
    api: tuple[ApiRouter, ...] = ()
    # The module's pages for the access matrix and the crawl: a "module.path:NAME" of a list of page declarations
    # the tests read (test code stays out of the app's import path).
    access_pages: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_modules: list[Module] | None = None


def discover() -> list[Module]:
    """Read `MODULE` from every installed app's `module.py` (in INSTALLED_APPS order)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.module"
        if find_spec(name) is None:
            continue
        module = getattr(import_module(name), "MODULE", None)
        if isinstance(module, Module):
            found.append(module)
    return found


def modules() -> list[Module]:
    """Every installed module's declaration (collected once, again after `reset()`)."""
    global _modules
    if _modules is None:
        _modules = discover()
    return _modules


def reset() -> None:
    """Forget the collected declarations (when INSTALLED_APPS changes, as in tests)."""
    global _modules
    _modules = None


def on_setting_changed(*, setting: str, **kwargs) -> None:
    """A test changed INSTALLED_APPS: read the declarations (and the access rules of a new app) again."""
    if setting == "INSTALLED_APPS":
        from django.utils.module_loading import autodiscover_modules

        reset()
        autodiscover_modules("rules")


def nav_entries(section: str) -> list[NavEntry]:
    return sorted((e for m in modules() for e in m.nav if e.section == section), key=lambda e: e.order)


def home_panels(role: str) -> list[HomePanel]:
    return sorted((p for m in modules() for p in m.home_panels if role in p.roles), key=lambda p: p.order)


def ledger_sources() -> dict[str, LedgerSource]:
    return {s.key: s for m in modules() for s in m.ledger_sources}


def reminder_providers() -> list[ReminderProvider]:
    return [r for m in modules() for r in m.reminders]


def history_types() -> dict[str, str]:
    return {h.label: h.title for m in modules() for h in m.history_types}


def api_routers() -> list[ApiRouter]:
    return [r for m in modules() for r in m.api]
