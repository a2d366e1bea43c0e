"""Who may see and edit the expert pool: the directory is public, contact details need a signed-in user."""

import rules

from bangfu.permissions import is_association_admin, is_signed_in


@rules.predicate
def owns_expert_profile(user, expert) -> bool:
    return user.is_authenticated and expert.user_id == user.pk


rules.add_perm("experts.view_expert", rules.always_allow)
rules.add_perm("experts.view_expert_contact", is_signed_in)
rules.add_perm("experts.change_expert", is_association_admin | owns_expert_profile)
rules.add_perm("experts.add_expert", is_association_admin)
