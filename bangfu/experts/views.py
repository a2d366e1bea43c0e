"""The expert directory: search by name, organisation, specialty area, tags and region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render

from bangfu.core.areas import Area
from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param, text_param
from bangfu.permissions import get_for_user, require
from bangfu.places.models import Division

from . import services
from .forms import ExpertForm
from .models import Expert


def _experts():
    return Expert.objects.select_related("museum").prefetch_related(
        "specialties", Prefetch("regions", queryset=Division.objects.only("id", "name", "level"))
    )


def directory(request):
    experts = _experts().active().search(text_param(request, "q"))
    area = text_param(request, "area")
    if area in Area.values:
        experts = experts.with_area(area)
    region = int_param(request, "region")
    if region is not None:
        city = Division.objects.cities().filter(pk=region).first()
        if city:
            experts = experts.serving(city)
    page = Paginator(experts.order_by("pinyin_initials", "id"), 20).get_page(int_param(request, "page", minimum=1))
    context = {
        "page": page, "areas": Area.choices, "cities": Division.objects.cities(), "params": request.GET,
        "can_see_contact": request.user.has_perm("experts.view_expert_contact"), "nav": "registry",
    }
    template = "experts/directory.html#results" if request.htmx else "experts/directory.html"
    return render(request, template, context)


def detail(request, pk: int):
    expert = get_for_user(request.user, _experts(), view="experts.view_expert", pk=pk)
    return render(request, "experts/detail.html", {
        "expert": expert,
        "can_see_contact": request.user.has_perm("experts.view_expert_contact", expert),
        "can_edit": request.user.has_perm("experts.change_expert", expert),
        "nav": "registry",
    })


def _save(request, form, expert=None):
    data = {k: v for k, v in form.cleaned_data.items() if k not in {"areas", "regions"}}
    areas, regions = form.cleaned_data["areas"], list(form.cleaned_data["regions"])
    if expert is None:
        return services.expert_create(by=request.user, areas=areas, regions=regions, **data)
    return services.expert_update(by=request.user, expert=expert, data=data, areas=areas, regions=regions)


@login_required
def create(request):
    require(request.user, "experts.add_expert")
    form = ExpertForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            expert = _save(request, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已将 {expert.name} 加入专家库。")
            return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/form.html", {"form": form, "nav": "registry"})


@login_required
def edit(request, pk: int):
    expert = get_for_user(request.user, Expert, view="experts.view_expert", change="experts.change_expert", pk=pk)
    form = ExpertForm(request.POST or None, instance=expert, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, Expert.objects.get(pk=pk))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "专家信息已保存。")
            return redirect("experts:detail", pk=pk)
    return render(request, "experts/form.html", {"form": form, "expert": expert, "nav": "registry"})
