"""Pairings: the two parties act, supervisors read their jurisdiction, the association runs them."""

import rules

from bangfu.permissions import is_association_admin, is_party, is_supervisor, supervises

rules.add_perm("pairings.view_pairing", is_association_admin | is_party | supervises)
rules.add_perm("pairings.manage_pairings", is_association_admin)
rules.add_perm("pairings.view_overview", is_association_admin | is_supervisor)  # supervisors: their jurisdiction
