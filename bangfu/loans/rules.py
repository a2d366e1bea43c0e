"""Who may see and act on a loan: its two sides (the lender's and the borrower's staff), the association, and the
supervisors of either side's jurisdiction (read only). Each step names the side that takes it (`services`)."""

from __future__ import annotations

import rules

from bangfu.parties import side_of, works_at_museum
from bangfu.permissions import is_association_admin, is_museum_admin, is_party, supervises

LENDER, BORROWER = "lender", "borrower"


@rules.predicate
def is_lender(user, loan) -> bool:
    return loan is not None and side_of(user, loan) == LENDER


@rules.predicate
def is_borrower(user, loan) -> bool:
    return loan is not None and side_of(user, loan) == BORROWER


@rules.predicate
def supervises_loan(user, loan) -> bool:
    return loan is not None and supervises(user, loan)


rules.add_perm("loans.view_loan", is_association_admin | is_party | supervises_loan)
rules.add_perm("loans.request_loan", works_at_museum)  # for their own museum, from another museum's offered objects
rules.add_perm("loans.lender_act", is_lender)       # review objects, experts, facility, dispatch, close, decline
rules.add_perm("loans.borrower_act", is_borrower)   # receive, return, withdraw
rules.add_perm("loans.party_act", is_party)         # filings, agreement, transport, condition reports, cancel
rules.add_perm("loans.cancel_loan", is_party | is_association_admin)  # the association may stop a loan
rules.add_perm("loans.change_loan", is_party)       # attachments of the loan and its records
rules.add_perm("loans.manage_rules", is_association_admin)


@rules.predicate
def uploaded_while_party(user, attachment) -> bool:
    """A file of the loan (or of a filing, a condition report): whoever added it, while a side of the loan — one
    side never removes the other's documents or photos."""
    return (attachment is not None and attachment.added_by_id == user.pk
            and is_party(user, attachment.owner))


rules.add_perm("loans.remove_file", uploaded_while_party)
rules.add_perm("loans.view_rules", rules.always_allow)

__all__ = ["is_museum_admin"]
