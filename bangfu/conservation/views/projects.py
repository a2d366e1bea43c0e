"""Restoration project pages: the projects a user may see, creating one, one project's page with its objects, plan
and approval (a warning for 一级文物 without national approval), stages with planned and actual dates (an editable
list), treatment records with before/after photos, files and the final report, completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.forms import apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param
from bangfu.core.workflow import status_tabs
from bangfu.ledger.models import LedgerEntry
from bangfu.museums.models import Museum
from bangfu.parties import acts_for_association, side_of
from bangfu.permissions import get_for_user, require

from .. import services
from ..forms import (
    ApprovalForm,
    CompleteForm,
    PlanForm,
    ProjectFileForm,
    ProjectForm,
    ReasonForm,
    StageForm,
    TreatmentForm,
)
from ..models import ProjectStage, ProjectStatus, RestorationProject
from .common import FILES, NAV, PAGE_SIZE, files_of, helped_choices, helper_choices


@login_required
def project_list(request):
    user = request.user
    visible = RestorationProject.objects.visible_to(user)
    status, rows, tabs = status_tabs(request, visible, ProjectStatus)
    page = Paginator(rows.select_related("museum", "helper").annotate(
        n_objects=Count("objects_linked", distinct=True), n_treatments=Count("treatments", distinct=True))
        .order_by("-updated_at", "-id"), PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "conservation/project_list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status,
        "may_create": user.has_perm("conservation.add_project"),
    })


@login_required
def project_create(request):
    user = request.user
    require(user, "conservation.add_project")
    association = acts_for_association(user)
    mine = None if association else user.museum
    helped = helped_choices(user.museum_id) if mine else Museum.objects.none()
    museums = (Museum.objects.order_by("pinyin") if association else
               Museum.objects.filter(Q(pk=user.museum_id) | Q(pk__in=helped.values("pk"))).order_by("pinyin"))
    helpers = (Museum.objects.all() if association else Museum.objects.filter(
        Q(pk__in=helper_choices(user.museum_id).values("pk")) | Q(pk=user.museum_id))).order_by("pinyin")
    chosen = mine
    if request.method == "POST":
        chosen = museums.filter(pk=int_param(request.POST, "museum") or 0).first()  # only what may be named
    form = ProjectForm(request.POST or None, museums=museums, helpers=helpers, objects_of=chosen,
                       initial={"museum": mine})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.project_create(museum=d["museum"], helper=d["helper"], by=user, title=d["title"],
                                              mode=d["mode"], plan=d["plan"], objects=d["objects"],
                                              objects_by_hand=d["objects_by_hand"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "修复项目已建档，对方会收到通知。")
            return redirect("conservation:project", pk=project.pk)
    return render(request, "conservation/project_form.html", {"nav": NAV, "form": form},
                  status=400 if form.errors else 200)


def _project(request, pk: int, *, change: str | None = None) -> RestorationProject:
    return get_for_user(request.user, RestorationProject.objects.select_related(
        "museum", "helper", "consultation", "created_by").prefetch_related(FILES),
        view="conservation.view_project", change=change, pk=pk)


def _render(request, project: RestorationProject, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    stages = list(project.stages.order_by("position", "pk"))
    today = timezone.localdate()
    for stage in stages:
        stage.late = bool(stage.planned_end and (stage.finished_on or today) > stage.planned_end
                          and (stage.started_on or stage.planned_end < today))
        stage.form = forms.get(f"stage-{stage.pk}") or StageForm(prefix=f"s{stage.pk}", initial={
            k: getattr(stage, k) for k in services.STAGE_FIELDS})
    treatments = list(project.treatments.select_related("obj", "recorded_by").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.select_related("added_by").order_by("pk")))
        .order_by("-date", "-pk"))
    for record in treatments:
        record.files = files_of(user, record, record.attachments.all())
    objects = list(project.objects_linked.order_by("registration_number"))
    files = files_of(user, project, project.attachments.all())
    may_change = user.has_perm("conservation.change_project", project)
    active = project.status == ProjectStatus.ACTIVE
    context = {
        "nav": NAV, "project": project, "side": side_of(user, project), "stages": stages,
        "treatments": treatments, "objects": objects, "files": files,
        "report": next((f for f in reversed(files) if f.kind == "report"), None),
        "warnings": services.approval_warnings(project, objects),
        "entry": LedgerEntry.objects.filter(source_type=services.PROJECT_SOURCE, source_id=project.pk).first(),
        "may_change": may_change and active,
        "plan_form": forms.get("plan") or PlanForm(initial={"plan": project.plan}),
        "approval_form": forms.get("approval") or ApprovalForm(initial={
            "authority": project.approval_authority, "number": project.approval_number,
            "date": project.approval_date, "national": project.national_approval}),
        "stage_form": forms.get("stage") or StageForm(prefix="new"),
        "treatment_form": forms.get("treatment") or TreatmentForm(project=project, initial={"date": today}),
        "file_form": forms.get("file") or ProjectFileForm(),
        "complete_form": forms.get("complete") or CompleteForm(initial={"date": today}),
        "cancel_form": forms.get("cancel") or ReasonForm(),
    }
    return render(request, "conservation/project_detail.html", context, status=status)


@login_required
def project_detail(request, pk: int):
    return _render(request, _project(request, pk))


def _act(request, project, form, key: str, call, success: str):
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if isinstance(result, list) and result:
                for warning in result:
                    messages.warning(request, warning)
            messages.success(request, success)
            return redirect("conservation:project", pk=project.pk)
    return _render(request, project, forms={key: form}, status=400)


CHANGE = "conservation.change_project"


@login_required
@require_POST
def project_plan(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, PlanForm(request.POST, request.FILES), "plan", lambda d: services.project_plan(
        project=project, by=request.user, plan=d["plan"], file=d["file"], link=d["link"]), "修复方案已保存。")


@login_required
@require_POST
def project_approval(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, ApprovalForm(request.POST), "approval", lambda d: services.project_approval(
        project=project, by=request.user, **d), "方案批准信息已记录。")


@login_required
@require_POST
def stage_add(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, StageForm(request.POST, prefix="new"), "stage", lambda d: services.stage_add(
        project=project, by=request.user, **d), "阶段已添加。")


def _stage(request, pk: int, stage_pk: int) -> tuple[RestorationProject, ProjectStage]:
    project = _project(request, pk, change=CHANGE)
    return project, get_object_or_404(ProjectStage, pk=stage_pk, project=project)


@login_required
@require_POST
def stage_update(request, pk: int, stage_pk: int):
    project, stage = _stage(request, pk, stage_pk)
    return _act(request, project, StageForm(request.POST, prefix=f"s{stage.pk}"), f"stage-{stage.pk}",
                lambda d: services.stage_update(stage=stage, by=request.user, **d), f"“{stage.name}”已保存。")


@login_required
@require_POST
def stage_remove(request, pk: int, stage_pk: int):
    project, stage = _stage(request, pk, stage_pk)
    services.stage_remove(stage=stage, by=request.user)
    messages.success(request, f"已删除阶段“{stage.name}”。")
    return redirect("conservation:project", pk=project.pk)


@login_required
@require_POST
def treatment_add(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, TreatmentForm(request.POST, request.FILES, project=project), "treatment",
                lambda d: services.treatment_add(project=project, by=request.user, **d), "修复记录已保存。")


@login_required
@require_POST
def project_file_add(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, ProjectFileForm(request.POST, request.FILES), "file",
                lambda d: services.project_file_add(project=project, by=request.user, **d), "已上传。")


@login_required
@require_POST
def project_complete(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, CompleteForm(request.POST), "complete", lambda d: services.project_complete(
        project=project, by=request.user, summary=d["summary"], on=d["date"]), "项目已完成，已记入帮扶台账。")


@login_required
@require_POST
def project_cancel(request, pk: int):
    project = _project(request, pk, change=CHANGE)
    return _act(request, project, ReasonForm(request.POST), "cancel", lambda d: services.project_cancel(
        project=project, by=request.user, reason=d["reason"]), "项目已取消。")


urlpatterns = [
    path("projects/", project_list, name="projects"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/<int:pk>/plan/", project_plan, name="project_plan"),
    path("projects/<int:pk>/approval/", project_approval, name="project_approval"),
    path("projects/<int:pk>/stages/", stage_add, name="stage_add"),
    path("projects/<int:pk>/stages/<int:stage_pk>/", stage_update, name="stage_update"),
    path("projects/<int:pk>/stages/<int:stage_pk>/remove/", stage_remove, name="stage_remove"),
    path("projects/<int:pk>/treatments/", treatment_add, name="treatment_add"),
    path("projects/<int:pk>/files/", project_file_add, name="project_file_add"),
    path("projects/<int:pk>/complete/", project_complete, name="project_complete"),
    path("projects/<int:pk>/cancel/", project_cancel, name="project_cancel"),
]
