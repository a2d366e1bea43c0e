"""The platform's own pages: the change history is the association's."""

import rules

from bangfu.permissions import is_association_admin

rules.add_perm("core.view_history", is_association_admin)
rules.add_perm("core.manage_calendar", is_association_admin)  # the holidays and make-up working days
