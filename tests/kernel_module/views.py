from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bangfu.permissions import require


@login_required
def page(request):
    require(request.user, "kernel_module.view_page")
    return render(request, "kernel_module/page.html", {"nav": "kernel"})
