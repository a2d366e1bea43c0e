"""Object permissions in one place: `rules` predicates and the helper every view and API call uses.

Outsiders get 404 for what they may not see; people who may see but not change get 403
(the way healthchecks' `_get_rw_check_for_user` does it). This module sits below every app and imports none of them
(the import contracts in pyproject.toml keep it so); models do not import it.
"""

from __future__ import annotations

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

# --- predicates on the user -------------------------------------------------------------------------------


@rules.predicate
def is_association_admin(user) -> bool:
    return bool(getattr(user, "is_association_admin", False))


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
    """The object's museum lies in the supervisor's jurisdiction (the province or one city)."""
    if not is_supervisor(user) or user.jurisdiction_id is None:
        return False
    museum = obj if obj._meta.label_lower == "museums.museum" else getattr(obj, "museum", None)
    if museum is None:
        return False
    jurisdiction = user.jurisdiction
    if jurisdiction.level == "province":
        return museum.province == jurisdiction.name
    return museum.city_id == jurisdiction.pk


@rules.predicate
def is_manageable_account(user, target) -> bool:
    """A museum admin manages the staff accounts of their own museum, never other roles or museums."""
    return (
        is_museum_admin(user) and target.museum_id == user.museum_id
        and target.role in ("museum_admin", "museum_staff") and (target.role == "museum_staff" or target == user)
    )


@rules.predicate
def is_self(user, target) -> bool:
    return user.is_authenticated and user.pk == target.pk


@rules.predicate
def owns_expert_profile(user, expert) -> bool:
    return user.is_authenticated and expert.user_id == user.pk


def _parties_of(obj) -> tuple[int | None, int | None]:
    """(helper id, helped id) of a pairing, or of anything that belongs to one (an agreement, a task, a report,
    a ledger entry)."""
    for step in ("agreement", "pairing"):
        if not hasattr(obj, "helper_id") and hasattr(obj, step):
            obj = getattr(obj, step)
    return getattr(obj, "helper_id", None), getattr(obj, "helped_id", None)


def _museum_role(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in ("museum_admin", "museum_staff") and bool(
        user.museum_id)


@rules.predicate
def is_party(user, obj) -> bool:
    """The user works at one of the two museums of a pairing (or of what belongs to it)."""
    return _museum_role(user) and user.museum_id in _parties_of(obj)


@rules.predicate
def is_party_admin(user, obj) -> bool:
    return is_party(user, obj) and user.role == "museum_admin"


@rules.predicate
def is_owner_side(user, task) -> bool:
    """The user works at a museum that runs an agreement task (`AgreementTask.owner_sides`: of the owner side the
    task names now and of the one both museums confirmed, so a proposed change of owner side hands nothing over)."""
    if not is_party(user, task):
        return False
    helper_id, _ = _parties_of(task)
    return ("helper" if user.museum_id == helper_id else "helped") in task.owner_sides


@rules.predicate
def is_recording_side(user, entry) -> bool:
    """The user works at the museum that recorded a ledger entry."""
    museum_id = {"helper": entry.helper_id, "helped": entry.helped_id}.get(entry.recorded_side)
    return _museum_role(user) and museum_id is not None and user.museum_id == museum_id


@rules.predicate
def supervises_party(user, obj) -> bool:
    """A supervisor whose jurisdiction holds either museum of the pairing."""
    if not is_supervisor(user) or user.jurisdiction_id is None:
        return False
    museums = apps.get_model("museums", "Museum").objects  # by label: this module sits below every app
    return any(supervises(user, m) for m in museums.filter(pk__in=[i for i in _parties_of(obj) if i]))


# --- the permissions ------------------------------------------------------------------------------------

# Museums: the public profile is public; the museum's own staff and the association edit it.
rules.add_perm("museums.view_museum", rules.always_allow)
rules.add_perm("museums.view_museum_contact", is_signed_in)
rules.add_perm("museums.change_museum", is_association_admin | is_member_of)
rules.add_perm("museums.change_museum_registry", is_association_admin)
rules.add_perm("museums.set_museum_position", is_association_admin | is_admin_of)
rules.add_perm("museums.import_museums", is_association_admin)
rules.add_perm("museums.export_museums", is_signed_in)
rules.add_perm("museums.view_museum_history", is_association_admin | is_admin_of)
rules.add_perm("museums.export_museum_contacts", is_association_admin | is_supervisor)

# Accounts.
rules.add_perm("accounts.view_user", is_association_admin | is_manageable_account | is_self)
rules.add_perm("accounts.change_user", is_association_admin | is_manageable_account)
rules.add_perm("accounts.add_user", is_association_admin | is_museum_admin)
rules.add_perm("accounts.list_users", is_association_admin | is_museum_admin)

# Experts: the directory is public, contact details need a signed-in user.
rules.add_perm("experts.view_expert", rules.always_allow)
rules.add_perm("experts.view_expert_contact", is_signed_in)
rules.add_perm("experts.change_expert", is_association_admin | owns_expert_profile)
rules.add_perm("experts.add_expert", is_association_admin)

# Pairings, agreements, tasks, reports (issue 3): the two parties act, supervisors read, the association runs it.
rules.add_perm("pairings.view_pairing", is_association_admin | is_party | supervises_party)
rules.add_perm("pairings.manage_pairings", is_association_admin)
rules.add_perm("pairings.view_overview", is_association_admin | is_supervisor)  # supervisors: their jurisdiction
rules.add_perm("agreements.edit_agreement", is_association_admin | is_party)
rules.add_perm("agreements.confirm_agreement", is_party_admin)
rules.add_perm("agreements.update_task", is_association_admin | is_party)
# Who carries a task out, its progress and its quantities: the side that owns the task (and the association).
rules.add_perm("agreements.manage_task", is_association_admin | is_owner_side)
rules.add_perm("agreements.write_report", is_party)

# The ledger: the parties and the association write; supervisors read their jurisdiction.
rules.add_perm("ledger.view_entry", is_association_admin | is_party | supervises_party)
rules.add_perm("ledger.add_entry", is_association_admin | is_member_of)
rules.add_perm("ledger.confirm_entry", is_association_admin | is_party)
rules.add_perm("ledger.export", is_signed_in)
rules.add_perm("ledger.void_entry", is_association_admin)
rules.add_perm("ledger.correct_entry", is_association_admin)
rules.add_perm("ledger.withdraw_entry", is_recording_side)
rules.add_perm("ledger.add_evidence", is_association_admin | is_recording_side)  # given when recording
rules.add_perm("ledger.manage_limits", is_association_admin)

# Platform.
rules.add_perm("core.view_history", is_association_admin)


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
    """403 unless the user holds `perm` (on `obj`, when given)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("您没有权限进行此操作。")
