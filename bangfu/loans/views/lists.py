"""My museum's loans (借入/借出; everything in scope for the association and supervisors) and the request form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param, text_param
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject
from bangfu.permissions import require

from .. import selectors, services
from ..forms import LoanRequestForm
from ..models import Loan, LoanStatus

PER_PAGE = 30
KEPT = ("kind", "exhibition_title", "purpose", "venue", "start", "end", "opening")  # kept over a refresh


@login_required
def loan_list(request):
    require(request.user, "loans.view_rules")  # every signed-in user; what they see is their scope
    museum_id = getattr(request.user, "museum_id", None)
    tab = text_param(request, "tab", max_length=4) if museum_id else ""
    tab = tab if tab in selectors.TABS else ""
    status = text_param(request, "status", max_length=20)
    lender = int_param(request, "lender", minimum=1)
    borrower = int_param(request, "borrower", minimum=1)
    overdue = text_param(request, "overdue", max_length=2) == "1"
    loans = selectors.loan_list(request.user, tab=tab, status=status, lender=lender, borrower=borrower,
                                overdue=overdue)
    page = Paginator(loans, PER_PAGE).get_page(int_param(request, "page", minimum=1))
    page.object_list = selectors.decorate_rows(page.object_list, request.user)
    context = {
        "page": page, "tab": tab, "tabs": selectors.TABS, "status": status if status in LoanStatus.values else "",
        "statuses": LoanStatus.choices, "lender": lender, "borrower": borrower, "overdue": overdue,
        "own_museum": museum_id, "nav": "loans",
        "can_request": bool(museum_id) and request.user.has_perm("loans.request_loan"),
    }
    if not museum_id:  # the association and supervisors filter by either side (choices as the ledger lists them)
        scope = Loan.objects.visible_to(request.user).order_by()
        museums = Museum.objects.order_by("pinyin")
        context["lenders"] = list(museums.filter(pk__in=scope.values("lender_id").distinct()).values_list("id", "name"))
        context["borrowers"] = list(museums.filter(pk__in=scope.values("borrower_id").distinct())
                                    .values_list("id", "name"))
    template = "loans/list.html#results" if request.htmx and request.htmx.target == "results" else "loans/list.html"
    return render(request, template, context)


@login_required
def loan_request(request):
    """A borrower's staff ask another museum for objects it offers (`?object=` preselects one and its museum)."""
    require(request.user, "loans.request_loan")
    borrower = request.user.museum
    wanted = int_param(request, "object", minimum=1)
    initial, lender_id = {}, int_param(request, "lender", minimum=1)
    if wanted:
        obj = CollectionObject.objects.offered().exclude(museum=borrower).filter(pk=wanted).first()
        if obj is not None:
            initial, lender_id = {"lender": obj.museum_id, "objects": [obj.pk]}, obj.museum_id
    elif lender_id:
        initial = {"lender": lender_id}
    if request.method == "GET":  # "按出借方刷新藏品" sends what was typed so far: keep it
        initial |= {name: text_param(request, name, max_length=2000) for name in KEPT if text_param(request, name)}
    form = LoanRequestForm(request.POST if request.method == "POST" else None, borrower=borrower,
                           lender_id=lender_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_request(by=request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, "借展申请已提交，等待出借方审查藏品。")
            for warning in services.rule_warnings(loan):
                messages.warning(request, warning)
            return redirect("loans:detail", pk=loan.pk)
    return render(request, "loans/request.html", {
        "form": form, "rules": selectors.applying_rules(), "nav": "loans", "warnings": _warnings(form),
    }, status=400 if request.method == "POST" else 200)


def _warnings(form) -> list[str]:
    """What the rules say of the dates typed so far without refusing them (the filing lead before the opening):
    only for dates the service accepted (none refused beside start, end or opening) within a sane period."""
    data = getattr(form, "cleaned_data", None) or {}
    if not data.get("start") or not data.get("end") or {"start", "end", "opening"} & set(form.errors):
        return []
    opening = data.get("opening") or data["start"]
    if opening > services.add_months(timezone.localdate(), 12 * services.MAX_LEAD_YEARS):
        return []
    return services.rule_warnings(Loan(start=data["start"], end=data["end"], opening=data.get("opening")))
