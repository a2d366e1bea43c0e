"""Who may see and act on conservation records.

- The lab catalogue: every signed-in user reads it; the lab's museum (its staff) and the association edit it.
- A service request: its two sides (the lab, the requester), the association and the supervisors of either side
  read it; the lab accepts, works, delivers or declines; the requester withdraws and closes; only the requester's
  museum ADMIN approves destructive sampling (its staff cannot).
- A 会诊 case: the museum, its helper, the association, supervisors, and the experts invited to it read it; the
  association and the helper invite experts; invited experts write opinions; the sides and the association
  conclude it and turn it into a restoration project.
- A restoration project: the museum owning the objects and the helper act on it, the association and supervisors
  read it.
Everyone else gets 404."""

from __future__ import annotations

import rules

from bangfu.core.models import AttachmentKind
from bangfu.parties import side_of, works_at_museum
from bangfu.permissions import is_association_admin, is_party, is_signed_in, supervises

from .models import ProjectStatus, RequestStatus

at_museum = rules.predicate(works_at_museum)


@rules.predicate
def supervises_record(user, record) -> bool:
    return record is not None and supervises(user, record)


@rules.predicate
def works_at_lab(user, service) -> bool:
    return service is not None and works_at_museum(user) and user.museum_id == service.museum_id


@rules.predicate
def may_request(user, service) -> bool:
    """Staff of another museum than the lab's may request an offered service (the association may file for one)."""
    return (service is not None and service.is_active and works_at_museum(user)
            and user.museum_id != service.museum_id)


@rules.predicate
def is_lab(user, request) -> bool:
    return request is not None and side_of(user, request) == "lab"


@rules.predicate
def is_requester(user, request) -> bool:
    return request is not None and side_of(user, request) == "requester"


@rules.predicate
def is_requester_admin(user, request) -> bool:
    return is_requester(user, request) and user.role == "museum_admin"


@rules.predicate
def is_invited_expert(user, consultation) -> bool:
    if consultation is None or not (user.is_authenticated and user.is_active):
        return False
    return consultation.invites.filter(expert__user=user).exists()


@rules.predicate
def is_helper_side(user, record) -> bool:
    return record is not None and side_of(user, record) == "helper"


@rules.predicate
def is_case_open(user, consultation) -> bool:
    return consultation is not None and consultation.status == "open"


def is_delivered_report(attachment) -> bool:
    """The report of a delivered (or closed) request, or a completed project's final report: the evidence of its
    ledger entry, which nobody removes."""
    owner = attachment.owner
    if attachment.kind != AttachmentKind.REPORT:
        return False
    if owner._meta.model_name == "servicerequest":
        return owner.status in (RequestStatus.DELIVERED, RequestStatus.CLOSED)
    return owner._meta.model_name == "restorationproject" and owner.status == ProjectStatus.COMPLETED


@rules.predicate
def uploaded_while_allowed(user, attachment) -> bool:
    """A file of a request, a case, a project or a treatment record: whoever added it, while still on its side
    (one side never removes the other's files), or the association."""
    if attachment is None:
        return False
    owner = attachment.owner
    if is_delivered_report(attachment):
        return False
    record = getattr(owner, "project", None) if owner._meta.model_name == "treatmentrecord" else owner
    if is_association_admin(user):
        return True
    return attachment.added_by_id == user.pk and (is_party(user, record) or (
        record._meta.model_name == "consultation" and is_invited_expert(user, record)))


view_record = is_association_admin | is_party | supervises_record

rules.add_perm("conservation.view_catalogue", is_signed_in)
rules.add_perm("conservation.add_service", at_museum | is_association_admin)
rules.add_perm("conservation.change_service", works_at_lab | is_association_admin)
rules.add_perm("conservation.request_service", may_request)
rules.add_perm("conservation.file_for_museum", is_association_admin)  # a request for a museum without an account

rules.add_perm("conservation.view_request", view_record)
rules.add_perm("conservation.lab_act", is_lab)                       # accept, start, deliver, decline
rules.add_perm("conservation.requester_act", is_requester)           # withdraw, close
rules.add_perm("conservation.approve_sampling", is_requester_admin)  # destructive sampling: the owner's admin
rules.add_perm("conservation.change_request", is_party)              # files

rules.add_perm("conservation.add_consultation", at_museum | is_association_admin)
rules.add_perm("conservation.view_consultation", view_record | is_invited_expert)
rules.add_perm("conservation.invite_experts", is_association_admin | is_helper_side)
rules.add_perm("conservation.write_opinion", (is_invited_expert | is_association_admin) & is_case_open)
rules.add_perm("conservation.change_consultation", is_party | is_association_admin)  # files, conclude, cancel
rules.add_perm("conservation.add_consultation_file", is_party | is_association_admin | is_invited_expert)

rules.add_perm("conservation.add_project", at_museum | is_association_admin)
rules.add_perm("conservation.view_project", view_record)
rules.add_perm("conservation.change_project", is_party)  # plan, approval, stages, treatments, files, completion
rules.add_perm("conservation.view_treatment", lambda user, t: t is not None and (
    is_association_admin(user) or is_party(user, t.project) or supervises(user, t.project)))
rules.add_perm("conservation.change_treatment", lambda user, t: t is not None and is_party(user, t.project))
rules.add_perm("conservation.remove_file", uploaded_while_allowed)
