"""Object permissions: the shared `rules` predicates and the helper every view and API call uses.

Each app declares its own permissions in `<app>/rules.py` (collected at start-up by `CoreConfig.ready`), built on
the predicates here; who is a party to a record is `bangfu.parties`' business.

Outsiders get 404 for what they may not see; people who may see but not change get 403
(the way healthchecks' `_get_rw_check_for_user` does it). This module sits below every app and imports none of them
(the import contracts in pyproject.toml keep it so); models do not import it.
"""

from __future__ import annotations

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bangfu.parties import acts_for_association, museums_of, side_of

# --- predicates on the user -------------------------------------------------------------------------------


@rules.predicate
def is_association_admin(user) -> bool:
    """The association's administrators, and the platform's own account acting for it (`acts_for_association`)."""
    return acts_for_association(user)


@rules.predicate
def is_supervisor(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == "supervisor"


@rules.predicate
def is_museum_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == "museum_admin" and user.museum_id is not None


@rules.predicate
def is_signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


# --- predicates on the user and an object --------------------------------------------------------------


def _museum_id_of(obj) -> int | None:
    """The museum an object belongs to: a museum itself, or anything with a `museum_id`."""
    if obj is None:
        return None
    if obj._meta.label_lower == "museums.museum":
        return obj.pk
    return getattr(obj, "museum_id", None)


@rules.predicate
def is_member_of(user, obj) -> bool:
    """The user works at the museum the object belongs to (museum admin or staff)."""
    return (
        user.is_authenticated and user.is_active and user.role in ("museum_admin", "museum_staff")
        and user.museum_id is not None and user.museum_id == _museum_id_of(obj)
    )


@rules.predicate
def is_admin_of(user, obj) -> bool:
    return is_museum_admin(user) and user.museum_id == _museum_id_of(obj)


@rules.predicate
def supervises(user, obj) -> bool:
    """A museum the object belongs to — the museum itself, the object's museum, or either party's — lies in the
    supervisor's jurisdiction (the province or one city: `Museum.objects.in_division`, one EXISTS query)."""
    if not is_supervisor(user) or user.jurisdiction_id is None or obj is None:
        return False
    if obj._meta.label_lower == "museums.museum":
        ids = [obj.pk]
    else:
        ids = museums_of(obj) or [i for i in [getattr(obj, "museum_id", None)] if i]
    museums = apps.get_model("museums", "Museum").objects  # by label: this module sits below every app
    return bool(ids) and museums.filter(pk__in=ids).in_division(user.jurisdiction).exists()


@rules.predicate
def is_party(user, obj) -> bool:
    """The user works at one of the museums that are the parties of a record (`bangfu.parties`): the two museums
    of a pairing, of what belongs to one (an agreement, a task, a report) or of a ledger entry."""
    return side_of(user, obj) is not None


@rules.predicate
def is_party_admin(user, obj) -> bool:
    return is_party(user, obj) and user.role == "museum_admin"


# --- fetching ------------------------------------------------------------------------------------------


def get_for_user(user, queryset, *, view: str, change: str | None = None, **lookup):
    """Fetch one object and check access: 404 if it does not exist or the user may not see it,
    403 if the user may see it but not do `change`."""
    manager = getattr(queryset, "objects", queryset)
    try:
        obj = manager.get(**lookup)
    except (manager.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到。") from None
    if not user.has_perm(view, obj):
        raise Http404("未找到。")
    if change and not user.has_perm(change, obj):
        raise PermissionDenied("您没有权限进行此操作。")
    return obj


def require(user, perm: str, obj=None) -> None:
    """403 unless the user holds `perm` (on `obj`, when given). The platform's own account holds what the
    association holds (`is_association_admin`), no more."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("您没有权限进行此操作。")
