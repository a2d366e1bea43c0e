"""Which museums' records a user may list: the association all, a supervisor those of the jurisdiction, museum
staff those their museum is party to. Models' `visible_to` read it, so it lives in core, which every app may import,
not in `bangfu/permissions.py`, which models must not import."""

from __future__ import annotations

from django.db.models import Q


def museum_scope(user, *museum_fields: str) -> Q | None:
    """What a user may list of records that belong to museums (`museum_fields` name the foreign keys, e.g.
    "helper", "helped"): None means everything (the association), an impossible Q nothing. A supervisor reaches
    records with a museum in their jurisdiction; museum staff records their museum is party to."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if user.is_association_admin:
        return None
    scope = Q(pk__in=[])
    if user.role == "supervisor" and user.jurisdiction_id:
        jurisdiction = user.jurisdiction
        for name in museum_fields:
            if jurisdiction.level == "province":
                scope |= Q(**{f"{name}__province": jurisdiction.name})
            else:
                scope |= Q(**{f"{name}__city_id": jurisdiction.pk})
    elif user.role in ("museum_admin", "museum_staff") and user.museum_id:
        for name in museum_fields:
            scope |= Q(**{f"{name}_id": user.museum_id})
    return scope


def scoped(queryset, user, *museum_fields: str):
    scope = museum_scope(user, *museum_fields)
    return queryset if scope is None else queryset.filter(scope)
