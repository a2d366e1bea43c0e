from django.shortcuts import render

from bangfu.core.modules import ALL_MODULES


def placeholder(request, *args, **kwargs):
    """Until the pages land: say plainly that the module is being built."""
    return render(request, "core/module_placeholder.html", {"module": ALL_MODULES["pairings"]})
