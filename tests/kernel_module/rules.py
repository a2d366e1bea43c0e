import rules

from bangfu.permissions import is_museum_admin

rules.add_perm("kernel_module.view_page", is_museum_admin)
