"""Who may see and manage accounts."""

import rules

from bangfu.permissions import is_association_admin, is_museum_admin


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
def is_person(user, target) -> bool:
    """The target is a person's account, not the platform's own (`accounts.system_user`): nobody sees, edits,
    activates or sets a password for the system account (404 for everyone)."""
    return not getattr(target, "is_system", False)


rules.add_perm("accounts.view_user", is_person & (is_association_admin | is_manageable_account | is_self))
rules.add_perm("accounts.change_user", is_person & (is_association_admin | is_manageable_account))
rules.add_perm("accounts.add_user", is_association_admin | is_museum_admin)
rules.add_perm("accounts.list_users", is_association_admin | is_museum_admin)
