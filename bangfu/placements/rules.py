"""Who may see and act on placements and guidance visits.

- A placement: its two museums' staff (the sending museum, the host), the association and the supervisors of either
  read it; the sending museum's ADMIN requests and withdraws it (their museum's agreement); the host's ADMIN agrees
  (confirming the mentor), declines, starts it and writes the final assessment; either admin or the association
  cancels an agreed or running placement; the placed person writes the monthly reports; the mentor (or the host's
  admin) comments them.
- The placement rule (3–6 months): every signed-in user reads it, the association edits it.
- A visit: its two museums' staff, the association and the supervisors read it; an admin of either museum proposes
  one (a helped museum's request, a helper's offer); the other side's admin agrees or declines; the helper side
  reports it done; either admin cancels it.
Everyone else gets 404."""

from __future__ import annotations

import rules

from bangfu.parties import side_of
from bangfu.permissions import is_association_admin, is_museum_admin, is_party, is_signed_in, supervises


@rules.predicate
def supervises_record(user, record) -> bool:
    return record is not None and supervises(user, record)


def _admin_of_side(side: str):
    @rules.predicate(name=f"is_{side}_admin")
    def check(user, record) -> bool:
        return record is not None and user.role == "museum_admin" and side_of(user, record) == side
    return check


is_host_admin = _admin_of_side("host")
is_sending_admin = _admin_of_side("sending")
is_helper_side = rules.predicate(lambda user, visit: visit is not None and side_of(user, visit) == "helper",
                                 name="is_helper_side")


@rules.predicate
def is_party_admin(user, record) -> bool:
    return record is not None and user.role == "museum_admin" and side_of(user, record) is not None


@rules.predicate
def is_placed_person(user, placement) -> bool:
    return placement is not None and user.is_authenticated and placement.person_id == user.pk


@rules.predicate
def is_mentor(user, placement) -> bool:
    return placement is not None and user.is_authenticated and placement.mentor_id == user.pk


@rules.predicate
def is_responding_admin(user, visit) -> bool:
    return visit is not None and user.role == "museum_admin" and side_of(user, visit) == visit.responding_side


@rules.predicate
def has_begun(user, placement) -> bool:
    return placement is not None and placement.status in ("in_progress", "completed")


view_record = is_association_admin | is_party | supervises_record

rules.add_perm("placements.view_placement", view_record)
rules.add_perm("placements.request_placement", is_museum_admin)        # for their own museum's staff
rules.add_perm("placements.host_act", is_host_admin)                   # agree, decline, start, assess
rules.add_perm("placements.sending_act", is_sending_admin)             # withdraw
rules.add_perm("placements.cancel_placement", is_party_admin | is_association_admin)
rules.add_perm("placements.write_report", is_placed_person & has_begun)  # once it has begun
rules.add_perm("placements.comment_report", is_mentor | is_host_admin)
rules.add_perm("placements.change_placement", is_party)                # files
rules.add_perm("placements.view_rule", is_signed_in)
rules.add_perm("placements.edit_rule", is_association_admin)

rules.add_perm("placements.view_visit", view_record)
rules.add_perm("placements.propose_visit", is_museum_admin)
rules.add_perm("placements.respond_visit", is_responding_admin)        # agree, decline
rules.add_perm("placements.report_visit", is_helper_side)              # the report, its photos
rules.add_perm("placements.cancel_visit", is_party_admin | is_association_admin)
rules.add_perm("placements.change_visit", is_party)                    # files
rules.add_perm("placements.change_report", rules.predicate(
    lambda user, report: report is not None and user.is_authenticated and report.placement.person_id == user.pk,
    name="writes_report"))


@rules.predicate
def uploaded_it(user, attachment) -> bool:
    """A file is removed by whoever added it, while still on a side of its record (one side never removes the
    other's photos, the evidence of a ledger entry), or by the association."""
    if attachment is None:
        return False
    if is_association_admin(user):
        return True
    owner = attachment.owner
    record = owner.placement if owner._meta.model_name == "monthlyreport" else owner
    return attachment.added_by_id == user.pk and is_party(user, record)


rules.add_perm("placements.remove_file", uploaded_it)
