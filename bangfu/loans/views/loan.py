"""The loan page both sides share, and its steps: each step is a form posted to `step` with the step's name, which
calls the one service of that step; a refusal shows the page again with the form and the message beside its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bangfu.core.attachments import attachment_add as add_attachment
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.objects.models import ObjectGrade
from bangfu.permissions import get_for_user

from .. import selectors, services
from ..forms import (
    DateForm,
    ExpertForm,
    FacilityForm,
    FilingForm,
    FinishReviewForm,
    ReasonForm,
    ReturnForm,
    ReviewItemForm,
    SignForm,
    TransportForm,
)
from ..models import ExpertVerdict, ItemReview, Loan, LoanItem

VIEW = "loans.view_loan"


def get_loan(request, pk: int, change: str | None = None) -> Loan:
    return get_for_user(request.user, Loan.objects.select_related("lender", "borrower", "requested_by"),
                        view=VIEW, change=change, pk=pk)


def get_item(request, pk: int, change: str | None = None) -> LoanItem:
    item = LoanItem.objects.select_related("obj", "loan__lender", "loan__borrower").filter(pk=pk).first()
    if item is None:
        raise Http404("未找到。")
    get_loan(request, item.loan_id, change)  # the loan's access check
    return item


# The services' field names (shared with the API) that a page's form calls otherwise.
FIELD_NAMES = {"item_ids": "items"}


def as_refusal(exc: ValidationError | PermissionDenied) -> ValidationError:
    """A service's refusal as the form shows it (a permission refusal at the top of the form)."""
    if not isinstance(exc, ValidationError):
        return ValidationError(str(exc))
    if hasattr(exc, "error_dict"):
        return ValidationError({FIELD_NAMES.get(k, k): v for k, v in exc.error_dict.items()})
    return exc


# --- the steps: form, its arguments, the service call, the message ----------------------------------------


@dataclass(frozen=True)
class Step:
    form: type | None
    call: Callable
    done: str
    kwargs: Callable = staticmethod(lambda loan, context: {})
    initial: Callable = staticmethod(lambda loan: {})


def _away(loan):
    return [i for i in selectors.loan_items(loan) if i.in_loan and i.returned_on is None]


def _not_first_grade(loan):
    return [i for i in loan.items.select_related("obj") if i.review != ItemReview.UNFIT
            and i.obj.grade != ObjectGrade.FIRST]


def _under_expert(loan):
    return [i for i in loan.items.select_related("obj") if i.expert_verdict == ExpertVerdict.PENDING]


STEPS: dict[str, Step] = {
    "finish_review": Step(
        FinishReviewForm,
        lambda loan, by, f: services.loan_finish_review(loan=loan, by=by, send_to_experts=f.chosen()),
        "藏品审查完成。", kwargs=lambda loan, c: {"items": _not_first_grade(loan)}),
    "expert_review": Step(
        ExpertForm,
        lambda loan, by, f: services.loan_expert_review(loan=loan, by=by, experts=f.cleaned_data["experts"],
                                                        date=f.cleaned_data["date"],
                                                        opinion=f.cleaned_data["opinion"], verdicts=f.verdicts()),
        "专家评估已登记。", kwargs=lambda loan, c: {"items": _under_expert(loan)}),
    "facility_review": Step(
        FacilityForm, lambda loan, by, f: services.loan_facility_review(loan=loan, by=by, **f.cleaned_data),
        "场馆评估已通过，进入备案审批。",
        initial=lambda loan: {"security": loan.facility_security, "fire": loan.facility_fire,
                              "climate": loan.facility_climate, "note": loan.facility_note}),
    "file": Step(
        FilingForm, lambda loan, by, f: services.loan_record_filing(loan=loan, by=by, **f.service_kwargs()),
        "备案审批已登记。", kwargs=lambda loan, c: {"filings": c["filings"]}),
    "sign": Step(SignForm, lambda loan, by, f: services.loan_sign(loan=loan, by=by, **f.cleaned_data),
                 "借展协议已登记，进入保险运输。"),
    "transport": Step(
        TransportForm, lambda loan, by, f: services.loan_set_transport(loan=loan, by=by, **f.cleaned_data),
        "保险和运输安排已保存。",
        initial=lambda loan: {"insurer": loan.insurer, "policy_number": loan.policy_number,
                              "insured_amount": loan.insured_amount, "courier": loan.courier,
                              "crates": loan.crates, "note": loan.transport_note}),
    "dispatch": Step(DateForm, lambda loan, by, f: services.loan_dispatch(loan=loan, by=by, **f.cleaned_data),
                     "已发运，等待借入方确认接收。", initial=lambda loan: {"date": selectors.today()}),
    "receive": Step(DateForm, lambda loan, by, f: services.loan_receive(loan=loan, by=by, **f.cleaned_data),
                    "已确认接收，借展开始。", initial=lambda loan: {"date": selectors.today()}),
    "return": Step(
        ReturnForm, lambda loan, by, f: services.loan_return(loan=loan, by=by, items=f.chosen_items(),
                                                             date=f.cleaned_data["date"]),
        "归还已登记。", kwargs=lambda loan, c: {"items": _away(loan)},
        initial=lambda loan: {"date": selectors.today()}),
    "close": Step(None, lambda loan, by, f: services.loan_close(loan=loan, by=by), "借展已结束，已记入帮扶台账。"),
    "decline": Step(ReasonForm, lambda loan, by, f: services.loan_decline(loan=loan, by=by, **f.cleaned_data),
                    "已拒绝出借。"),
    "withdraw": Step(ReasonForm, lambda loan, by, f: services.loan_withdraw(loan=loan, by=by, **f.cleaned_data),
                     "申请已撤回。"),
    "cancel": Step(ReasonForm, lambda loan, by, f: services.loan_cancel(loan=loan, by=by, **f.cleaned_data),
                   "借展已取消。"),
}


def step_forms(loan: Loan, context: dict, bound: dict | None = None) -> dict:
    """An unbound form for each step the user may take now (`services.next_actions`), the bound one kept."""
    forms = {}
    for action in context["actions"]:
        name = action["action"]
        spec = STEPS.get(name)
        if spec is None or spec.form is None:
            continue
        forms[name] = (bound or {}).get(name) or spec.form(prefix=name, initial=spec.initial(loan),
                                                            **spec.kwargs(loan, context))
    return forms


def _page(request, loan: Loan, *, bound: dict | None = None, item_forms: dict | None = None, status: int = 200):
    context = selectors.loan_page(loan, request.user)
    forms = step_forms(loan, context, bound)
    for action in context["actions"]:
        action["form"] = forms.get(action["action"])
        action["known"] = action["action"] in STEPS or action["action"] in ("review_item", "condition_check")
    reviewing = any(a["action"] == "review_item" for a in context["actions"])
    for item in context["items"]:
        item.review_form = (item_forms or {}).get(item.pk) or (
            ReviewItemForm(prefix=f"item{item.pk}", initial={"fit": "1" if item.review != ItemReview.UNFIT else "0",
                                                              "note": item.review_note})
            if reviewing else None)
    context |= {"attachment_form": AttachmentForm() if context["can_change"] else None, "nav": "loans"}
    return render(request, "loans/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _page(request, get_loan(request, pk))


@login_required
@require_POST
def step(request, pk: int, action: str):
    spec = STEPS.get(action)
    if spec is None:
        raise Http404("没有这一步。")
    loan = get_loan(request, pk, change=services.action_permission(action))  # 404 outsiders, 403 the others
    context = selectors.loan_page(loan, request.user)
    if spec.form is None:
        form = None
    else:
        form = spec.form(request.POST, prefix=action, **spec.kwargs(loan, context))
        if not form.is_valid():
            return _page(request, loan, bound={action: form}, status=400)
    try:
        spec.call(loan, request.user, form)
    except (ValidationError, PermissionDenied) as exc:
        if form is None:
            messages.error(request, "；".join(as_refusal(exc).messages))
            return redirect("loans:detail", pk=loan.pk)
        apply_errors(form, as_refusal(exc))
        return _page(request, get_loan(request, pk), bound={action: form}, status=400)
    messages.success(request, spec.done)
    return redirect("loans:detail", pk=loan.pk)


@login_required
@require_POST
def review_item(request, pk: int):
    """The lender judges one object fit or unfit."""
    item = get_item(request, pk, change="loans.lender_act")
    form = ReviewItemForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            services.loan_review_item(item=item, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_errors(form, as_refusal(exc))
        else:
            messages.success(request, f"“{item.obj.name}”的审查结论已保存。")
            return redirect(f"{_detail_url(item.loan_id)}#items")
    return _page(request, get_loan(request, item.loan_id), item_forms={item.pk: form}, status=400)


def _detail_url(pk: int) -> str:
    return reverse("loans:detail", args=[pk])


@login_required
@require_POST
def attachment_add(request, pk: int):
    """A document of the loan (the agreement signed, the filing replies, the policy…)."""
    loan = get_loan(request, pk, change="loans.change_loan")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_attachment(owner=loan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "文件已上传。")
            return redirect(f"{_detail_url(loan.pk)}#documents")
    messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))
    return redirect(f"{_detail_url(loan.pk)}#documents")
