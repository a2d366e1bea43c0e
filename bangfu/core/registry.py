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
from django.urls import reverse

ANYONE = None  # `roles=ANYONE`: shown to every visitor, signed in or not

# The roles as accounts.Role spells them (core names no app; tests check the two lists agree).
ROLES = ("association_admin", "supervisor", "museum_admin", "museum_staff", "expert")
PUBLIC = "public"  # the role of a visitor who is not signed in


@dataclass(frozen=True)
class NavEntry:
    """A link in the top navigation. `section`: "main" (the bar itself), "registry" (名录), "areas" (七大领域) or
    "admin" (管理: a menu, or a single link when a role has only one entry there). `roles`: the roles that see it
    (ANYONE for every visitor, PUBLIC among them for the signed-out). `slug` marks the entry active when a page's
    context has `nav == slug`. `planned`: a module not built yet (its link leads to a page that says so)."""

    title: str
    url_name: str
    slug: str
    section: str = "main"
    icon: str = ""
    roles: frozenset[str] | None = ANYONE
    order: int = 100
    url_args: tuple = ()
    planned: bool = False

    def visible_to(self, role: str) -> bool:
        return self.roles is ANYONE or role in self.roles

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)


@dataclass(frozen=True)
class Planned:
    """A module the programme announces that is not built yet: it shows in the navigation (`section`, `order`) and
    its page (`module` URL, core/module_placeholder.html) says it is being built — until an installed module takes
    its slug, which then replaces it."""

    slug: str
    title: str
    summary: str
    icon: str = "bi-grid"
    section: str = "main"
    order: int = 100

    @property
    def nav_entry(self) -> NavEntry:
        return NavEntry(self.title, "module", self.slug, section=self.section, icon=self.icon, order=self.order,
                        url_args=(self.slug,), planned=True)


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page of the given roles (PUBLIC for the signed-out visitor's page): `template` rendered
    in the page's `slot` with `context(user)` merged into the page's context. Each home page names its slots
    ("alerts" across the top, "attention" rows of the to-do list, "main", "side", "counts" stat cards, "links",
    "cards", "wide" sections below); `order` places the panel among the others of its slot (lower first). Panels
    that share one context function share one call of it; a panel without a template only adds context (the page
    header reads it). `scripts`: a template for the page's scripts block (charts)."""

    template: str
    context: Callable[[Any], dict] | None
    roles: frozenset[str]
    order: int = 100
    slot: str = "main"
    scripts: str = ""


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
    """Periodic reminders of a module: `collect(today, days)` returns the reminders due that day, looking `days`
    ahead for deadlines (REMINDER_DAYS); the daily run (`send_reminders`) sends each once (the notification key
    makes a second run send nothing again). `summary(reminders, days)`, if given, describes what was collected in
    one line for the command's report."""

    name: str
    collect: Callable[[datetime.date, int], Iterable[Reminder]]
    summary: Callable[[list[Reminder], int], str] | None = None


@dataclass(frozen=True)
class HistoryType:
    """An object type shown in the change history filter: `label` is the model's `app_label.model_name`."""

    label: str
    title: str


@dataclass(frozen=True)
class AttachmentOwner:
    """Records of `model` ("app_label.model_name") own attachments (`core.attachments`): whoever holds `view` on
    the record sees and downloads them, whoever holds `change` adds and removes them. `remove`, when given, is the
    permission to remove one, asked with the attachment itself (e.g. only its uploader); the one removal page
    (`core.views.attachment_remove`) and `attachment_remove` read it."""

    model: str
    view: str
    change: str
    remove: str = ""


@dataclass(frozen=True)
class ApiRouter:
    """The module's API router (a django-ninja Router) mounted under /api/<prefix>, given as "module.path:name" so
    that the API imports it only when it builds its URLs (and no app imports the API's package). `signed_in`: every
    endpoint needs a token or a session (the API's default lets anonymous requests through as AnonymousUser).
    `order` places the router among the others (lower first; equal orders in the modules' order): the order of the
    sections in the API docs."""

    prefix: str
    router: str
    signed_in: bool = False
    order: int = 100


@dataclass(frozen=True)
class ClimateRecord:
    """How well a museum kept the climate one material class needs over a period: `share_in_range` (0–1) of the
    time its rooms holding (or able to hold) that class were inside the class's target ranges, over `rooms`
    rooms and `readings` readings; `summary` one line for a page ("温度 98% · 相对湿度 91% 在范围内")."""

    material_class: str
    label: str
    share_in_range: float | None
    readings: int
    rooms: int
    summary: str = ""
    url: str = ""


@dataclass(frozen=True)
class ClimateSource:
    """A module that monitors the environment of museums' rooms (conservation) answers
    `compliance(museum, material_classes, days)` with a `ClimateRecord` per material class it has readings for
    (none when the museum is not monitored). A loan's facility review shows it for the borrower's venue."""

    compliance: Callable[[Any, Iterable[str], int], list[ClimateRecord]]


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
    attachment_owners: tuple[AttachmentOwner, ...] = ()
    api: tuple[ApiRouter, ...] = ()
    climate: tuple[ClimateSource, ...] = ()
    planned: tuple[Planned, ...] = ()
    # The module's pages for the access matrix and the crawl: by default tests/access_<slug>.py (found by the slug);
    # a module whose tests live elsewhere names the Python module holding MATRIX, POST_ONLY and scene(world) here.
    access_pages: str = ""
    # The API's token check, `check(raw=…) -> token with its user | None` (declared by the api module: the API auth
    # in core names no app).
    token_check: Callable[..., Any] | None = None
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


def planned() -> dict[str, Planned]:
    """The modules announced and not built yet, by slug: those no installed module has taken (as its own slug or
    the slug of one of its navigation entries: a module serving one of the seven areas takes `area-<area>`)."""
    installed = {m.slug for m in modules()} | {e.slug for m in modules() for e in m.nav}
    return {p.slug: p for m in modules() for p in m.planned if p.slug not in installed}


def nav_entries(section: str, role: str | None = None) -> list[NavEntry]:
    """The navigation of one section, planned modules included, in order; only what `role` sees when given."""
    entries = [e for m in modules() for e in m.nav] + [p.nav_entry for p in planned().values()]
    return sorted((e for e in entries if e.section == section and (role is None or e.visible_to(role))),
                  key=lambda e: e.order)


def role_of(user) -> str:
    """The role the navigation and the home page go by: PUBLIC for a visitor who is not signed in."""
    if not getattr(user, "is_authenticated", False):
        return PUBLIC
    if getattr(user, "is_association_admin", False):
        return "association_admin"
    return user.role


def home_panels(role: str) -> list[HomePanel]:
    return sorted((p for m in modules() for p in m.home_panels if role in p.roles), key=lambda p: p.order)


def ledger_sources() -> dict[str, LedgerSource]:
    return {s.key: s for m in modules() for s in m.ledger_sources}


def reminder_providers() -> list[ReminderProvider]:
    return [r for m in modules() for r in m.reminders]


def history_types() -> dict[str, str]:
    return {h.label: h.title for m in modules() for h in m.history_types}


def attachment_owners() -> dict[str, AttachmentOwner]:
    return {a.model.lower(): a for m in modules() for a in m.attachment_owners}


def api_routers() -> list[ApiRouter]:
    return sorted((r for m in modules() for r in m.api), key=lambda r: r.order)


def climate_compliance(museum, material_classes: Iterable[str], days: int = 90) -> list[ClimateRecord]:
    """What the monitoring modules know of how well `museum` kept the climate for these material classes over the
    last `days` days ([] when no module monitors it)."""
    classes = list(material_classes)
    return [r for m in modules() for source in m.climate for r in source.compliance(museum, classes, days)]


def access_pages() -> list[str]:
    """The modules' declarations of their pages for the access matrix and the crawl ("module.path")."""
    return [m.access_pages for m in modules() if m.access_pages]
