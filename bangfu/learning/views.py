"""The people area's pages: the hub, a person's record, the target, certificates and their public verification."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bangfu.core.registry import nav_entries


@login_required
def home(request):
    """The hub of 人才培养: the people modules installed (their nav entries of section "people")."""
    return render(request, "learning/home.html", {"sections": nav_entries("people", request.user.role)})
