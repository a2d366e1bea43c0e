"""The home page: for each role, what needs the user's attention; for the public, the programme at a glance.

The dashboard only composes: every panel is declared by the module it belongs to (`HomePanel` in `<app>/module.py`,
bangfu/core/registry.py) with the roles that see it and the slot of the page it goes in."""

from collections import defaultdict

from django.shortcuts import render

from bangfu.core import registry

# Which page a role's home is (a supervisor without a jurisdiction, or museum staff without a museum, have none of
# their own: they get the plain page experts get).
PAGES = {
    registry.PUBLIC: "dashboard/public.html",
    "association_admin": "dashboard/association.html",
    "supervisor": "dashboard/supervisor.html",
    "museum_admin": "dashboard/museum.html",
    "museum_staff": "dashboard/museum.html",
    "expert": "dashboard/expert.html",
}


def home_role(user) -> str:
    role = registry.role_of(user)
    if role == "supervisor" and not user.jurisdiction_id:
        return "expert"
    if role in ("museum_admin", "museum_staff") and not user.is_museum_member:
        return "expert"
    return role if role in PAGES else "expert"


def compose(user, role: str) -> dict:
    """The page's context: the panels of the role by slot, every panel's context merged (a context function that
    several panels share is called once), and the panels' scripts."""
    panels = registry.home_panels(role)
    context, called = {}, set()
    for panel in panels:
        if panel.context is not None and panel.context not in called:
            called.add(panel.context)
            context |= panel.context(user)
    slots = defaultdict(list)
    for panel in panels:
        if panel.template:
            slots[panel.slot].append(panel)
    scripts = list(dict.fromkeys(p.scripts for p in panels if p.scripts))
    return context | {"panels": dict(slots), "panel_scripts": scripts}


def home(request):
    user = request.user
    role = home_role(user)
    context = compose(user, role)
    if role == "supervisor":
        context["jurisdiction"] = user.jurisdiction
    return render(request, PAGES[role], context)
