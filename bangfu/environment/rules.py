"""Who may see and act on environment monitoring. A site, its rooms, sensors, readings, alerts and pest records:
the museum's staff (change: record, import, acknowledge; admin: sites, tokens), its helpers under an agreed or
running pairing (see, acknowledge alerts of a partner with a note), the association (everything, and the material
limits table), supervisors of its jurisdiction (see). Nobody else — not even other museums' staff."""

from __future__ import annotations

import rules

from bangfu.parties import works_at_museum
from bangfu.permissions import is_association_admin, supervises


def _museum_id(obj):
    return getattr(obj, "museum_id", None) if obj is not None else None


@rules.predicate
def is_own_museum(user, obj) -> bool:
    """Staff of the museum the site/room/sensor/alert belongs to (anything with `museum_id`, or a Museum)."""
    if obj is None or not works_at_museum(user):
        return False
    museum_id = obj.pk if obj._meta.label_lower == "museums.museum" else _museum_id(_owner(obj))
    return museum_id == user.museum_id


@rules.predicate
def is_own_museum_admin(user, obj) -> bool:
    return is_own_museum(user, obj) and user.role == "museum_admin"


@rules.predicate
def watches(user, obj) -> bool:
    """Staff of a helper of the museum (an agreed or running pairing)."""
    from .selectors import watched_museum_ids

    if obj is None or not works_at_museum(user):
        return False
    museum_id = obj.pk if obj._meta.label_lower == "museums.museum" else _museum_id(_owner(obj))
    return museum_id in watched_museum_ids(user)


@rules.predicate
def supervises_it(user, obj) -> bool:
    owner = _owner(obj)
    return owner is not None and supervises(user, owner if owner._meta.label_lower == "museums.museum"
                                            else owner.museum)


def _owner(obj):
    """The site or room that carries `museum_id` for a sensor, alert or pest record (itself otherwise)."""
    if obj is None:
        return None
    if hasattr(obj, "museum_id") or obj._meta.label_lower == "museums.museum":
        return obj
    return getattr(obj, "room", None)


# On a site, room, sensor, alert or pest record (or a Museum, for its overview):
rules.add_perm("environment.view", is_own_museum | watches | is_association_admin | supervises_it)
rules.add_perm("environment.record", is_own_museum)                 # readings: import, manual entry; pest records
rules.add_perm("environment.manage", is_own_museum | is_association_admin)        # rooms and sensors
rules.add_perm("environment.manage_site", is_own_museum_admin | is_association_admin)  # sites and their tokens
rules.add_perm("environment.acknowledge", is_own_museum | watches)  # an alert, with a note
rules.add_perm("environment.edit_limits", is_association_admin)     # the material limits table
