"""Who may see a person's learning record and act on it.

- A person's record (hours, certificates): the person, their museum's admin, the association, and the supervisors
  whose jurisdiction holds the person's museum. Everyone else gets 404.
- A certificate's PDF: the holder, the holder's museum admin and the association; a revoked one only the
  association (the public verification page says it was revoked). Only the association revokes.
- The yearly target: the association sets it.
- The hours overview: the association (every museum), supervisors (their jurisdiction), museum admins (their
  museum)."""

from __future__ import annotations

import rules

from bangfu.permissions import is_association_admin, is_museum_admin, is_signed_in, is_supervisor, supervises


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.is_authenticated and user.pk == person.pk


@rules.predicate
def admins_museum_of(user, person) -> bool:
    """The user is the admin of the museum the person works at."""
    return (person is not None and is_museum_admin(user) and person.museum_id is not None
            and person.museum_id == user.museum_id)


@rules.predicate
def supervises_museum_of(user, person) -> bool:
    return person is not None and person.museum_id is not None and supervises(user, person.museum)


@rules.predicate
def holds(user, certificate) -> bool:
    return certificate is not None and user.is_authenticated and certificate.person_id == user.pk


@rules.predicate
def admins_museum_of_holder(user, certificate) -> bool:
    return certificate is not None and admins_museum_of(user, certificate.person)


@rules.predicate
def is_revoked(user, certificate) -> bool:
    return certificate is not None and certificate.revoked_at is not None


view_person = is_signed_in & (is_self | admins_museum_of | is_association_admin | supervises_museum_of)

rules.add_perm("learning.view_person", view_person)
rules.add_perm("learning.view_certificate",
               is_signed_in & (is_association_admin | (~is_revoked & (holds | admins_museum_of_holder))))
rules.add_perm("learning.revoke_certificate", is_association_admin)
rules.add_perm("learning.set_target", is_association_admin)
rules.add_perm("learning.view_hours_overview", is_signed_in & (is_association_admin | is_supervisor | is_museum_admin))
