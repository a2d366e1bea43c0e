"""Who may see and change a museum's objects: its own staff; everyone signed in sees what it offers for loan or
touring. What it does not offer only its own staff see (the issue's rule): not the association, not a supervisor."""

from __future__ import annotations

import rules

from bangfu.parties import works_at_museum
from bangfu.permissions import is_association_admin, is_signed_in, supervises


@rules.predicate
def holds_object(user, obj) -> bool:
    """Staff of the museum that holds the object."""
    return obj is not None and works_at_museum(user) and user.museum_id == obj.museum_id


@rules.predicate
def is_offered(user, obj) -> bool:
    return obj is not None and obj.offered and obj.is_active


@rules.predicate
def supervises_object(user, obj) -> bool:
    return obj is not None and supervises(user, obj.museum)


rules.add_perm("objects.view_object", holds_object | (is_signed_in & is_offered))
rules.add_perm("objects.add_object", works_at_museum)  # for their own museum (the service sets it)
rules.add_perm("objects.change_object", holds_object)
rules.add_perm("objects.import_objects", works_at_museum)
rules.add_perm("objects.view_import", holds_object)  # an import batch: its museum's staff
rules.add_perm("objects.list_objects", works_at_museum)  # their own museum's list
# The insurance value is the museum's business: not shown to museums that only browse what it offers.
rules.add_perm("objects.view_value", holds_object | is_association_admin | supervises_object)
