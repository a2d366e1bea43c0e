"""Who may do what with museums: the public profile is public; the museum's own staff and the association edit it."""

import rules

from bangfu.permissions import is_admin_of, is_association_admin, is_member_of, is_signed_in, is_supervisor

rules.add_perm("museums.view_museum", rules.always_allow)
rules.add_perm("museums.view_museum_contact", is_signed_in)
rules.add_perm("museums.change_museum", is_association_admin | is_member_of)
rules.add_perm("museums.change_museum_registry", is_association_admin)
rules.add_perm("museums.set_museum_position", is_association_admin | is_admin_of)
rules.add_perm("museums.import_museums", is_association_admin)
rules.add_perm("museums.export_museums", is_signed_in)
rules.add_perm("museums.view_museum_history", is_association_admin | is_admin_of)
rules.add_perm("museums.export_museum_contacts", is_association_admin | is_supervisor)
