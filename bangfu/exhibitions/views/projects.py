"""Co-curation projects: my museum's projects (the association sees all), one project's page with the stage
stepper, planned against actual dates, the guidance at each stage with its files, and the museum's actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.attachments import may_remove
from bangfu.core.forms import apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param
from bangfu.core.workflow import status_tabs
from bangfu.ledger.selectors import entry_for
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing
from bangfu.parties import side_of
from bangfu.permissions import get_for_user, require

from .. import services
from ..forms import AdvanceForm, GuidanceForm, ProjectForm, ReasonForm
from ..models import STAGE_ORDER, CurationProject, ProjectStatus, Stage
from .touring import NAV

PAGE_SIZE = 30


@login_required
def project_list(request):
    user = request.user
    visible = CurationProject.objects.visible_to(user)
    status, rows, tabs = status_tabs(request, visible, ProjectStatus)
    page = Paginator(rows.select_related("museum", "helper").order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        int_param(request, "page", minimum=1))
    for project in page.object_list:
        project.step = STAGE_ORDER.index(project.stage) + 1
    return render(request, "exhibitions/project_list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status, "steps": len(STAGE_ORDER),
        "may_create": user.has_perm("exhibitions.add_project"),
    })


def _choices(user):
    """Whom the user's museum may name: as a helper, the museums it helps (open pairings); otherwise the helper
    museums, its pairing partners first in the initial choice. Returns (queryset, label, initial, as_helper)."""
    pairings = Pairing.objects.open()
    helped = pairings.filter(helper_id=user.museum_id).values("helped_id")
    if helped.exists():
        return Museum.objects.filter(pk__in=helped).order_by("pinyin"), "策展馆（结对的受援馆）", None, True
    partner = pairings.filter(helped_id=user.museum_id).values_list("helper_id", flat=True).first()
    choices = Museum.objects.filter(Q(pk__in=pairings.filter(helped_id=user.museum_id).values("helper_id"))
                                    | Q(pk__in=Museum.objects.helpers())).exclude(pk=user.museum_id).order_by("pinyin")
    return choices, "指导馆", partner, False


@login_required
def project_create(request):
    require(request.user, "exhibitions.add_project")
    choices, label, initial, as_helper = _choices(request.user)
    form = ProjectForm(request.POST or None, choices=choices, other_label=label, initial={"other": initial})
    if request.method == "POST" and form.is_valid():
        other, mine = form.cleaned_data["other"], request.user.museum
        museum, helper = (other, mine) if as_helper else (mine, other)
        try:
            project = services.project_create(museum=museum, helper=helper, by=request.user, plan=form.plan(),
                                              **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "策展项目已创建，对方会收到通知。")
            return redirect("exhibitions:project", pk=project.pk)
    return render(request, "exhibitions/project_form.html", {"nav": NAV, "form": form, "project": None},
                  status=400 if form.errors else 200)


def _project(request, pk: int, *, change: str | None = None) -> CurationProject:
    return get_for_user(request.user, CurationProject.objects.select_related("museum", "helper", "pairing"),
                        view="exhibitions.view_project", change=change, pk=pk)


@login_required
def project_edit(request, pk: int):
    project = _project(request, pk, change="exhibitions.change_project")
    records = {r.stage: r for r in project.stages.all()}
    initial = {}
    for stage, record in records.items():
        initial[f"{stage}_start"], initial[f"{stage}_end"] = record.planned_start, record.planned_end
    form = ProjectForm(request.POST or None, instance=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_plan(project=project, by=request.user, plan=form.plan(), **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "项目计划已保存。")
            return redirect("exhibitions:project", pk=project.pk)
    return render(request, "exhibitions/project_form.html", {"nav": NAV, "form": form, "project": project},
                  status=400 if form.errors else 200)


def _render(request, project: CurationProject, *, guidance_form=None, advance_form=None, cancel_form=None,
            status: int = 200):
    user = request.user
    records = list(project.stages.all())
    guidance = list(project.guidance.select_related("author", "author__museum").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.select_related("added_by"))).order_by("date", "id"))
    current = STAGE_ORDER.index(project.stage)
    records.sort(key=lambda r: STAGE_ORDER.index(r.stage))
    for record in records:
        record.notes = [g for g in guidance if g.stage == record.stage]
        index = STAGE_ORDER.index(record.stage)
        record.state = ("done" if index < current or project.status == ProjectStatus.DONE else
                        "current" if index == current else "todo")
        record.late = bool(record.planned_end and (record.finished_on or timezone.localdate()) > record.planned_end
                           and record.state != "todo")
    nxt = services.next_stage(project)
    may_change = user.has_perm("exhibitions.change_project", project)
    for note in guidance:
        for attachment in note.attachments.all():
            attachment.owner = note  # (known: no query per file)
            attachment.removable = may_remove(user, attachment)
    may_advance = user.has_perm("exhibitions.advance_project", project)
    entry = entry_for(services.PROJECT_SOURCE, project.pk)
    context = {
        "nav": NAV, "project": project, "records": records, "side": side_of(user, project), "entry": entry,
        "has_guidance": bool(guidance), "next_label": Stage(nxt).label if nxt else "", "next_stage": nxt,
        "may_change": may_change and project.status != ProjectStatus.CANCELLED,
        "may_advance": may_advance and nxt is not None and project.status in (ProjectStatus.ACTIVE,
                                                                             ProjectStatus.OPEN),
        "may_cancel": may_advance and project.status == ProjectStatus.ACTIVE,
        "guidance_form": guidance_form or GuidanceForm(initial={"stage": project.stage,
                                                                "date": timezone.localdate()}),
        "advance_form": advance_form or AdvanceForm(initial={"date": timezone.localdate()}),
        "cancel_form": cancel_form or ReasonForm(),
    }
    return render(request, "exhibitions/project_detail.html", context, status=status)


@login_required
def project_detail(request, pk: int):
    return _render(request, _project(request, pk))


@login_required
@require_POST
def guidance_add(request, pk: int):
    project = _project(request, pk, change="exhibitions.change_project")
    form = GuidanceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.guidance_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "指导记录已保存，对方会收到通知。")
            return redirect("exhibitions:project", pk=project.pk)
    return _render(request, project, guidance_form=form, status=400)


@login_required
@require_POST
def project_advance(request, pk: int):
    project = _project(request, pk, change="exhibitions.advance_project")
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            project = services.project_advance(project=project, by=request.user, on=form.cleaned_data["date"],
                                               visitors=form.cleaned_data["visitors"] or 0)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"项目已进入{project.get_stage_display()}阶段。" + (
                "开幕已记入帮扶台账。" if project.stage == Stage.OPENING else ""))
            return redirect("exhibitions:project", pk=project.pk)
    return _render(request, project, advance_form=form, status=400)


@login_required
@require_POST
def project_cancel(request, pk: int):
    project = _project(request, pk, change="exhibitions.advance_project")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.project_cancel(project=project, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "项目已取消。")
            return redirect("exhibitions:project", pk=project.pk)
    return _render(request, project, cancel_form=form, status=400)


urlpatterns = [
    path("projects/", project_list, name="projects"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/guidance/", guidance_add, name="guidance_add"),
    path("projects/<int:pk>/advance/", project_advance, name="project_advance"),
    path("projects/<int:pk>/cancel/", project_cancel, name="project_cancel"),
]
