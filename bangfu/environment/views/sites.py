"""A site's page (its rooms, its gateway token's hint), adding and editing a site, and rotating its gateway token
(the raw token shown once, with a curl example of the ingest API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from bangfu.core.params import int_param
from bangfu.museums.models import Museum
from bangfu.parties import acts_for_association, works_at_museum

from .. import services
from ..forms import SiteCreateForm, SiteForm
from ..models import Room
from ..summaries import room_rows
from .common import NAV, form_page, site_for


@login_required
def site(request, pk: int):
    site = site_for(request, pk)
    rooms = room_rows(Room.objects.filter(site=site).select_related("site", "museum"))
    return render(request, "environment/site.html", {
        "nav": NAV, "site": site, "rooms": rooms,
        "can_manage": request.user.has_perm("environment.manage", site),
        "can_manage_site": request.user.has_perm("environment.manage_site", site),
    })


@login_required
def site_create(request):
    """A museum's admin adds a site of their museum; the association adds one for any museum (`?museum=`)."""
    user = request.user
    association = acts_for_association(user)
    if not association and not (works_at_museum(user) and user.has_perm("environment.manage_site", user.museum)):
        raise PermissionDenied(services.SITE_ADMINS_ONLY)
    initial = {}
    if association and (chosen := int_param(request, "museum", minimum=1)):
        initial["museum"] = Museum.objects.filter(pk=chosen).first()
    form_class = SiteCreateForm if association else SiteForm
    form = form_class(request.POST or None, initial=initial)

    def save(values):
        museum = values["museum"] if association else user.museum
        return services.site_create(museum=museum, by=user, **{name: values[name] for name in services.SITE_FIELDS})

    return form_page(
        request, form, save, done=lambda new: reverse("environment:site", args=[new.pk]),
        message=lambda new: f"监测点位“{new.name}”已添加。下一步：添加库房、展厅或展柜。",
        title=lambda: "添加监测点位", back=reverse("environment:home"), submit="添加")


@login_required
def site_edit(request, pk: int):
    site = site_for(request, pk, change="environment.manage_site")
    return form_page(
        request, SiteForm(request.POST or None, instance=site),
        lambda values: services.site_update(site=site, by=request.user,
                                            **{name: values[name] for name in services.SITE_FIELDS}),
        done=lambda _: reverse("environment:site", args=[site.pk]), message=lambda _: "监测点位已保存。",
        title=lambda: f"修改监测点位 · {site.name}", back=reverse("environment:site", args=[site.pk]),
        submit="保存", instance=site)


@login_required
def site_token(request, pk: int):
    """GET: what the token is for and when it was made; POST `rotate`: a new one, shown on this answer only (the
    old one stops at once); POST `revoke`: none."""
    site = site_for(request, pk, change="environment.manage_site")
    raw = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.site_token_revoke(site=site, by=request.user)
            messages.success(request, "网关令牌已撤销，使用它的网关将无法再上传读数。")
            return redirect("environment:site_token", pk=site.pk)
        raw = services.site_token_rotate(site=site, by=request.user)
    endpoint = request.build_absolute_uri("/api/environment/readings")
    sensor = site.rooms.values_list("sensors__pk", flat=True).exclude(sensors__pk=None).first()
    response = render(request, "environment/site_token.html", {
        "nav": NAV, "site": site, "raw": raw, "endpoint": endpoint, "sensor_id": sensor or 1,
    })
    response["Cache-Control"] = "no-store"  # the raw token must not stay in a cache
    return response
