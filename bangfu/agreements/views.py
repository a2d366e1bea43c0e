"""The pairing page (parties, agreement, task board, timeline, progress reports, ledger), agreement editing and
confirmation, tasks with their evidence, the .docx export and the print view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param
from bangfu.core.validation import join_messages
from bangfu.core.views import SERVED_TYPES
from bangfu.pairings.models import Pairing
from bangfu.permissions import get_for_user, require

from . import selectors, services
from .documents import build_docx, document_context, docx_filename
from .forms import (
    AgreementForm,
    CompleteForm,
    GoalsForm,
    ProgressForm,
    ReportForm,
    TaskForm,
    TaskFormSet,
    party_people,
    show_refusals,
)
from .models import Agreement, AgreementTask, AgreementVersion, TaskStatus

VIEW = "pairings.view_pairing"


# --- fetching with the access check -------------------------------------------------------------------------


def _pairing(request, pk: int, change: str | None = None) -> Pairing:
    return get_for_user(request.user, Pairing.objects.with_parties(), view=VIEW, change=change, pk=pk)


def _agreement(request, pk: int, change: str | None = None) -> Agreement:
    """The agreement of pairing `pk` (404 when there is none yet), with its pairing already loaded."""
    pairing = _pairing(request, pk, change)
    agreement = Agreement.objects.select_related("helper_confirmed_by", "helped_confirmed_by").filter(
        pairing=pairing).first()
    if agreement is None:
        raise Http404("该结对还没有帮扶协议。")
    agreement.pairing = pairing
    return agreement


def _task(request, pk: int, change: str | None = None) -> AgreementTask:
    return get_for_user(
        request.user, AgreementTask.objects.select_related(
            "agreement__pairing__helper", "agreement__pairing__helped", "responsible", "completed_by"),
        view=VIEW, change=change, pk=pk)


def refusal(exc: ValidationError | PermissionDenied) -> ValidationError:
    """A service's refusal to show on the form the user filled in: a permission refusal (the other side changing a
    task's working details) is said at the top of the form rather than as a bare 403 that loses what was typed."""
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


def _back(pairing: Pairing, anchor: str = ""):
    response = redirect("agreements:pairing", pk=pairing.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- the pairing page -----------------------------------------------------------------------------------


@login_required
def pairing(request, pk: int):
    """Everything about one pairing on one page; the number of queries does not depend on the number of tasks."""
    pairing = _pairing(request, pk)
    context = selectors.pairing_page(pairing=pairing, user=request.user)
    report_form = None
    if context["can_report"]:
        report_form = ReportForm(instance=context["my_report"], initial=selectors.current_quarter_initial(),
                                 pairing=pairing)
    return render(request, "agreements/pairing.html", context | {"report_form": report_form, "nav": "pairings"})


# --- the agreement --------------------------------------------------------------------------------------


@login_required
@require_POST
def agreement_create(request, pk: int):
    pairing = _pairing(request, pk, change="agreements.edit_agreement")
    try:
        services.agreement_create(pairing=pairing, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
        return _back(pairing)
    messages.success(request, "协议草稿已创建，标题和期限按结对信息预填，请补充目标、任务和预期成果。")
    return redirect("agreements:edit", pk=pairing.pk)


@login_required
def agreement_edit(request, pk: int):
    agreement = _agreement(request, pk, change="agreements.edit_agreement")
    pairing = agreement.pairing
    people = party_people(pairing)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, instance=agreement)
    goals_form = GoalsForm(data, agreement=agreement, prefix="goal")
    tasks = agreement.tasks.select_related("responsible")
    formset = TaskFormSet(data, queryset=tasks, people=people, user=request.user, prefix="task",
                          term=form.task_term if data else None, pairing=pairing)
    if request.method == "POST" and form.is_valid() and goals_form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.AGREEMENT_FIELDS}
        try:
            services.agreement_update(
                agreement=agreement, by=request.user, data=fields, goals=goals_form.goals(),
                tasks=formset.task_items(), amendment_note=form.cleaned_data.get("amendment_note", ""))
        except (ValidationError, PermissionDenied) as exc:
            show_refusals(refusal(exc), form=form, goals_form=goals_form, task_forms=formset.item_forms)
        else:
            messages.success(request, _saved_message(agreement))
            return _back(pairing, "agreement")
    return render(request, "agreements/edit.html", {
        "pairing": pairing, "agreement": Agreement.objects.get(pk=agreement.pk), "form": form,
        "goals_form": goals_form, "formset": formset, "nav": "pairings",
    }, status=400 if request.method == "POST" else 200)


def _saved_message(agreement: Agreement) -> str:
    fresh = Agreement.objects.get(pk=agreement.pk)
    if fresh.version > agreement.version:
        return f"已发起第 {fresh.version} 版修订。修改完成后请提交，由双方重新确认。"
    if agreement.status != fresh.status:
        return "协议已修改，退回草拟状态；请重新提交，由双方确认。"
    return "协议已保存。"


@login_required
@require_POST
def agreement_submit(request, pk: int):
    agreement = _agreement(request, pk, change="agreements.edit_agreement")
    try:
        services.agreement_submit(agreement=agreement, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, "协议已提交，等待双方馆管理员确认。")
        warning = services.nobody_to_confirm(agreement.pairing)
        if warning:
            messages.warning(request, warning)
    return _back(agreement.pairing, "agreement")


@login_required
@require_POST
def agreement_confirm(request, pk: int):
    agreement = _agreement(request, pk, change="agreements.confirm_agreement")
    try:
        agreement = services.agreement_confirm(agreement=agreement, by=request.user,
                                               fingerprint=request.POST.get("fingerprint", ""))
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, "双方均已确认，协议生效。" if agreement.is_confirmed else "已确认，等待对方确认。")
    return _back(agreement.pairing, "agreement")


@login_required
@require_POST
def agreement_discard(request, pk: int):
    """Abandon the open amendment: back to the version both museums confirmed."""
    agreement = _agreement(request, pk, change="agreements.edit_agreement")
    try:
        agreement = services.agreement_discard_amendment(agreement=agreement, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, f"已放弃修订，协议恢复为双方确认的第 {agreement.version} 版。")
    return _back(agreement.pairing, "agreement")


def _document(request, pk: int) -> tuple[Agreement, dict, AgreementVersion | None]:
    """The agreement and the content to show: the current text, or a confirmed version with ?v=N (a malformed N is
    ignored, as every page ignores a parameter it cannot read; a version that does not exist is a 404)."""
    agreement = _agreement(request, pk)
    version = None
    wanted = int_param(request, "v", minimum=1)
    if wanted is not None:
        version = agreement.versions.filter(version=wanted).first()
        if version is None:
            raise Http404("没有这个版本。")
        return agreement, version.content, version
    content = services.agreement_content(agreement) | {"confirmations": services.confirmations_of(agreement)}
    return agreement, content, version


@login_required
def agreement_print(request, pk: int):
    agreement, content, version = _document(request, pk)
    return render(request, "agreements/print.html", {
        "agreement": agreement, "pairing": agreement.pairing, "doc": document_context(content),
        "version_number": version.version if version else agreement.version, "frozen": version,
    })


@login_required
def agreement_docx(request, pk: int):
    agreement, content, version = _document(request, pk)
    number = version.version if version else agreement.version
    body = build_docx(content, version=number, draft=version is None and not agreement.is_confirmed)
    response = HttpResponse(body, content_type=SERVED_TYPES[".docx"])
    response["Content-Disposition"] = docx_filename(content["title"], number)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- tasks ----------------------------------------------------------------------------------------------


@login_required
def task_create(request, pk: int):
    agreement = _agreement(request, pk, change="agreements.edit_agreement")
    form = TaskForm(request.POST or None, people=party_people(agreement.pairing), agreement=agreement,
                    initial={"due_date": agreement.term_end})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=agreement, by=request.user, tasks=[form.task_data()],
                                      amendment_note=form.cleaned_data.get("amendment_note", ""))
        except (ValidationError, PermissionDenied) as exc:
            show_refusals(refusal(exc), form=form, task_forms=[form])
        else:
            messages.success(request, _saved_message(agreement) if agreement.is_confirmed else "任务已添加。")
            return _back(agreement.pairing, "tasks")
    return render(request, "agreements/task_form.html", {
        "pairing": agreement.pairing, "agreement": agreement, "form": form, "task": None, "nav": "pairings",
    }, status=400 if request.method == "POST" else 200)


@login_required
def task_edit(request, pk: int):
    task = _task(request, pk, change="agreements.edit_agreement")
    agreement = task.agreement
    form = TaskForm(request.POST or None, instance=task, people=party_people(agreement.pairing), agreement=agreement,
                    user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=agreement, by=request.user, tasks=[{"id": task.pk, **form.task_data()}],
                                      amendment_note=form.cleaned_data.get("amendment_note", ""))
        except (ValidationError, PermissionDenied) as exc:
            show_refusals(refusal(exc), form=form, task_forms=[form])
        else:
            messages.success(request, _saved_message(agreement) if agreement.is_confirmed else "任务已保存。")
            return redirect("agreements:task", pk=task.pk)
    return render(request, "agreements/task_form.html", {
        "pairing": agreement.pairing, "agreement": agreement, "form": form, "task": task, "nav": "pairings",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def task_remove(request, pk: int):
    task = _task(request, pk, change="agreements.edit_agreement")
    agreement = task.agreement
    try:
        services.agreement_update(agreement=agreement, by=request.user, tasks=[{"id": task.pk, "delete": True}],
                                  amendment_note=request.POST.get("amendment_note", ""))
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
        return redirect("agreements:task_edit", pk=task.pk)
    messages.success(request, f"任务“{task.title}”已删除。")
    return _back(agreement.pairing, "tasks")


@login_required
def task_detail(request, pk: int, *, forms: dict | None = None, status: int = 200):
    """The task, its evidence and history; the forms to report progress, add evidence and complete it (the
    POST views render this page again with their bound form when it has errors)."""
    task = _task(request, pk)
    agreement = task.agreement
    pairing = agreement.pairing
    can_update = request.user.has_perm("agreements.update_task", task) and pairing.is_open
    can_add_evidence = can_update and services.may_add_evidence(request.user, task)
    people = party_people(pairing) if can_update else []
    forms = forms or {}
    if can_update:
        forms.setdefault("progress_form", ProgressForm(people=people, initial={
            "status": task.status, "progress": task.progress, "responsible": task.responsible_id}))
        forms.setdefault("complete_form", CompleteForm(task=task))
    if can_add_evidence:
        forms.setdefault("attachment_form", AttachmentForm())
    runs_task = services.may_complete(request.user, task)
    evidence = list(Attachment.objects.for_object(task))
    for item in evidence:
        item.removable = can_update and services.may_remove_evidence(request.user, task, item, runs_task=runs_task)
    return render(request, "agreements/task_detail.html", {
        "task": task, "agreement": agreement, "pairing": pairing, "can_update": can_update,
        "can_complete": can_update and runs_task,
        "can_add_evidence": can_add_evidence,
        "can_edit": request.user.has_perm("agreements.edit_agreement", task) and pairing.is_open,
        "runs_task": runs_task,
        "waits": services.why_task_waits(task), "overdue_days": (timezone.localdate() - task.due_date).days,
        "evidence": evidence, "nav": "pairings", **forms,
    }, status=status)


@login_required
@require_POST
def task_progress(request, pk: int):
    task = _task(request, pk, change="agreements.update_task")
    form = ProgressForm(request.POST, people=party_people(task.agreement.pairing))
    if form.is_valid():
        try:
            services.task_update(task=task, by=request.user, status=form.cleaned_data["status"],
                                 progress=form.cleaned_data["progress"], responsible=form.responsible_user(),
                                 note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "任务进度已更新。")
            return redirect("agreements:task", pk=task.pk)
    return task_detail(request, pk, forms={"progress_form": form}, status=400)


@login_required
@require_POST
def task_complete(request, pk: int):
    task = _task(request, pk, change="agreements.update_task")
    form = CompleteForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            services.task_complete(task=task, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            task.refresh_from_db()
            if task.status == TaskStatus.DONE:  # completed meanwhile (a second submit, an old tab): the page no
                messages.error(request, join_messages(exc.messages))  # longer shows the form
                return redirect("agreements:task", pk=task.pk)
            apply_errors(form, exc)
        else:
            messages.success(request, "任务已完成，并已记入帮扶台账。")
            return redirect("agreements:task", pk=task.pk)
    return task_detail(request, pk, forms={"complete_form": form}, status=400)


# --- evidence -------------------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_add(request, pk: int):
    task = _task(request, pk, change="agreements.update_task")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(task=task, by=request.user, file=form.cleaned_data["file"],
                                  link=form.cleaned_data["link"], caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "佐证材料已上传。")
            return redirect("agreements:task", pk=task.pk)
    return task_detail(request, pk, forms={"attachment_form": form}, status=400)


def _evidence(request, pk: int, change: str | None = None) -> Attachment:
    """The evidence, checked through its task (the permissions know tasks, not their attachments)."""
    evidence = Attachment.objects.filter(
        pk=pk, content_type__app_label="agreements", content_type__model="agreementtask").first()
    if evidence is None:
        raise Http404("未找到。")
    evidence.owner = _task(request, evidence.object_id, change)
    return evidence


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence = _evidence(request, pk, change="agreements.update_task")
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, "佐证材料已删除。")
    return redirect("agreements:task", pk=evidence.object_id)


# --- progress reports -----------------------------------------------------------------------------------


@login_required
def report(request, pk: int):
    """Write or rewrite this museum's report for a quarter (?year=&quarter= picks an earlier one)."""
    pairing = _pairing(request, pk, change="agreements.write_report")
    year, quarter = selectors.requested_quarter(request.GET if request.method == "GET" else request.POST)
    existing = selectors.report_of(pairing=pairing, user=request.user, year=year, quarter=quarter)
    form = ReportForm(request.POST or None, instance=existing, initial={"year": year, "quarter": quarter},
                      pairing=pairing)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.report_submit(pairing=pairing, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{saved.year}年第{saved.quarter}季度进展报告已保存。")
            return _back(pairing, "reports")
    return render(request, "agreements/report_form.html", {
        "pairing": pairing, "form": form, "existing": existing, "today": timezone.localdate(), "nav": "pairings",
    }, status=400 if request.method == "POST" else 200)


# --- the association's overview of the pairings ------------------------------------------------------------


@login_required
def overview(request):
    """The association's overview (supervisors: their jurisdiction, read-only)."""
    require(request.user, "pairings.view_overview")
    return render(request, "agreements/overview.html", {
        "o": selectors.overview(request.user), "nav": "pairings", "tab": "overview",
        "can_manage": request.user.has_perm("pairings.manage_pairings"), "days": selectors.ENDING_SOON_DAYS,
        "today": timezone.localdate(),
    })
