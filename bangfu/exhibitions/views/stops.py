"""Tour stops: the request (posted from the exhibition's page), the list of requests and bookings of my museum,
one stop's page for both sides with its decisions, completion with the figures, and files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.attachments import may_remove
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.core.workflow import status_tabs
from bangfu.ledger.selectors import entry_for
from bangfu.parties import side_of
from bangfu.permissions import get_for_user, require

from .. import services
from ..forms import CompleteStopForm, ReasonForm, StopRequestForm
from ..models import StopStatus, TourStop
from .touring import NAV, _detail, _exhibition

PAGE_SIZE = 30
STOP_PARTS = ("exhibition", "exhibition__museum", "owner", "venue", "requested_by")
# What a list row does not show: long texts of the stop and its exhibition are not read for a page of rows.
LONG_TEXTS = ("note", "outcome", "exhibition__description", "exhibition__item_list", "exhibition__climate",
              "exhibition__security", "exhibition__cost_terms")


@login_required
@require_POST
def stop_request(request, pk: int):
    exhibition = _exhibition(request, pk)
    require(request.user, "exhibitions.request_stop", exhibition)
    form = StopRequestForm(request.POST)
    if form.is_valid():
        try:
            stop = services.stop_request(exhibition=exhibition, venue=request.user.museum, by=request.user,
                                         **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "接展申请已提交，出展馆确认后会通知您。")
            return redirect("exhibitions:stop", pk=stop.pk)
    return _detail(request, exhibition, request_form=form, status=400)


@login_required
def stop_list(request):
    """The requests for my museum's exhibitions (to decide) and my museum's own bookings; the association and the
    supervisors see all they may."""
    user = request.user
    visible = TourStop.objects.visible_to(user)
    direction = text_param(request, "dir")
    mine = user.museum_id if getattr(user, "is_museum_member", False) else None
    if mine and direction == "in":
        visible = visible.filter(owner_id=mine)
    elif mine and direction == "out":
        visible = visible.filter(venue_id=mine)
    else:
        direction = ""
    status, rows, tabs = status_tabs(request, visible, StopStatus)
    rows = rows.select_related(*STOP_PARTS).defer(*LONG_TEXTS).order_by("-requested_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(
        int_param(request, "page", minimum=1))
    for stop in page.object_list:
        stop.my_side = side_of(user, stop)
    return render(request, "exhibitions/stop_list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status, "direction": direction, "museum_member": bool(mine),
    })


def _stop(request, pk: int, *, act: str | None = None) -> TourStop:
    return get_for_user(request.user, TourStop.objects.select_related(*STOP_PARTS), view="exhibitions.view_stop",
                        change=act, pk=pk)


def _render(request, stop: TourStop, *, complete_form=None, reason_form=None, file_form=None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    acting = user.has_perm("exhibitions.act_stop", stop)
    attachments = list(Attachment.objects.for_object(stop))
    for a in attachments:
        a.owner = stop  # (known: no query per file)
        a.removable = may_remove(user, a)
    entry = (entry_for(services.STOP_SOURCE, stop.pk)
             if stop.status == StopStatus.COMPLETED else None)
    context = {
        "nav": NAV, "stop": stop, "exhibition": stop.exhibition, "side": side_of(user, stop), "entry": entry,
        "may_decide": stop.status == StopStatus.REQUESTED and user.has_perm("exhibitions.decide_stop", stop),
        "may_withdraw": acting and stop.status in (StopStatus.REQUESTED, StopStatus.ACCEPTED),
        "may_complete": acting and stop.status == StopStatus.ACCEPTED and stop.end <= today,
        "waiting_end": acting and stop.status == StopStatus.ACCEPTED and stop.end > today,
        "acting": acting, "attachments": attachments,
        "complete_form": complete_form or CompleteStopForm(), "reason_form": reason_form or ReasonForm(),
        "file_form": file_form or AttachmentForm(),
    }
    return render(request, "exhibitions/stop_detail.html", context, status=status)


@login_required
def stop_detail(request, pk: int):
    return _render(request, _stop(request, pk))


@login_required
@require_POST
def stop_accept(request, pk: int):
    stop = _stop(request, pk, act="exhibitions.decide_stop")
    try:
        services.stop_accept(stop=stop, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已确认档期，接展馆会收到通知。")
    return redirect("exhibitions:stop", pk=stop.pk)


def _with_reason(request, pk: int, *, act: str, service, done: str):
    stop = _stop(request, pk, act=act)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            service(stop=stop, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("exhibitions:stop", pk=stop.pk)
    return _render(request, stop, reason_form=form, status=400)


@login_required
@require_POST
def stop_decline(request, pk: int):
    return _with_reason(request, pk, act="exhibitions.decide_stop", service=services.stop_decline,
                        done="已婉拒，接展馆会收到通知。")


@login_required
@require_POST
def stop_withdraw(request, pk: int):
    return _with_reason(request, pk, act="exhibitions.act_stop", service=services.stop_withdraw,
                        done="已撤回，档期已释放。")


@login_required
@require_POST
def stop_complete(request, pk: int):
    stop = _stop(request, pk, act="exhibitions.act_stop")
    form = CompleteStopForm(request.POST)
    if form.is_valid():
        try:
            services.stop_complete(stop=stop, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "展出结果已记录，并记入帮扶台账。")
            return redirect("exhibitions:stop", pk=stop.pk)
    return _render(request, stop, complete_form=form, status=400)


@login_required
@require_POST
def stop_file_add(request, pk: int):
    stop = _stop(request, pk, act="exhibitions.act_stop")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.stop_attachment_add(stop=stop, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已上传。")
            return redirect("exhibitions:stop", pk=stop.pk)
    return _render(request, stop, file_form=form, status=400)


urlpatterns = [
    path("touring/<int:pk>/request/", stop_request, name="stop_request"),
    path("stops/", stop_list, name="stops"),
    path("stops/<int:pk>/", stop_detail, name="stop"),
    path("stops/<int:pk>/accept/", stop_accept, name="stop_accept"),
    path("stops/<int:pk>/decline/", stop_decline, name="stop_decline"),
    path("stops/<int:pk>/withdraw/", stop_withdraw, name="stop_withdraw"),
    path("stops/<int:pk>/complete/", stop_complete, name="stop_complete"),
    path("stops/<int:pk>/files/", stop_file_add, name="stop_file_add"),
]
