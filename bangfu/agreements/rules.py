"""Agreements, tasks and progress reports: the two parties write, their admins confirm, the side that owns a task
runs it."""

import rules

from bangfu.parties import side_of
from bangfu.permissions import is_association_admin, is_party, is_party_admin


@rules.predicate
def is_owner_side(user, task) -> bool:
    """The user works at a museum that runs an agreement task (`AgreementTask.owner_sides`: of the owner side the
    task names now and of the one both museums confirmed, so a proposed change of owner side hands nothing over)."""
    side = side_of(user, task)
    return side is not None and side in task.owner_sides


rules.add_perm("agreements.edit_agreement", is_association_admin | is_party)
rules.add_perm("agreements.confirm_agreement", is_party_admin)
rules.add_perm("agreements.update_task", is_association_admin | is_party)
# Who carries a task out, its progress and its quantities: the side that owns the task (and the association).
rules.add_perm("agreements.manage_task", is_association_admin | is_owner_side)
rules.add_perm("agreements.write_report", is_party)
