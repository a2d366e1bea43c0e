"""Museum directory, museum pages and their editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bangfu.core.forms import apply_errors
from bangfu.core.models import AuditEntry
from bangfu.core.params import int_param
from bangfu.permissions import get_for_user, require
from bangfu.places.models import Division

from . import services
from .forms import AreasForm, MuseumForm, PhotoForm, PositionForm
from .models import Grade, Museum, Offering, Ownership, ProgrammeRole
from .selectors import SORTS, filter_museums

PAGE_SIZE = 20


def _filter_context(request) -> dict:
    cities = list(Division.objects.cities())
    counties = list(Division.objects.counties())
    return {
        "cities": cities, "counties": counties, "grades": Grade.choices, "ownerships": Ownership.choices,
        "roles": ProgrammeRole.choices, "sorts": SORTS, "params": request.GET,
    }


def directory(request):
    """The museum directory: search, filters, sorting, pagination; htmx swaps the results only."""
    museums = filter_museums(Museum.objects.all(), request.GET).defer("introduction", "address")
    page = Paginator(museums, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    context = {"page": page, "nav": "registry"}
    if request.htmx and request.htmx.target == "results":
        return render(request, "museums/directory.html#results", context)
    return render(request, "museums/directory.html", context | _filter_context(request))


def map_points(request):
    """Every museum matching the directory's filters, as points for the map (one query)."""
    museums = filter_museums(Museum.objects.all(), request.GET).exclude(lat__isnull=True).select_related(None)
    rows = museums.values_list("id", "name", "lng", "lat", "grade", "programme_role", "position_precise")
    points = [
        {"id": pk, "name": name, "value": [lng, lat], "grade": grade, "role": role, "precise": precise}
        for pk, name, lng, lat, grade, role, precise in rows
    ]
    return JsonResponse({"points": points, "count": len(points)})


def detail(request, pk: int):
    museum = get_for_user(request.user, Museum.objects.with_places().select_related("head"), view="museums.view_museum",
                          pk=pk)
    areas = list(museum.areas.all())
    context = {
        "museum": museum,
        "needs": [a for a in areas if a.kind == Offering.NEED],
        "offers": [a for a in areas if a.kind == Offering.OFFER],
        "branches": list(museum.branches.with_places()),
        "photos": list(museum.photos.all()),
        "experts": list(museum.experts.active()),
        "can_edit": request.user.has_perm("museums.change_museum", museum),
        "can_see_contact": request.user.has_perm("museums.view_museum_contact", museum),
        "can_see_history": request.user.has_perm("museums.view_museum_history", museum),
        "map_data": map_data(museum),
        "nav": "registry",
    }
    return render(request, "museums/detail.html", context)


def map_data(museum: Museum) -> dict:
    """What the position map needs: the point and the county (or city) to highlight."""
    point = {"name": museum.name, "value": [museum.lng, museum.lat]} if museum.lat is not None else None
    highlight = [museum.county.name] if museum.county else []
    return {"point": point, "highlight": highlight}


@login_required
def edit(request, pk: int):
    museum = get_for_user(request.user, Museum.objects.with_places(), view="museums.view_museum",
                          change="museums.change_museum", pk=pk)
    registry = request.user.has_perm("museums.change_museum_registry", museum)
    can_position = request.user.has_perm("museums.set_museum_position", museum)
    form = MuseumForm(request.POST or None, request.FILES or None, instance=museum, registry=registry)
    # Checked against the place the museum form has just read (the ModelForm writes it into `museum`).
    position_form = PositionForm(request.POST or None, prefix="pos", initial={"lat": museum.lat, "lng": museum.lng},
                                 museum=museum)
    move = can_position and request.POST.get("pos-changed") == "1"
    valid = request.method == "POST" and all([form.is_valid(), not move or position_form.is_valid()])
    if valid:
        fresh = Museum.objects.with_places().get(pk=pk)  # the form wrote into `museum`; the service diffs `fresh`
        derived_before = (fresh.tier, fresh.get_programme_role_display())
        data = form.changed_data_for_service()
        if move:  # one write: a new place and a new position are checked together
            data |= {**position_form.cleaned_data, "position_precise": True}
        try:
            services.museum_update(museum=fresh, by=request.user, data=data)
        except ValidationError as exc:
            position = hasattr(exc, "error_dict") and set(exc.error_dict) <= {"lat", "lng"}
            apply_errors(position_form if position else form, exc)
        else:
            messages.success(request, "博物馆信息已保存。" + _derived_note(derived_before, fresh))
            return redirect("museums:detail", pk=pk)
    stored = Museum.objects.with_places().get(pk=pk)
    return render(request, "museums/edit.html", {
        "museum": stored, "form": form, "position_form": position_form, "map_data": map_data(stored),
        "registry": registry, "can_position": can_position, "nav": "registry",
    }, status=400 if request.method == "POST" else 200)


def _derived_note(before: tuple[str, str], museum: Museum) -> str:
    """Say so when saving changed what the platform derives (tier, programme role)."""
    tier, role = before
    notes = []
    if museum.tier != tier:
        notes.append(f"行政层级 {tier or '未确定'} → {museum.tier or '未确定'}")
    if museum.get_programme_role_display() != role:
        notes.append(f"帮扶角色 {role} → {museum.get_programme_role_display()}")
    return f"根据新的信息自动更新：{'；'.join(notes)}。" if notes else ""


@login_required
def edit_areas(request, pk: int):
    museum = get_for_user(request.user, Museum, view="museums.view_museum", change="museums.change_museum", pk=pk)
    form = AreasForm(request.POST or None, museum=museum)
    if request.method == "POST" and form.is_valid():
        services.museum_set_areas(museum=museum, by=request.user, kind=Offering.NEED, items=form.items("need"))
        services.museum_set_areas(museum=museum, by=request.user, kind=Offering.OFFER, items=form.items("offer"))
        messages.success(request, "需求与可提供的帮扶已保存。")
        return redirect("museums:detail", pk=pk)
    return render(request, "museums/edit_areas.html", {"museum": museum, "form": form, "nav": "registry"})


@login_required
@require_POST
def set_position(request, pk: int):
    museum = get_for_user(request.user, Museum, view="museums.view_museum", change="museums.set_museum_position",
                          pk=pk)
    form = PositionForm(request.POST, museum=museum)
    if form.is_valid():
        try:
            services.museum_set_position(museum=museum, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return JsonResponse({"lat": museum.lat, "lng": museum.lng, "precise": True})
    return JsonResponse({"errors": form.errors}, status=400)


@login_required
def photos(request, pk: int):
    museum = get_for_user(request.user, Museum, view="museums.view_museum", change="museums.change_museum", pk=pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.museum_add_photo(museum=museum, by=request.user, image=form.cleaned_data["image"],
                                      caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "照片已上传。")
            return redirect("museums:photos", pk=pk)
    return render(request, "museums/photos.html", {
        "museum": museum, "form": form, "photos": list(museum.photos.all()), "nav": "registry",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def delete_photo(request, pk: int, photo_id: int):
    museum = get_for_user(request.user, Museum, view="museums.view_museum", change="museums.change_museum", pk=pk)
    photo = get_object_or_404(museum.photos, pk=photo_id)
    services.museum_remove_photo(photo=photo, by=request.user)
    messages.success(request, "照片已删除。")
    return redirect("museums:photos", pk=pk)


@login_required
def history(request, pk: int):
    museum = get_for_user(request.user, Museum, view="museums.view_museum", change="museums.view_museum_history",
                          pk=pk)
    entries = AuditEntry.objects.for_object(museum).with_actor()
    page = Paginator(entries, 30).get_page(int_param(request, "page", minimum=1))
    return render(request, "museums/history.html", {"museum": museum, "page": page, "nav": "registry"})


@login_required
def review(request):
    """Museums whose place is unknown or uncertain, for the association to correct."""
    require(request.user, "museums.change_museum_registry")
    museums = Museum.objects.needing_review().with_places().order_by("pinyin")
    page = Paginator(museums, 50).get_page(int_param(request, "page", minimum=1))
    return render(request, "museums/review.html", {"page": page, "nav": "admin"})

