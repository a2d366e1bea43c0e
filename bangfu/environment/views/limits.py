"""The material limits table: everyone signed in reads it with its cited sources; the association edits it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param
from bangfu.permissions import require

from .. import services
from ..forms import MaterialLimitForm
from ..models import MaterialLimit
from .common import NAV


@login_required
def limits(request):
    can_edit = request.user.has_perm("environment.edit_limits")
    if request.method == "POST":
        require(request.user, "environment.edit_limits")
    rows = list(MaterialLimit.objects.select_related("updated_by").order_by("id"))
    editing = int_param(request.POST, "limit", minimum=1) if request.method == "POST" else None
    status = 200
    for row in rows:
        row.lines = [line for line in row.source.splitlines() if line.strip()]
        if not can_edit:
            continue
        data = request.POST if editing == row.pk else None
        row.form = MaterialLimitForm(data, instance=MaterialLimit.objects.get(pk=row.pk) if data else row,
                                     prefix=f"limit{row.pk}")
        if data is None:
            continue
        if row.form.is_valid():
            try:
                services.limits_update(limit=row.form.instance, by=request.user,
                                       **{n: row.form.cleaned_data[n] for n in services.MATERIAL_LIMIT_FIELDS})
            except ValidationError as exc:
                apply_errors(row.form, exc)
            else:
                messages.success(request, f"“{row.get_material_class_display()}”的环境指标已保存。")
                return redirect("environment:limits")
        status = 400
    return render(request, "environment/limits.html", {"nav": NAV, "rows": rows, "can_edit": can_edit},
                  status=status)
