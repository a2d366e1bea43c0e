"""The rules table (everyone signed in reads it; the association edits it) and an object's loan history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param
from bangfu.objects.models import CollectionObject
from bangfu.permissions import get_for_user, require

from .. import selectors, services
from ..forms import RuleForm
from ..models import LoanRule


@login_required
def rules(request):
    require(request.user, "loans.view_rules")
    can_manage = request.user.has_perm("loans.manage_rules")
    rows = selectors.all_rules()
    status = 200
    if can_manage:
        editing = int_param(request.POST, "rule", minimum=1) if request.method == "POST" else None
        for rule in (r for r in rows if r.pk is not None):
            data = request.POST if editing == rule.pk else None
            rule.form = RuleForm(data, instance=LoanRule(pk=rule.pk, title=rule.title, source=rule.source,
                                                         enabled=rule.enabled, value=rule.value, text=rule.text,
                                                         code=rule.code, unit=rule.unit, order=rule.order),
                                 prefix=f"rule{rule.pk}")
            if data is None:
                continue
            if rule.form.is_valid():
                try:
                    services.rule_update(rule=rule, by=request.user, title=rule.form.cleaned_data["title"],
                                          source=rule.form.cleaned_data["source"],
                                          enabled=rule.form.cleaned_data["enabled"],
                                          value=rule.form.cleaned_data.get("value"))
                except ValidationError as exc:
                    apply_errors(rule.form, exc)
                else:
                    messages.success(request, f"规则“{rule.form.cleaned_data['title']}”已保存。")
                    return redirect("loans:rules")
            status = 400
    elif request.method == "POST":
        require(request.user, "loans.manage_rules")
    return render(request, "loans/rules.html", {"rules": rows, "can_manage": can_manage,
                                                "nav": "loans-rules" if can_manage else "loans"}, status=status)


@login_required
def object_history(request, pk: int):
    obj = get_for_user(request.user, CollectionObject.objects.visible_to(request.user).select_related("museum"),
                       view="objects.view_object", pk=pk)
    return render(request, "loans/object_history.html", {"obj": obj, **selectors.object_history(obj, request.user),
                                                         "nav": "loans"})
