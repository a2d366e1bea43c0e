"""专家会诊 pages: the cases a user may see (an expert: those they are invited to), opening a case, one case's page
with its objects, photos, invited experts and their opinions, the conclusion and 转为修复项目."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.params import int_param
from bangfu.core.workflow import status_tabs
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum
from bangfu.parties import acts_for_association, side_of
from bangfu.permissions import get_for_user, require

from .. import services
from ..forms import ConcludeForm, ConsultationForm, InviteForm, OpinionForm, ReasonForm, ToProjectForm
from ..models import Consultation, ConsultationStatus, RestorationProject
from .common import FILES, NAV, PAGE_SIZE, files_of, helper_choices


@login_required
def consultation_list(request):
    user = request.user
    visible = Consultation.objects.visible_to(user)
    status, rows, tabs = status_tabs(request, visible, ConsultationStatus)
    page = Paginator(rows.select_related("museum", "helper").annotate(
        n_experts=Count("invites", distinct=True), n_opinions=Count("opinions", distinct=True))
        .order_by("-updated_at", "-id"), PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "conservation/consultation_list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status,
        "may_create": user.has_perm("conservation.add_consultation"),
    })


@login_required
def consultation_create(request):
    user = request.user
    require(user, "conservation.add_consultation")
    association = acts_for_association(user)
    museum = None
    if association:
        museum = Museum.objects.filter(pk=int_param(request.POST or request.GET, "museum") or 0).first()
    else:
        museum = user.museum
    form = ConsultationForm(request.POST or None, request.FILES or None, museum=museum,
                            helpers=helper_choices(museum.pk if museum else None),
                            museums=Museum.objects.order_by("pinyin") if association else None,
                            initial={"helper": services.default_helper(museum) if museum else None,
                                     "museum": museum})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.consultation_open(
                museum=d.get("museum") or museum, by=user, title=d["title"], problem=d["problem"],
                condition=d["condition"], helper=d["helper"], objects=d["objects"],
                objects_by_hand=d["objects_by_hand"], photos=[d["photo"]] if d.get("photo") else [])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "会诊已发起；帮扶馆或协会邀请专家后，专家会收到通知。")
            return redirect("conservation:consultation", pk=case.pk)
    return render(request, "conservation/consultation_form.html", {"nav": NAV, "form": form},
                  status=400 if form.errors else 200)


def _case(request, pk: int, *, change: str | None = None) -> Consultation:
    return get_for_user(request.user, Consultation.objects.select_related("museum", "helper", "opened_by")
                        .prefetch_related(FILES), view="conservation.view_consultation", change=change, pk=pk)


def _render(request, case: Consultation, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    invites = list(case.invites.select_related("expert", "invited_by").order_by("pk"))
    opinions = list(case.opinions.select_related("expert", "written_by").order_by("created_at", "pk"))
    project = RestorationProject.objects.filter(consultation=case).only("pk", "title").first()
    may_change = user.has_perm("conservation.change_consultation", case)
    is_open = case.status == ConsultationStatus.OPEN
    association = acts_for_association(user)
    invited = Expert.objects.filter(consultation_invites__consultation=case).order_by("pk")
    context = {
        "nav": NAV, "case": case, "side": side_of(user, case), "invites": invites, "opinions": opinions,
        "project": project, "objects": list(case.objects_linked.order_by("registration_number")),
        "files": files_of(user, case, case.attachments.all()),
        "may_invite": is_open and user.has_perm("conservation.invite_experts", case),
        "may_opinion": user.has_perm("conservation.write_opinion", case),
        "may_conclude": is_open and may_change,
        "may_cancel": is_open and may_change,
        "may_to_project": case.status == ConsultationStatus.CONCLUDED and may_change and project is None,
        "may_file": user.has_perm("conservation.add_consultation_file", case) and is_open,
        "invite_form": forms.get("invite") or InviteForm(),
        "opinion_form": forms.get("opinion") or OpinionForm(invited=invited if association else None),
        "conclude_form": forms.get("conclude") or ConcludeForm(),
        "cancel_form": forms.get("cancel") or ReasonForm(),
        "to_project_form": forms.get("to_project") or ToProjectForm(
            helpers=helper_choices(case.museum_id), initial={"helper": case.helper}),
        "attachment_form": forms.get("file") or AttachmentForm(),
    }
    return render(request, "conservation/consultation_detail.html", context, status=status)


@login_required
def consultation_detail(request, pk: int):
    return _render(request, _case(request, pk))


def _act(request, pk: int, perm: str, form_class, key: str, call, success: str, **form_kwargs):
    case = _case(request, pk, change=perm)
    if callable(form_kwargs.get("invited")):
        form_kwargs["invited"] = form_kwargs["invited"](case)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        try:
            result = call(case, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            if isinstance(result, RestorationProject):
                return redirect("conservation:project", pk=result.pk)
            return redirect("conservation:consultation", pk=case.pk)
    return _render(request, case, forms={key: form}, status=400)


@login_required
@require_POST
def consultation_invite(request, pk: int):
    return _act(request, pk, "conservation.invite_experts", InviteForm, "invite",
                lambda c, d: services.consultation_invite(consultation=c, by=request.user, experts=d["experts"]),
                "已邀请专家，专家会收到通知。")


@login_required
@require_POST
def opinion_add(request, pk: int):
    association = acts_for_association(request.user)
    return _act(request, pk, "conservation.write_opinion", OpinionForm, "opinion",
                lambda c, d: services.opinion_add(consultation=c, by=request.user, text=d["text"],
                                                  expert=d.get("expert")),
                "会诊意见已发表。",
                invited=(lambda c: Expert.objects.filter(consultation_invites__consultation=c)) if association
                else None)


@login_required
@require_POST
def consultation_conclude(request, pk: int):
    return _act(request, pk, "conservation.change_consultation", ConcludeForm, "conclude",
                lambda c, d: services.consultation_conclude(consultation=c, by=request.user, **d),
                "会诊结论已保存，受邀专家会收到通知。")


@login_required
@require_POST
def consultation_cancel(request, pk: int):
    return _act(request, pk, "conservation.change_consultation", ReasonForm, "cancel",
                lambda c, d: services.consultation_cancel(consultation=c, by=request.user, reason=d["reason"]),
                "会诊已取消。")


@login_required
@require_POST
def consultation_to_project(request, pk: int):
    return _act(request, pk, "conservation.change_consultation", ToProjectForm, "to_project",
                lambda c, d: services.consultation_to_project(consultation=c, by=request.user, helper=d["helper"],
                                                              mode=d["mode"]),
                "已转为修复项目：藏品、方案和双方已带入。", helpers=Museum.objects.all())


@login_required
@require_POST
def consultation_file_add(request, pk: int):
    return _act(request, pk, "conservation.add_consultation_file", AttachmentForm, "file",
                lambda c, d: services.consultation_file_add(consultation=c, by=request.user, **d), "已上传。")


urlpatterns = [
    path("consultations/", consultation_list, name="consultations"),
    path("consultations/new/", consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", consultation_detail, name="consultation"),
    path("consultations/<int:pk>/invite/", consultation_invite, name="consultation_invite"),
    path("consultations/<int:pk>/opinions/", opinion_add, name="opinion_add"),
    path("consultations/<int:pk>/conclude/", consultation_conclude, name="consultation_conclude"),
    path("consultations/<int:pk>/cancel/", consultation_cancel, name="consultation_cancel"),
    path("consultations/<int:pk>/project/", consultation_to_project, name="consultation_to_project"),
    path("consultations/<int:pk>/files/", consultation_file_add, name="consultation_file_add"),
]
