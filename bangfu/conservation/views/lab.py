"""The labs' catalogue of services and the requests to them: the catalogue (every signed-in user), a lab's own
services (its staff edit them), the requests my museum sent or received, one request's page with the next step of
whichever side may take it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.params import int_param, text_param
from bangfu.core.workflow import status_tabs
from bangfu.ledger.models import LedgerEntry
from bangfu.parties import side_of, works_at_museum
from bangfu.permissions import get_for_user, require

from .. import services
from ..forms import ApproveForm, CloseForm, DeliverForm, ReasonForm, RequestForm, ServiceForm
from ..models import LabService, RequestStatus, ServiceKind, ServiceRequest
from .common import FILES, NAV, PAGE_SIZE, files_of

# --- the catalogue -------------------------------------------------------------------------------------------


@login_required
def service_list(request):
    require(request.user, "conservation.view_catalogue")
    rows = LabService.objects.active().select_related("museum")
    kind = text_param(request, "kind")
    kind = kind if kind in ServiceKind.values else ""
    if kind:
        rows = rows.filter(kind=kind)
    q = text_param(request, "q", max_length=50)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(methods__icontains=q) | Q(museum__name__icontains=q))
    page = Paginator(rows.order_by("museum__pinyin", "kind", "pk"), PAGE_SIZE).get_page(
        int_param(request, "page", minimum=1))
    user = request.user
    at_museum = works_at_museum(user)
    mine = LabService.objects.filter(museum_id=user.museum_id).order_by("kind", "pk") if at_museum else []
    return render(request, "conservation/service_list.html", {
        "nav": NAV, "page": page, "kind": kind, "q": q, "kinds": ServiceKind.choices, "mine": mine,
        "may_add": at_museum, "may_request": at_museum,
    })


@login_required
def service_create(request):
    require(request.user, "conservation.add_service")
    if not works_at_museum(request.user):  # the association edits a museum's services, it publishes none itself
        return redirect("conservation:services")
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_create(museum=request.user.museum, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "服务已发布，其他馆可以在目录中看到并申请。")
            return redirect("conservation:services")
    return render(request, "conservation/service_form.html", {"nav": NAV, "form": form, "service": None},
                  status=400 if form.errors else 200)


@login_required
def service_edit(request, pk: int):
    service = get_for_user(request.user, LabService.objects.select_related("museum"),
                           view="conservation.view_catalogue", change="conservation.change_service", pk=pk)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "服务已保存。")
            return redirect("conservation:services")
    return render(request, "conservation/service_form.html", {"nav": NAV, "form": form, "service": service},
                  status=400 if form.errors else 200)


# --- requests --------------------------------------------------------------------------------------------------


@login_required
def request_list(request):
    user = request.user
    visible = ServiceRequest.objects.visible_to(user)
    status, rows, tabs = status_tabs(request, visible, RequestStatus, hide_empty=True)
    role = text_param(request, "side")
    if role == "lab" and user.museum_id:
        rows = rows.filter(lab_id=user.museum_id)
    elif role == "requester" and user.museum_id:
        rows = rows.filter(museum_id=user.museum_id)
    else:
        role = ""
    page = Paginator(rows.select_related("service", "lab", "museum").order_by("-updated_at", "-id"),
                     PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "conservation/request_list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status, "side": role,
        "at_museum": works_at_museum(user),
    })


@login_required
def request_create(request, pk: int):
    service = get_for_user(request.user, LabService.objects.select_related("museum"),
                           view="conservation.view_catalogue", change="conservation.request_service", pk=pk)
    museum = request.user.museum
    form = RequestForm(request.POST or None, museum=museum, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(service=service, museum=museum, by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "申请已提交，需要馆管理员批准有损取样。" if created.destructive
                             else "申请已提交，实验室会收到通知。")
            return redirect("conservation:request", pk=created.pk)
    return render(request, "conservation/request_form.html", {"nav": NAV, "form": form, "service": service},
                  status=400 if form.errors else 200)


def _request(request, pk: int, *, change: str | None = None) -> ServiceRequest:
    return get_for_user(request.user, ServiceRequest.objects.select_related(
        "service", "lab", "museum", "requested_by", "approved_by").prefetch_related(FILES),
        view="conservation.view_request", change=change, pk=pk)


def _render(request, record: ServiceRequest, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    may = {name: user.has_perm(f"conservation.{name}", record)
           for name in ("lab_act", "requester_act", "approve_sampling", "change_request")}
    moves = {m.name for m in ServiceRequest.workflow.available(record, user)}
    entry = LedgerEntry.objects.filter(source_type=services.SERVICE_SOURCE, source_id=record.pk).first()
    context = {
        "nav": NAV, "record": record, "side": side_of(user, record), "entry": entry,
        "objects": list(record.objects_linked.order_by("registration_number")),
        "files": files_of(user, record, record.attachments.all()),
        "may_approve": may["approve_sampling"] and "approve" in moves,
        "awaiting_admin": record.status == RequestStatus.AWAITING_APPROVAL and may["requester_act"]
        and not may["approve_sampling"],
        "may_accept": may["lab_act"] and "accept" in moves,
        "may_start": may["lab_act"] and "start" in moves,
        "may_deliver": may["lab_act"] and "deliver" in moves,
        "may_decline": may["lab_act"] and "decline" in moves,
        "may_close": may["requester_act"] and "close" in moves,
        "may_withdraw": may["requester_act"] and "withdraw" in moves,
        "may_file": may["change_request"],
        "approve_form": forms.get("approve") or ApproveForm(),
        "deliver_form": forms.get("deliver") or DeliverForm(initial={"date": timezone.localdate()}),
        "close_form": forms.get("close") or CloseForm(),
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "withdraw_form": forms.get("withdraw") or ReasonForm(prefix="withdraw"),
        "attachment_form": forms.get("file") or AttachmentForm(),
    }
    return render(request, "conservation/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk: int):
    return _render(request, _request(request, pk))


def _act(request, pk: int, perm: str, form_class, key: str, call, success: str, **form_kwargs):
    """One POSTed step on a request: parse its form, call the service, back to the page (or the page with the
    form's errors beside its fields)."""
    record = _request(request, pk, change=perm)
    form = form_class(request.POST, request.FILES, **form_kwargs) if form_class else None
    if form is None or form.is_valid():
        try:
            call(record, form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, "；".join(exc.messages))
                return redirect("conservation:request", pk=record.pk)
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("conservation:request", pk=record.pk)
    return _render(request, record, forms={key: form}, status=400)


@login_required
@require_POST
def request_approve(request, pk: int):
    return _act(request, pk, "conservation.approve_sampling", ApproveForm, "approve",
                lambda r, d: services.request_approve_sampling(request=r, by=request.user, note=d["note"]),
                "已批准有损取样，申请已转给实验室。")


@login_required
@require_POST
def request_accept(request, pk: int):
    return _act(request, pk, "conservation.lab_act", None, "", lambda r, d: services.request_accept(
        request=r, by=request.user), "已受理，申请馆会收到通知。")


@login_required
@require_POST
def request_start(request, pk: int):
    return _act(request, pk, "conservation.lab_act", None, "", lambda r, d: services.request_start(
        request=r, by=request.user), "已开始检测。")


@login_required
@require_POST
def request_deliver(request, pk: int):
    return _act(request, pk, "conservation.lab_act", DeliverForm, "deliver", lambda r, d: services.request_deliver(
        request=r, by=request.user, summary=d["summary"], file=d["file"], link=d["link"], on=d["date"]),
        "报告已交付，已记入帮扶台账。")


@login_required
@require_POST
def request_close(request, pk: int):
    return _act(request, pk, "conservation.requester_act", CloseForm, "close", lambda r, d: services.request_close(
        request=r, by=request.user, satisfaction=d["satisfaction"], comment=d["comment"]), "申请已结束，谢谢评价。")


@login_required
@require_POST
def request_decline(request, pk: int):
    return _act(request, pk, "conservation.lab_act", ReasonForm, "decline", lambda r, d: services.request_decline(
        request=r, by=request.user, reason=d["reason"]), "已婉拒申请。", prefix="decline")


@login_required
@require_POST
def request_withdraw(request, pk: int):
    return _act(request, pk, "conservation.requester_act", ReasonForm, "withdraw",
                lambda r, d: services.request_withdraw(request=r, by=request.user, reason=d["reason"]),
                "申请已撤回。", prefix="withdraw")


@login_required
@require_POST
def request_file_add(request, pk: int):
    return _act(request, pk, "conservation.change_request", AttachmentForm, "file",
                lambda r, d: services.request_file_add(request=r, by=request.user, **d), "附件已上传。")


urlpatterns = [
    path("services/", service_list, name="services"),
    path("services/new/", service_create, name="service_create"),
    path("services/<int:pk>/edit/", service_edit, name="service_edit"),
    path("services/<int:pk>/request/", request_create, name="request_create"),
    path("requests/", request_list, name="requests"),
    path("requests/<int:pk>/", request_detail, name="request"),
    path("requests/<int:pk>/approve/", request_approve, name="request_approve"),
    path("requests/<int:pk>/accept/", request_accept, name="request_accept"),
    path("requests/<int:pk>/start/", request_start, name="request_start"),
    path("requests/<int:pk>/deliver/", request_deliver, name="request_deliver"),
    path("requests/<int:pk>/close/", request_close, name="request_close"),
    path("requests/<int:pk>/decline/", request_decline, name="request_decline"),
    path("requests/<int:pk>/withdraw/", request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/files/", request_file_add, name="request_file_add"),
]
