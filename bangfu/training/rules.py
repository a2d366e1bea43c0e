"""Who may see and act on training classes.

- A class: every signed-in user reads a published (or later) class; a draft only its organiser (the association,
  or the organising museum's admins).
- The organiser manages it (timetable, publish, nominations accepted or rejected, attendance, assessment,
  completion): the association for its own classes and for every class; a museum's admins for their museum's.
- A class is created by the association or by the admin of a helper museum (大馆).
- Museum admins nominate their own staff while the class takes nominations and their museum may apply.
- A nominated person (or their museum's admin) withdraws the nomination.
Everyone else gets 404 for drafts."""

from __future__ import annotations

import rules

from bangfu.permissions import is_association_admin, is_museum_admin, is_signed_in

from .models import ClassStatus


@rules.predicate
def is_organiser(user, klass) -> bool:
    if klass is None:
        return False
    if is_association_admin(user):
        return True
    return (klass.organiser_museum_id is not None and is_museum_admin(user)
            and user.museum_id == klass.organiser_museum_id)


@rules.predicate
def is_published(user, klass) -> bool:
    return klass is not None and klass.status != ClassStatus.DRAFT


@rules.predicate
def admin_of_helper_museum(user) -> bool:
    return bool(is_museum_admin(user) and user.museum.programme_role in ("helper", "both"))


@rules.predicate
def may_nominate(user, klass) -> bool:
    from .services import eligibility_error  # the same rule the service enforces

    return (klass is not None and is_museum_admin(user) and klass.status == ClassStatus.PUBLISHED
            and not eligibility_error(klass, user.museum))


@rules.predicate
def is_nominee_or_admin(user, nomination) -> bool:
    if nomination is None or not is_signed_in(user):
        return False
    return nomination.person_id == user.pk or (is_museum_admin(user) and user.museum_id == nomination.museum_id)


@rules.predicate
def sees_class(user, session) -> bool:
    return session is not None and user.has_perm("training.view_class", session.klass)


@rules.predicate
def teaches(user, session) -> bool:
    """One of the session's teachers from the expert pool (their account), who shows the sign-in code."""
    return (session is not None and user.is_authenticated
            and session.experts.filter(user_id=user.pk, is_active=True).exists())


@rules.predicate
def organises_session(user, session) -> bool:
    return session is not None and is_organiser(user, session.klass)


@rules.predicate
def admin_of_host(user, session) -> bool:
    """An admin of the host museum (承办馆), where the class takes place: shows the code for a teacher who has no
    account."""
    return (session is not None and is_museum_admin(user) and session.klass.host_id is not None
            and user.museum_id == session.klass.host_id)


rules.add_perm("training.view_class", is_signed_in & (is_published | is_organiser))
rules.add_perm("training.add_class", is_association_admin | admin_of_helper_museum)
rules.add_perm("training.manage_class", is_organiser)
rules.add_perm("training.view_session", sees_class)
rules.add_perm("training.show_code", organises_session | teaches | admin_of_host)  # the session's code and QR page
rules.add_perm("training.change_class", is_organiser)  # materials (attachments)
rules.add_perm("training.nominate", may_nominate)
rules.add_perm("training.withdraw", is_nominee_or_admin)
rules.add_perm("training.remove_file", is_organiser)
