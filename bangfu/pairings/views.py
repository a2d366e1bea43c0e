"""Pairing pages: the map and list, new pairings, suggestions, rules and status (the association's overview is
with the agreement pages: it reads agreements)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.core.dates import years_later
from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param
from bangfu.core.validation import join_messages
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user, require
from bangfu.places.models import Division

from . import selectors, services
from .forms import DEFAULT_TERM_YEARS, AcceptForm, ExclusionForm, PairingForm, RulesForm, StatusForm
from .models import Pairing, PairingExclusion, PairingKind, PairingStatus, ProgrammeRules
from .suggest import propose

PAGE_SIZE = 25


def _pairing_url_template() -> str:
    """The pairing page's URL with a placeholder id, for the map's click handler."""
    return reverse("agreements:pairing", args=[0]).replace("/0/", "/{id}/")


@login_required
def pairing_list(request):
    """The pairings map and table: what the user may see, filtered; htmx swaps the table only."""
    pairings = selectors.pairing_list(request.user, request.GET)
    page = Paginator(pairings, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    context = {"page": page, "nav": "pairings", "can_manage": request.user.has_perm("pairings.manage_pairings"),
               "next_url": request.get_full_path(), "params": request.GET}
    if request.htmx and request.htmx.target == "results":
        return render(request, "pairings/list.html#results", context)
    if not selectors.reaches_pairings(request.user):
        return render(request, "pairings/list.html", context | {"no_scope": True, "tab": "list"})
    helpers, helped = selectors.party_choices(request.user)
    counts = selectors.status_counts(request.user)
    return render(request, "pairings/list.html", context | {
        "statuses": selectors.STATUS_FILTERS, "kinds": PairingKind.choices,
        "cities": Division.objects.cities(), "helpers": helpers, "helped": helped,
        "status_chips": [(v, label, counts[v]) for v, label in PairingStatus.choices],
        "pairing_url": _pairing_url_template(), "tab": "list",
    })


@login_required
def lines(request):
    """The pairings of the list's filters as map lines (one query)."""
    pairings = selectors.filter_pairings(Pairing.objects.visible_to(request.user), request.GET)
    data = selectors.map_lines(pairings)
    return JsonResponse({"lines": data, "count": len(data)})


@login_required
def create(request):
    require(request.user, "pairings.manage_pairings")
    initial = {name: str(value) for name in ("helper", "helped") if (value := int_param(request, name)) is not None}
    form = PairingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.pairing_create(by=request.user, source="manual", **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已创建结对：{pairing}（提议中）。")
            return redirect("agreements:pairing", pk=pairing.pk)
    return render(request, "pairings/form.html", {
        "form": form, "nav": "pairings", "tab": "create", "rules": ProgrammeRules.current(),
    }, status=400 if request.method == "POST" else 200)


@login_required
def suggestions(request):
    """The optimal proposal (read-only) on a map and in a table; the admin accepts some or all of it."""
    require(request.user, "pairings.manage_pairings")
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        result = services.suggestions_accept(by=request.user, pairs=form.cleaned_data["accept"], start_date=today,
                                             end_date=years_later(today, DEFAULT_TERM_YEARS))
        if result.created:
            messages.success(request, f"已采纳 {len(result.created)} 条推荐，创建为“提议中”的结对。")
        for which, why in result.refused:
            messages.error(request, f"未创建 {which}：{why}")
        if result.created:
            return redirect(reverse("pairings:list") + "?status=proposed")
        return redirect("pairings:suggestions")
    proposal = propose()
    ids = {pk for s in proposal.suggestions for pk in (s.helper_id, s.helped_id)}
    positions = {m["id"]: [m["lng"], m["lat"]] for m in Museum.objects.filter(pk__in=ids).values("id", "lng", "lat")}
    proposed_lines = [
        {"helper": {"id": s.helper_id, "name": s.helper_name, "value": positions[s.helper_id]},
         "helped": {"id": s.helped_id, "name": s.helped_name, "value": positions[s.helped_id]},
         "km": s.km, "areas": s.area_labels, "status": "suggested", "status_label": "推荐"}
        for s in proposal.suggestions
    ]
    existing = selectors.map_lines(Pairing.objects.open())
    return render(request, "pairings/suggestions.html", {
        "proposal": proposal, "form": form, "map_data": {"proposed": proposed_lines, "existing": existing},
        "nav": "pairings", "tab": "suggestions",
        "pairing_url": _pairing_url_template(),
    }, status=400 if request.method == "POST" else 200)


def _rules_page(request, *, rules_form, exclusion_form, status=200):
    exclusions = PairingExclusion.objects.select_related("museum_a", "museum_b", "created_by").order_by("-id")
    return render(request, "pairings/rules.html", {
        "form": rules_form, "exclusion_form": exclusion_form, "exclusions": exclusions, "nav": "pairings",
        "tab": "rules",
    }, status=status)


@login_required
def rules(request):
    require(request.user, "pairings.manage_pairings")
    form = RulesForm(request.POST or None, instance=ProgrammeRules.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(by=request.user, data=form.changed())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "结对规则已保存。")
            return redirect("pairings:rules")
    return _rules_page(request, rules_form=form, exclusion_form=ExclusionForm(),
                       status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def exclusion_add(request):
    require(request.user, "pairings.manage_pairings")
    form = ExclusionForm(request.POST)
    if form.is_valid():
        try:
            services.exclusion_add(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已设定这两家博物馆不结对。")
            return redirect(reverse("pairings:rules") + "#exclusions")
    return _rules_page(request, rules_form=RulesForm(instance=ProgrammeRules.current()), exclusion_form=form,
                       status=400)


@login_required
@require_POST
def exclusion_remove(request, pk: int):
    require(request.user, "pairings.manage_pairings")
    exclusion = get_object_or_404(PairingExclusion.objects.select_related("museum_a", "museum_b"), pk=pk)
    services.exclusion_remove(by=request.user, exclusion=exclusion)
    messages.success(request, f"已取消“{exclusion}”的不结对设定。")
    return redirect(reverse("pairings:rules") + "#exclusions")


@login_required
@require_POST
def set_status(request, pk: int):
    """Move a pairing along its statuses (the association); back to where the form was."""
    pairing = get_for_user(request.user, Pairing.objects.with_parties(), view="pairings.view_pairing",
                           change="pairings.manage_pairings", pk=pk)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.pairing_set_status(pairing=pairing, by=request.user, status=form.cleaned_data["status"],
                                    reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, f"结对“{pairing}”已改为“{PairingStatus(form.cleaned_data['status']).label}”。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("agreements:pairing", args=[pairing.pk])
    return redirect(target)
