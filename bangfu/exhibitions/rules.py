"""Who may see and act on exhibitions. A touring exhibition: everyone sees a published one, its owner's staff
edit it and decide on requests (the association may act for them); any other museum's staff request a stop. A
stop: its two sides (owner, venue), the association, supervisors. A co-curation project: the museum and its helper
(both record guidance, the museum moves its stages), the association, supervisors."""

from __future__ import annotations

import rules

from bangfu.parties import side_of, works_at_museum
from bangfu.permissions import is_association_admin, is_party, supervises


@rules.predicate
def owns_exhibition(user, exhibition) -> bool:
    return exhibition is not None and works_at_museum(user) and user.museum_id == exhibition.museum_id


@rules.predicate
def is_published(user, exhibition) -> bool:
    from .models import TouringStatus

    return exhibition is not None and exhibition.status == TouringStatus.PUBLISHED


@rules.predicate
def supervises_exhibition(user, exhibition) -> bool:
    return exhibition is not None and supervises(user, exhibition.museum)


@rules.predicate
def may_request_stop(user, exhibition) -> bool:
    return (exhibition is not None and works_at_museum(user) and user.museum_id != exhibition.museum_id
            and is_published(user, exhibition))


@rules.predicate
def is_owner_side(user, stop) -> bool:
    return stop is not None and side_of(user, stop) == "owner"


@rules.predicate
def is_venue_side(user, stop) -> bool:
    return stop is not None and side_of(user, stop) == "venue"


@rules.predicate
def supervises_record(user, record) -> bool:
    return record is not None and supervises(user, record)


@rules.predicate
def is_helped_side(user, project) -> bool:
    return project is not None and side_of(user, project) == "helped"


rules.add_perm("exhibitions.view_touring", is_published | owns_exhibition | is_association_admin
               | supervises_exhibition)
rules.add_perm("exhibitions.add_touring", works_at_museum)
# The association coordinates tours: it may edit and publish an exhibition for a museum without an account, and
# arrange, decide and complete stops for either side (services.stop_request lets it book for any venue).
rules.add_perm("exhibitions.change_touring", owns_exhibition | is_association_admin)
rules.add_perm("exhibitions.request_stop", may_request_stop)
rules.add_perm("exhibitions.view_stop", is_party | is_association_admin | supervises_record)
rules.add_perm("exhibitions.decide_stop", is_owner_side | is_association_admin)  # accept, decline
rules.add_perm("exhibitions.act_stop", is_party | is_association_admin)  # withdraw, complete with figures, files
rules.add_perm("exhibitions.view_project", is_party | is_association_admin | supervises_record)
rules.add_perm("exhibitions.add_project", works_at_museum)
rules.add_perm("exhibitions.change_project", is_party)              # guidance, files, stage dates
rules.add_perm("exhibitions.advance_project", is_helped_side)       # move the stages, open, close, cancel
rules.add_perm("exhibitions.view_guidance", lambda user, g: g is not None and (
    is_party(user, g.project) or is_association_admin(user) or supervises(user, g.project)))
rules.add_perm("exhibitions.change_guidance", lambda user, g: g is not None and is_party(user, g.project))


@rules.predicate
def uploaded_or_wrote_note(user, attachment) -> bool:
    """A guidance note's file: its note's author or whoever added it, while a party of the project."""
    note = attachment.owner if attachment is not None else None
    return (note is not None and is_party(user, note.project)
            and user.pk in (note.author_id, attachment.added_by_id))


@rules.predicate
def uploaded_while_party(user, attachment) -> bool:
    """A file of a stop: whoever added it, while a side of the stop (not the other side's files)."""
    return (attachment is not None and attachment.added_by_id == user.pk
            and is_party(user, attachment.owner))


rules.add_perm("exhibitions.remove_guidance_file", uploaded_or_wrote_note)
rules.add_perm("exhibitions.remove_stop_file", uploaded_while_party)
