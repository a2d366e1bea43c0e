"""Pages of 跟班学习/挂职锻炼 and 短期工作指导: my museum's placements (sent and hosted, by status, with a timeline
chart of the current ones), the request form, one placement's page (plan, mentor, monthly reports and comments, the
assessment and certificate, the moves each side may make), the placed person's own page, the association's rule,
and the guidance visits (list, form, page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.attachments import may_remove
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.core.workflow import status_tabs
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing
from bangfu.parties import side_of, works_at_museum
from bangfu.permissions import get_for_user, require

from . import services
from .forms import (
    AgreeForm,
    CommentForm,
    CompleteForm,
    PlacementForm,
    ReasonForm,
    ReportForm,
    RuleForm,
    VisitCompleteForm,
    VisitForm,
)
from .models import (
    PLACEMENT_OPEN,
    MonthlyReport,
    Placement,
    PlacementRule,
    PlacementStatus,
    Visit,
    VisitStatus,
)
from .reminders import late_months

NAV = "placements"
VISITS_NAV = "placement-visits"
PAGE_SIZE = 30
CHART_ROWS = 40
FILES = Prefetch("attachments", queryset=Attachment.objects.select_related("added_by").order_by("pk"))


def _files(user, owner, attachments) -> list[Attachment]:
    rows = list(attachments)
    for attachment in rows:
        attachment.owner = owner
        attachment.removable = may_remove(user, attachment)
    return rows


def host_choices(museum_id: int | None):
    """The museums that may host: the museum's pairing partners (helpers) first, then every helper museum."""
    partners = Pairing.objects.open().filter(helped_id=museum_id).values("helper_id")
    return (Museum.objects.filter(Q(pk__in=partners) | Q(pk__in=Museum.objects.helpers()))
            .exclude(pk=museum_id).order_by("pinyin"))


def partner_choices(museum_id: int | None):
    """The museums a visit may be with: pairing partners on either side, then helpers and helped museums."""
    pairs = Pairing.objects.open().filter(Q(helper_id=museum_id) | Q(helped_id=museum_id))
    ids = {i for pair in pairs.values_list("helper_id", "helped_id") for i in pair}
    return (Museum.objects.filter(Q(pk__in=ids) | Q(pk__in=Museum.objects.helpers())
                                  | Q(pk__in=Museum.objects.helped())).exclude(pk=museum_id).order_by("pinyin"))


# --- placements -----------------------------------------------------------------------------------------------


def _gantt(rows) -> list[dict]:
    """The current placements for the timeline chart (start, end, today's share)."""
    return [{"label": f"{p.person.display_name} · {p.host.name}", "kind": p.get_kind_display(),
             "start": p.start.isoformat(), "end": p.end.isoformat(), "status": p.get_status_display(),
             "url": reverse("placements:detail", args=[p.pk])} for p in rows]


@login_required
def home(request):
    user = request.user
    visible = Placement.objects.visible_to(user)
    side = text_param(request, "side")
    if works_at_museum(user) and side in ("sent", "hosted"):
        visible = visible.filter(**{"sending_id" if side == "sent" else "host_id": user.museum_id})
    else:
        side = ""
    status, rows, tabs = status_tabs(request, visible, PlacementStatus)
    page = Paginator(rows.select_related("person", "sending", "host", "mentor")
                     .annotate(n_reports=Count("reports")).order_by("-start", "-id"), PAGE_SIZE
                     ).get_page(int_param(request, "page", minimum=1))
    current = list(visible.filter(status__in=PLACEMENT_OPEN).select_related("person", "host")
                   .order_by("start", "pk")[:CHART_ROWS])
    return render(request, "placements/home.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status, "side": side,
        "at_museum": works_at_museum(user), "rule": PlacementRule.current(),
        "may_request": user.has_perm("placements.request_placement"),
        "gantt": _gantt(current), "today": timezone.localdate().isoformat(),
    })


@login_required
def create(request):
    user = request.user
    require(user, "placements.request_placement")
    museum = user.museum
    form = PlacementForm(request.POST or None, museum=museum, hosts=host_choices(museum.pk))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            placement = services.placement_request(
                by=user, host=d["host"], person=d["person"], kind=d["kind"], start=d["start"], end=d["end"],
                goals=d["goals"], department=d["department"], mentor=d["mentor"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "申请已提交，接收馆的馆管理员会收到通知。")
            return redirect("placements:detail", pk=placement.pk)
    return render(request, "placements/form.html", {"nav": NAV, "form": form, "rule": PlacementRule.current()},
                  status=400 if form.errors else 200)


def _placement(request, pk: int, *, change: str | None = None) -> Placement:
    return get_for_user(request.user, Placement.objects.select_related(
        "person", "sending", "host", "mentor", "pairing", "requested_by"),
        view="placements.view_placement", change=change, pk=pk)


def certificate_link(certificate) -> str:
    """The certificate's PDF once the learning app serves it (its page may not exist yet)."""
    if certificate is None:
        return ""
    try:
        return reverse("learning:certificate_pdf", args=[certificate.pk])
    except NoReverseMatch:
        return ""


def _render(request, placement: Placement, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    today = timezone.localdate()
    reports = list(placement.reports.prefetch_related(FILES).select_related("commented_by").order_by("month"))
    for report in reports:
        report.files = _files(user, report, report.attachments.all())
    available = {m.name for m in Placement.workflow.available(placement, user)}
    host_admin = user.has_perm("placements.host_act", placement)
    sending_admin = user.has_perm("placements.sending_act", placement)
    certificate = services.certificate_of(placement) if placement.status == PlacementStatus.COMPLETED else None
    is_person = placement.person_id == user.pk
    running = placement.status in (PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETED)
    context = {
        "nav": NAV, "p": placement, "side": side_of(user, placement), "reports": reports,
        "late": late_months(placement, today, {r.month for r in reports})
        if placement.status == PlacementStatus.IN_PROGRESS else [],
        "certificate": certificate, "certificate_url": certificate_link(certificate),
        "may_agree": host_admin and "agree" in available,
        "may_decline": host_admin and "decline" in available,
        "may_start": host_admin and "start" in available and placement.start <= today,
        "may_complete": host_admin and "complete" in available,
        "may_withdraw": sending_admin and "withdraw" in available,
        "may_cancel": user.has_perm("placements.cancel_placement", placement) and "cancel" in available,
        "may_report": is_person and running,
        "may_comment": user.has_perm("placements.comment_report", placement),
        "agree_form": forms.get("agree") or AgreeForm(host_id=placement.host_id,
                                                      initial={"mentor": placement.mentor,
                                                               "department": placement.department}),
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "withdraw_form": forms.get("withdraw") or ReasonForm(prefix="withdraw"),
        "cancel_form": forms.get("cancel") or ReasonForm(prefix="cancel"),
        "complete_form": forms.get("complete") or CompleteForm(),
        "comment_form": forms.get("comment") or CommentForm(),
        "blank_comment_form": CommentForm(),
        "comment_report": forms.get("comment_report"),
        # the start button has no fields: its refusal (not yet the start date, no longer agreed) is said at the top
        "start_errors": forms["start"].non_field_errors() if "start" in forms else [],
    }
    return render(request, "placements/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _render(request, _placement(request, pk))


def _act(request, pk: int, perm: str, form_class, key: str, call, success: str, prefix: str | None = None,
         **form_kwargs):
    placement = _placement(request, pk, change=perm)
    form = form_class(request.POST, request.FILES, prefix=prefix, **form_kwargs)
    if form.is_valid():
        try:
            call(placement, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("placements:detail", pk=placement.pk)
    return _render(request, placement, forms={key: form}, status=400)


class _NoFields(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.clear()


@login_required
@require_POST
def agree(request, pk: int):
    host_id = Placement.objects.filter(pk=pk).values_list("host_id", flat=True).first()
    return _act(request, pk, "placements.host_act", AgreeForm, "agree",
                lambda p, d: services.placement_agree(placement=p, by=request.user, mentor=d["mentor"],
                                                      department=d["department"]),
                "已同意接收，派出馆、本人和指导老师会收到通知。", host_id=host_id)


@login_required
@require_POST
def decline(request, pk: int):
    return _act(request, pk, "placements.host_act", ReasonForm, "decline",
                lambda p, d: services.placement_decline(placement=p, by=request.user, reason=d["reason"]),
                "已婉拒。", prefix="decline")


@login_required
@require_POST
def withdraw(request, pk: int):
    return _act(request, pk, "placements.sending_act", ReasonForm, "withdraw",
                lambda p, d: services.placement_withdraw(placement=p, by=request.user, reason=d["reason"]),
                "申请已撤回。", prefix="withdraw")


@login_required
@require_POST
def start(request, pk: int):
    return _act(request, pk, "placements.host_act", _NoFields, "start",
                lambda p, d: services.placement_start(placement=p, by=request.user), "已确认报到，跟班学习开始。")


@login_required
@require_POST
def cancel(request, pk: int):
    return _act(request, pk, "placements.cancel_placement", ReasonForm, "cancel",
                lambda p, d: services.placement_cancel(placement=p, by=request.user, reason=d["reason"]),
                "已中止。", prefix="cancel")


@login_required
@require_POST
def complete(request, pk: int):
    return _act(request, pk, "placements.host_act", CompleteForm, "complete",
                lambda p, d: services.placement_complete(placement=p, by=request.user, grade=d["grade"],
                                                         assessment=d["assessment"]),
                "考核已提交，跟班学习结业：证书已发放（不合格除外），已记入帮扶台账。")


@login_required
def report_add(request, pk: int):
    user = request.user
    placement = _placement(request, pk, change="placements.write_report")
    today = timezone.localdate()
    reported = set(placement.reports.values_list("month", flat=True))
    due = [m for m in placement.report_months(today) if m not in reported]
    form = ReportForm(request.POST or None, request.FILES or None,
                      initial={"month": due[0] if due else today.replace(day=1)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.report_submit(placement=placement, by=user, month=d["month"], work_done=d["work_done"],
                                   learned=d["learned"], next_plan=d["next_plan"], file=d.get("file"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "月度报告已提交，指导老师会收到通知。")
            return redirect("placements:detail", pk=placement.pk)
    return render(request, "placements/report_form.html", {"nav": NAV, "p": placement, "form": form, "due": due},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def report_comment(request, pk: int, report_pk: int):
    placement = _placement(request, pk, change="placements.comment_report")
    report = MonthlyReport.objects.filter(placement=placement, pk=report_pk).first()
    if report is None:
        raise Http404("未找到。")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.report_comment(report=report, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "点评已保存。")
            return redirect("placements:detail", pk=placement.pk)
    return _render(request, placement, forms={"comment": form, "comment_report": report.pk}, status=400)


@login_required
def mine(request):
    """The placed person's own placements (and those they mentor)."""
    user = request.user
    own = list(Placement.objects.filter(person=user).select_related("host", "sending", "mentor")
               .annotate(n_reports=Count("reports")).order_by("-start", "-id"))
    today = timezone.localdate()
    reports = {}
    for r in MonthlyReport.objects.filter(placement__in=[p.pk for p in own]).values_list("placement_id", "month"):
        reports.setdefault(r[0], set()).add(r[1])
    for p in own:
        p.late = late_months(p, today, reports.get(p.pk, set())) if p.status == PlacementStatus.IN_PROGRESS else []
    mentored = list(Placement.objects.filter(mentor=user).select_related("person", "sending")
                    .annotate(waiting=Count("reports", filter=Q(reports__comment="")))
                    .order_by("-start", "-id"))
    return render(request, "placements/mine.html", {"nav": NAV, "own": own, "mentored": mentored})


@login_required
def rule(request):
    user = request.user
    require(user, "placements.view_rule")
    current = PlacementRule.current()
    may_edit = user.has_perm("placements.edit_rule")
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("只有协会可以修改规则。")
    form = RuleForm(request.POST or None, instance=current if request.method != "POST" else None,
                    initial={"min_months": current.min_months, "max_months": current.max_months,
                             "credit_hours": current.credit_hours})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.rule_update(by=user, min_months=d["min_months"], max_months=d["max_months"],
                                 credit_hours=d["credit_hours"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "规则已保存，新的申请按新规则检查。")
            return redirect("placements:rule")
    return render(request, "placements/rule.html", {"nav": NAV, "rule": current, "form": form,
                                                    "may_edit": may_edit}, status=400 if form.errors else 200)


# --- visits ---------------------------------------------------------------------------------------------------


@login_required
def visits(request):
    user = request.user
    visible = Visit.objects.visible_to(user)
    status, rows, tabs = status_tabs(request, visible, VisitStatus)
    page = Paginator(rows.select_related("helper", "helped").order_by("-start", "-id"), PAGE_SIZE).get_page(
        int_param(request, "page", minimum=1))
    return render(request, "placements/visit_list.html", {
        "nav": VISITS_NAV, "page": page, "tabs": tabs, "status": status,
        "may_propose": user.has_perm("placements.propose_visit")})


@login_required
def visit_create(request):
    user = request.user
    require(user, "placements.propose_visit")
    form = VisitForm(request.POST or None, partners=partner_choices(user.museum_id))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = services.visit_propose(by=user, partner=d["partner"], title=d["title"], start=d["start"],
                                           end=d["end"], agenda=d["agenda"], visitors=d["visitors"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已发出，对方馆管理员会收到通知。")
            return redirect("placements:visit", pk=visit.pk)
    return render(request, "placements/visit_form.html", {"nav": VISITS_NAV, "form": form},
                  status=400 if form.errors else 200)


def _visit(request, pk: int, *, change: str | None = None) -> Visit:
    return get_for_user(request.user, Visit.objects.select_related("helper", "helped", "proposed_by", "pairing")
                        .prefetch_related(FILES, "visitor_users"), view="placements.view_visit", change=change,
                        pk=pk)


def _visit_render(request, visit: Visit, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    available = {m.name for m in Visit.workflow.available(visit, user)}
    responder = user.has_perm("placements.respond_visit", visit)
    context = {
        "nav": VISITS_NAV, "v": visit, "side": side_of(user, visit),
        "files": _files(user, visit, visit.attachments.all()),
        "photos": [a for a in visit.attachments.all() if a.kind == "photo"],
        "may_agree": responder and "agree" in available,
        "may_decline": responder and "decline" in available,
        "may_complete": user.has_perm("placements.report_visit", visit) and "complete" in available
        and visit.start <= timezone.localdate(),
        "may_cancel": user.has_perm("placements.cancel_visit", visit) and "cancel" in available,
        "may_file": user.has_perm("placements.change_visit", visit) and visit.status != VisitStatus.CANCELLED,
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "cancel_form": forms.get("cancel") or ReasonForm(prefix="cancel"),
        "complete_form": forms.get("complete") or VisitCompleteForm(),
        "attachment_form": forms.get("file") or AttachmentForm(),
    }
    # a move refused while its form is no longer shown (done or cancelled meanwhile by the other admin, the agree
    # button that has no form) is said at the top instead of a silent 400
    shown = {"decline": "may_decline", "cancel": "may_cancel", "complete": "may_complete", "file": "may_file"}
    context["action_errors"] = [m for key, form in forms.items() if not context.get(shown.get(key, ""))
                                for ms in form.errors.values() for m in ms]
    return render(request, "placements/visit_detail.html", context, status=status)


@login_required
def visit_detail(request, pk: int):
    return _visit_render(request, _visit(request, pk))


def _visit_act(request, pk: int, perm: str, form_class, key: str, call, success: str, prefix: str | None = None):
    visit = _visit(request, pk, change=perm)
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        try:
            call(visit, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("placements:visit", pk=visit.pk)
    return _visit_render(request, visit, forms={key: form}, status=400)


@login_required
@require_POST
def visit_agree(request, pk: int):
    return _visit_act(request, pk, "placements.respond_visit", _NoFields, "agree",
                      lambda v, d: services.visit_agree(visit=v, by=request.user), "已确认，对方会收到通知。")


@login_required
@require_POST
def visit_decline(request, pk: int):
    return _visit_act(request, pk, "placements.respond_visit", ReasonForm, "decline",
                      lambda v, d: services.visit_decline(visit=v, by=request.user, reason=d["reason"]),
                      "已婉拒。", prefix="decline")


@login_required
@require_POST
def visit_cancel(request, pk: int):
    return _visit_act(request, pk, "placements.cancel_visit", ReasonForm, "cancel",
                      lambda v, d: services.visit_cancel(visit=v, by=request.user, reason=d["reason"]),
                      "已取消。", prefix="cancel")


@login_required
@require_POST
def visit_complete(request, pk: int):
    return _visit_act(request, pk, "placements.report_visit", VisitCompleteForm, "complete",
                      lambda v, d: services.visit_complete(visit=v, by=request.user, report=d["report"],
                                                           people_trained=d.get("people_trained") or 0,
                                                           photos=[d.get("photo")]),
                      "指导报告已提交，已记入帮扶台账。")


@login_required
@require_POST
def visit_file_add(request, pk: int):
    return _visit_act(request, pk, "placements.change_visit", AttachmentForm, "file",
                      lambda v, d: services.visit_file_add(visit=v, by=request.user, **d), "已上传。")
