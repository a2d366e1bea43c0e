"""The touring marketplace (public), an exhibition's page with its tour calendar and the request form, and the
owner's pages: create, edit, windows, photos, publish and withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.permissions import get_for_user, require
from bangfu.places.models import Division

from .. import selectors, services
from ..forms import ReasonForm, StopRequestForm, TouringForm, WindowForm
from ..models import TouringExhibition, TouringStatus, TourWindow

PAGE_SIZE = 24
NAV = "area-exhibition"


def _exhibition(request, pk: int, *, change: bool = False) -> TouringExhibition:
    return get_for_user(request.user, TouringExhibition.objects.select_related("museum", "museum__city"),
                        view="exhibitions.view_touring", change="exhibitions.change_touring" if change else None,
                        pk=pk)


# --- the marketplace ------------------------------------------------------------------------------------------


def touring_list(request):
    """The public marketplace of exhibitions on tour, with filters; the hub of the exhibition pages."""
    q = text_param(request, "q", max_length=50)
    city = int_param(request, "city")
    max_area = int_param(request, "area", maximum=100_000)
    month_text = text_param(request, "month", max_length=7)
    month = selectors.month_bounds(month_text)
    rows = selectors.marketplace(q=q, city=city, max_area=max_area, month=month)
    page = Paginator(selectors.with_cards(rows).order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        int_param(request, "page", minimum=1))
    user = request.user
    mine = []
    if getattr(user, "is_museum_member", False):
        mine = list(TouringExhibition.objects.filter(museum_id=user.museum_id).exclude(
            status=TouringStatus.PUBLISHED).order_by("-updated_at")[:20])
    context = {
        "nav": NAV, "page": page, "q": q, "city": city, "area": max_area if max_area is not None else "",
        "month": month_text if month else "", "mine": mine,
        "cities": Division.objects.filter(level="city").order_by("code"),
        "may_create": user.has_perm("exhibitions.add_touring"),
        "filtered": bool(q or city or max_area is not None or month),
    }
    template = "exhibitions/_touring_results.html" if request.htmx else "exhibitions/touring_list.html"
    return render(request, template, context)


# --- one exhibition -------------------------------------------------------------------------------------------


def _detail(request, exhibition: TouringExhibition, *, request_form=None, window_form=None, photo_form=None,
            withdraw_form=None, status: int = 200):
    from bangfu.objects.models import CollectionObject

    user = request.user
    owner = user.has_perm("exhibitions.change_touring", exhibition)
    items = CollectionObject.objects.visible_to(user).filter(touring_exhibitions=exhibition).order_by(
        "registration_number")
    windows = list(exhibition.windows.all())
    stops = list(selectors.calendar_stops(exhibition, user))
    today = timezone.localdate()
    photos = list(Attachment.objects.for_object(exhibition))
    for photo in photos:
        photo.removable = owner
    context = {
        "nav": NAV, "exhibition": exhibition, "owner": owner, "items": items, "windows": windows, "stops": stops,
        "calendar": selectors.calendar_data(exhibition, stops, user, windows, today),
        "whole_calendar": selectors.sees_whole_calendar(user, exhibition),
        "hidden_items": owner is False and exhibition.items.count() > len(items),
        "photos": photos, "may_request": user.has_perm("exhibitions.request_stop", exhibition),
        "request_form": request_form or StopRequestForm(),
        "window_form": window_form or WindowForm(), "photo_form": photo_form or AttachmentForm(),
        "withdraw_form": withdraw_form or ReasonForm(),
    }
    return render(request, "exhibitions/touring_detail.html", context, status=status)


def touring_detail(request, pk: int):
    return _detail(request, _exhibition(request, pk))


@login_required
def touring_create(request):
    require(request.user, "exhibitions.add_touring")
    museum = request.user.museum
    form = TouringForm(request.POST or None, museum=museum, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            exhibition = services.touring_create(museum=museum, by=request.user, windows=form.windows(),
                                                 items=form.cleaned_data["items"], **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "巡展已保存为草稿。添加照片、确认档期后即可发布。")
            return redirect("exhibitions:touring", pk=exhibition.pk)
    return render(request, "exhibitions/touring_form.html", {"nav": NAV, "form": form, "exhibition": None},
                  status=400 if form.errors else 200)


@login_required
def touring_edit(request, pk: int):
    exhibition = _exhibition(request, pk, change=True)
    form = TouringForm(request.POST or None, instance=exhibition, museum=exhibition.museum, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.touring_update(exhibition=TouringExhibition.objects.get(pk=exhibition.pk), by=request.user,
                                    items=form.cleaned_data["items"], **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "巡展信息已保存。")
            return redirect("exhibitions:touring", pk=exhibition.pk)
    return render(request, "exhibitions/touring_form.html", {"nav": NAV, "form": form, "exhibition": exhibition},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def touring_publish(request, pk: int):
    exhibition = _exhibition(request, pk, change=True)
    try:
        services.touring_publish(exhibition=exhibition, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "巡展已发布，其他馆可以申请接展。")
    return redirect("exhibitions:touring", pk=exhibition.pk)


@login_required
@require_POST
def touring_withdraw(request, pk: int):
    exhibition = _exhibition(request, pk, change=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.touring_withdraw(exhibition=exhibition, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "巡展已下架，已预约的站点不受影响。")
            return redirect("exhibitions:touring", pk=exhibition.pk)
    return _detail(request, exhibition, withdraw_form=form, status=400)


@login_required
@require_POST
def window_add(request, pk: int):
    exhibition = _exhibition(request, pk, change=True)
    form = WindowForm(request.POST)
    if form.is_valid():
        try:
            services.window_add(exhibition=exhibition, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已添加可预约档期。")
            return redirect("exhibitions:touring", pk=exhibition.pk)
    return _detail(request, exhibition, window_form=form, status=400)


@login_required
@require_POST
def window_remove(request, pk: int):
    window = TourWindow.objects.filter(pk=pk).first()
    if window is None:
        raise Http404("未找到。")
    window.exhibition = _exhibition(request, window.exhibition_id, change=True)
    services.window_remove(window=window, by=request.user)
    messages.success(request, "已删除这个档期。")
    return redirect("exhibitions:touring", pk=window.exhibition_id)


@login_required
@require_POST
def photo_add(request, pk: int):
    exhibition = _exhibition(request, pk, change=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.touring_photo_add(exhibition=exhibition, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已上传。")
            return redirect("exhibitions:touring", pk=exhibition.pk)
    return _detail(request, exhibition, photo_form=form, status=400)


urlpatterns = [
    path("", touring_list, name="touring_list"),
    path("touring/new/", touring_create, name="touring_create"),
    path("touring/<int:pk>/", touring_detail, name="touring"),
    path("touring/<int:pk>/edit/", touring_edit, name="touring_edit"),
    path("touring/<int:pk>/publish/", touring_publish, name="touring_publish"),
    path("touring/<int:pk>/withdraw/", touring_withdraw, name="touring_withdraw"),
    path("touring/<int:pk>/windows/", window_add, name="window_add"),
    path("windows/<int:pk>/remove/", window_remove, name="window_remove"),
    path("touring/<int:pk>/photos/", photo_add, name="photo_add"),
]
