"""The two sides of a piece of help, written once: which museums are the parties of a record, and which side a user
is on.

A record with parties declares them on its model, as data (this module sits below every app and names none):

    class Pairing(models.Model):
        PARTIES = {"helper": "helper", "helped": "helped"}  # side → the foreign key to the side's museum

    class AgreementTask(models.Model):
        PARTIES = "agreement"  # the parties of the record this one belongs to

The side names are the record's own: helper/helped today, lender/borrower, requester/provider or host/placed staff
in the modules to come. Everything else — `side_of`, the `is_party` predicate, the supervisor's jurisdiction in
`bangfu.permissions.supervises` — reads the declaration through `parties_of`.
"""

from __future__ import annotations

from collections.abc import Mapping

ASSOCIATION = "association"  # who acts for the programme itself: the association (or the platform, user None)
MUSEUM_ROLES = ("museum_admin", "museum_staff")


def parties_of(obj) -> dict[str, int | None]:
    """{side: museum id} of a record with parties (its model's `PARTIES`, followed through the relation it names),
    or of a mapping {side: museum or museum id}; {} for anything else."""
    if obj is None:
        return {}
    if isinstance(obj, Mapping):
        return {side: getattr(museum, "pk", museum) for side, museum in obj.items()}
    declared = getattr(type(obj), "PARTIES", None)
    if isinstance(declared, str):
        return parties_of(getattr(obj, declared))
    if not declared:
        return {}
    return {side: getattr(obj, f"{field}_id") for side, field in declared.items()}


def party(obj, side: str | None):
    """The museum of one side of `obj` as an object (`parties_of` gives the ids), None for a side it does not have
    (the association's, say)."""
    if obj is None or side is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(side)
    declared = getattr(type(obj), "PARTIES", None)
    if isinstance(declared, str):
        return party(getattr(obj, declared), side)
    if not declared or side not in declared:
        return None
    return getattr(obj, declared[side])


def side_of_museum(obj, museum) -> str | None:
    """The side of `obj` a museum (or museum id) is on, None when it is no party of it."""
    museum_id = getattr(museum, "pk", museum)
    return next((side for side, m in parties_of(obj).items() if m == museum_id), None)


def museums_of(obj, sides=None) -> list[int]:
    """The museum ids of the given sides of `obj` (all its sides by default), in the declaration's order."""
    return [m for s, m in parties_of(obj).items() if m is not None and (sides is None or s in sides)]


def works_at_museum(user) -> bool:
    """An active account of a museum (its admin or staff)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in MUSEUM_ROLES
                and user.museum_id)


def side_of(user, obj) -> str | None:
    """The side of `obj` whose museum the user works at ("helper", "helped", "lender"…), or None: the association,
    a supervisor, an expert or staff of another museum are on no side."""
    if not works_at_museum(user):
        return None
    return side_of_museum(obj, user.museum_id)


def acts_for_association(user) -> bool:
    """The association's administrators, and the platform's own account (`accounts.system_user`: the actor of
    commands, the demo and scheduled tasks, which nobody can sign in as)."""
    return bool(getattr(user, "is_association_admin", False) or getattr(user, "is_system", False))


def acting_side(user, obj) -> str | None:
    """For whom the user acts on `obj`: ASSOCIATION for the association and for the platform itself (the system
    account of automated writes, or no user), else the user's side (`side_of`). What a record stores as the side
    that wrote it."""
    if user is None or acts_for_association(user):
        return ASSOCIATION
    return side_of(user, obj)


def other_side(obj, side: str | None) -> str | None:
    """The other side of a two-sided record, None when `side` is none of its sides (the association's)."""
    sides = parties_of(obj)
    if side not in sides:
        return None
    return next((s for s in sides if s != side), None)
