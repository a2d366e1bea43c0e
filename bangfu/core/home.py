"""The platform's own panels on the home pages: the latest changes, and which modules work and which are still
being built."""

from . import registry
from .models import AuditEntry


def recent(user) -> dict:
    return {"recent": list(AuditEntry.objects.with_actor()[:8])}


def modules_status(user) -> dict:
    """What the note under the public charts says is working and what is still being built: the programme's
    modules in the main navigation, built (installed) or planned."""
    main = registry.nav_entries("main")
    planned = registry.planned()
    return {
        "modules_built": [e.title for e in main if not e.planned],
        "modules_building": [e.title for e in main if e.planned]
        + (["七大领域业务"] if any(p.section == "areas" for p in planned.values()) else []),
        "portal_built": any(m.slug == "portal" for m in registry.modules()),
    }
