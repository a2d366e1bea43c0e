"""The ledger: the parties and the association write; supervisors read their jurisdiction."""

import rules

from bangfu.parties import side_of
from bangfu.permissions import is_association_admin, is_member_of, is_party, is_signed_in, supervises


@rules.predicate
def is_recording_side(user, entry) -> bool:
    """The user works at the museum that recorded a ledger entry."""
    return side_of(user, entry) == entry.recorded_side


rules.add_perm("ledger.view_entry", is_association_admin | is_party | supervises)
rules.add_perm("ledger.add_entry", is_association_admin | is_member_of)
rules.add_perm("ledger.confirm_entry", is_association_admin | is_party)
rules.add_perm("ledger.export", is_signed_in)
rules.add_perm("ledger.void_entry", is_association_admin)
rules.add_perm("ledger.correct_entry", is_association_admin)
rules.add_perm("ledger.withdraw_entry", is_recording_side)
rules.add_perm("ledger.add_evidence", is_association_admin | is_recording_side)  # given when recording
rules.add_perm("ledger.manage_limits", is_association_admin)
