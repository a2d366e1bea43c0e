"""Training class pages: the classes to join, one class (timetable, quotas, nominating staff), my classes (sessions,
sign-in, certificates), the organiser's page (nominations and waiting list, attendance grid, assessment, completion,
certificates, feedback, charts), the session's code and QR page, the phone sign-in pages, the class and session
forms."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, Sum
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from bangfu.core.attachments import attachment_add, may_remove
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.params import int_param, text_param
from bangfu.core.qr import qr_svg
from bangfu.learning.models import Certificate
from bangfu.permissions import get_for_user, require

from . import services
from .forms import ClassForm, CodeForm, CompleteForm, FeedbackForm, NominateForm, ReasonForm, SessionForm
from .models import (
    Attendance,
    ClassMuseum,
    ClassStatus,
    Feedback,
    Nomination,
    NominationState,
    Session,
    Topic,
    TrainingClass,
)

NAV = "training"
PAGE_SIZE = 30
VIEW, MANAGE = "training.view_class", "training.manage_class"


def _class(request, pk: int, *, change: str | None = None) -> TrainingClass:
    return get_for_user(request.user, TrainingClass.objects.select_related("organiser_museum", "host"),
                        view=VIEW, change=change, pk=pk)


def certificate_url(certificate) -> str:
    """The certificate's PDF (the learning pages; "" before they are installed)."""
    try:
        return reverse("learning:certificate_pdf", args=[certificate.pk])
    except NoReverseMatch:
        return ""


@login_required
def class_list(request):
    user = request.user
    area = text_param(request, "area")
    rows = TrainingClass.objects.visible_to(user).select_related("organiser_museum", "host")
    if area in Topic.values:
        rows = rows.filter(area=area)
    show = text_param(request, "show")
    rows = rows.filter(status=ClassStatus.PUBLISHED) if show != "all" else rows
    page = Paginator(rows.order_by("-start", "-id"), PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    # The page's hours and accepted counts in two grouped queries over its 50 classes: annotating the whole list
    # joined every class's sessions with its nominations before the page was cut (seconds at 5,000 classes).
    page.object_list = classes = list(page.object_list)
    ids = [c.pk for c in classes]
    hours = dict(Session.objects.filter(klass_id__in=ids).order_by().values("klass_id")
                 .annotate(t=Sum("hours")).values_list("klass_id", "t"))
    accepted = dict(Nomination.objects.filter(klass_id__in=ids, state=NominationState.ACCEPTED).order_by()
                    .values("klass_id").annotate(n=Count("pk")).values_list("klass_id", "n"))
    for c in classes:
        c.total_hours, c.n_accepted = hours.get(c.pk), accepted.get(c.pk, 0)
    return render(request, "training/class_list.html", {
        "nav": NAV, "page": page, "areas": Topic.choices, "area": area, "show": show,
        "may_create": user.has_perm("training.add_class")})


def _quota_rows(klass: TrainingClass):
    """Accepted and waiting counts by museum (one query)."""
    rows = (klass.nominations.filter(state__in=[NominationState.ACCEPTED, NominationState.WAITING])
            .values("museum__name", "museum_id")
            .annotate(accepted=Count("pk", filter=Q(state=NominationState.ACCEPTED)),
                      waiting=Count("pk", filter=Q(state=NominationState.WAITING))).order_by("museum__name"))
    return list(rows)


@login_required
def class_detail(request, pk: int, *, nominate_form=None):
    user = request.user
    klass = _class(request, pk)
    sessions = list(klass.sessions.prefetch_related("experts").order_by("start", "pk"))
    total = sum((s.hours for s in sessions), Decimal("0"))
    quotas = _quota_rows(klass)
    accepted = sum(r["accepted"] for r in quotas)
    mine = None
    if user.museum_id:
        mine = next((r for r in quotas if r["museum_id"] == user.museum_id), {"accepted": 0, "waiting": 0})
    own = klass.nominations.filter(person=user).first()
    may_nominate = user.has_perm("training.nominate", klass)
    staff_states = []
    if may_nominate:
        states = {n.person_id: n for n in klass.nominations.filter(museum_id=user.museum_id)}
        staff = services.staff_of(user.museum)
        nominate_form = nominate_form or NominateForm(staff=staff.exclude(pk__in=[
            p for p, n in states.items() if n.state != NominationState.WITHDRAWN]))
        staff_states = [(person, states.get(person.pk)) for person in staff]
    return render(request, "training/class_detail.html", {
        "nav": NAV, "klass": klass, "sessions": sessions, "total": total, "quotas": quotas,
        "accepted": accepted, "remaining": max(klass.places - accepted, 0), "mine": mine, "own": own,
        "eligibility_error": services.eligibility_error(klass, user.museum) if user.museum_id else "",
        "may_nominate": may_nominate, "nominate_form": nominate_form, "staff_states": staff_states,
        "may_manage": user.has_perm(MANAGE, klass),
        "files": list(klass.attachments.order_by("pk")),
        "feedback_form": FeedbackForm() if (own and own.state == NominationState.ACCEPTED
                                            and klass.status == ClassStatus.COMPLETED
                                            and not Feedback.objects.filter(klass=klass, person=user).exists())
        else None,
    }, status=400 if nominate_form is not None and nominate_form.errors else 200)


@login_required
@require_POST
def nominate(request, pk: int):
    user = request.user
    klass = _class(request, pk, change="training.nominate")
    form = NominateForm(request.POST, staff=services.staff_of(user.museum))
    if form.is_valid():
        try:
            rows = services.nominate(klass=klass, by=user, people=list(form.cleaned_data["people"]))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            counts = Counter(n.state for n in rows)
            messages.success(request, f"已推荐 {len(rows)} 人：录取 {counts[NominationState.ACCEPTED]} 人，"
                                      f"候补 {counts[NominationState.WAITING]} 人。")
            return redirect("training:class", pk=klass.pk)
    return class_detail(request, pk, nominate_form=form)


@login_required
@require_POST
def nomination_act(request, pk: int, action: str):
    user = request.user
    nomination = get_object_or_404(Nomination.objects.select_related("klass", "person"), pk=pk)
    klass = get_for_user(user, TrainingClass.objects.all(), view=VIEW, pk=nomination.klass_id)
    calls = {
        "withdraw": (lambda: services.nomination_withdraw(nomination=nomination, by=user), "已退出培训班。"),
        "reject": (lambda: services.nomination_reject(nomination=nomination, by=user,
                                                      reason=text_param(request.POST, "reason")), "已不予录取。"),
        "accept": (lambda: services.nomination_accept(nomination=nomination, by=user), "已录取。"),
    }
    if action not in calls:
        return redirect("training:class", pk=klass.pk)
    if action == "withdraw":
        require(user, "training.withdraw", nomination)
    else:
        require(user, MANAGE, klass)
    call, success = calls[action]
    try:
        call()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    target = "training:manage" if action != "withdraw" and user.has_perm(MANAGE, klass) else "training:class"
    return redirect(target, pk=klass.pk)


@login_required
def my_classes(request):
    user = request.user
    nominations = list(Nomination.objects.filter(person=user).exclude(state=NominationState.WITHDRAWN)
                       .select_related("klass", "klass__host").order_by("-klass__start", "-pk"))
    now = timezone.now()
    upcoming = list(Session.objects.filter(klass__nominations__person=user,
                                           klass__nominations__state=NominationState.ACCEPTED,
                                           klass__status__in=[ClassStatus.PUBLISHED, ClassStatus.CLOSED],
                                           end__gte=now).select_related("klass").order_by("start")[:20])
    signed = set(Attendance.objects.filter(nomination__person=user, session__in=upcoming)
                 .values_list("session_id", flat=True))
    for session in upcoming:
        opens, closes = services.window_of(session)
        session.open_now = opens <= now <= closes
        session.signed = session.pk in signed
    certificates = {c.source_id: c for c in Certificate.objects.filter(person=user, source_type=services.SOURCE)}
    for nomination in nominations:
        nomination.certificate = certificates.get(nomination.klass_id)
        nomination.certificate_url = certificate_url(nomination.certificate) if nomination.certificate else ""
    teaching = list(Session.objects.filter(experts__user=user, experts__is_active=True, end__gte=now)
                    .exclude(klass__status__in=[ClassStatus.DRAFT, ClassStatus.CANCELLED])
                    .select_related("klass").order_by("start")[:20])
    return render(request, "training/my_classes.html", {"nav": "training-mine", "nominations": nominations,
                                                         "upcoming": upcoming, "teaching": teaching})


def _class_form_page(request, form, klass=None, status=200):
    return render(request, "training/class_form.html", {"nav": NAV, "form": form, "klass": klass}, status=status)


@login_required
def class_create(request):
    user = request.user
    require(user, "training.add_class")
    organiser = None if user.is_association_admin else user.museum
    form = ClassForm(request.POST or None, organiser=organiser)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cities = data.pop("cities")
        try:
            klass = services.class_create(by=user, cities=cities, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "培训班已创建（草稿）。请添加课程安排后发布。")
            return redirect("training:manage", pk=klass.pk)
    return _class_form_page(request, form, status=400 if form.errors else 200)


@login_required
def class_edit(request, pk: int):
    user = request.user
    klass = _class(request, pk, change=MANAGE)
    form = ClassForm(request.POST or None, instance=TrainingClass.objects.get(pk=klass.pk),
                     organiser=klass.organiser_museum)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cities = data.pop("cities")
        try:
            services.class_update(klass=klass, by=user, cities=cities, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "培训班已保存。")
            return redirect("training:manage", pk=klass.pk)
    return _class_form_page(request, form, klass, status=400 if form.errors else 200)


@login_required
@require_POST
def class_move(request, pk: int, move: str):
    user = request.user
    klass = _class(request, pk, change=MANAGE)
    calls = {"publish": services.class_publish, "close": services.class_close, "reopen": services.class_reopen}
    try:
        if move == "cancel":
            services.class_cancel(klass=klass, by=user, reason=text_param(request.POST, "reason"))
        elif move in calls:
            calls[move](klass=klass, by=user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "培训班状态已更新。")
    return redirect("training:manage", pk=klass.pk)


# One cell of the attendance grid (a form marking the person present or absent), written in Python: through the
# template language the 3,000 cells of a class of 300 took most of the page's time (bench/people.py).
GRID_CELL = ('<td class="text-center"><form method="post" action="{}"><input type="hidden" '
             'name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="nomination" value="{}">'
             '<input type="hidden" name="present" value="{}"><button class="btn btn-sm p-0 border-0 bg-transparent" '
             'type="submit" aria-label="{} {} {}"{}>{}</button></form></td>')
GRID_HERE = mark_safe('<i class="bi bi-check-circle-fill text-success"></i>')  # noqa: S308 — a constant
GRID_AWAY = mark_safe('<i class="bi bi-circle text-secondary"></i>')  # noqa: S308 — a constant


@login_required
def class_manage(request, pk: int, *, forms: dict | None = None, status: int = 200):
    klass = _class(request, pk, change=MANAGE)
    forms = forms or {}
    sessions = list(klass.sessions.order_by("start", "pk"))
    total = sum((s.hours for s in sessions), Decimal("0"))
    nominations = list(klass.nominations.select_related("person", "museum").order_by("state", "queued_at", "pk"))
    accepted = [n for n in nominations if n.state == NominationState.ACCEPTED]
    waiting = [n for n in nominations if n.state == NominationState.WAITING]
    present = defaultdict(set)
    for session_id, nomination_id in Attendance.objects.filter(session__klass=klass).values_list(
            "session_id", "nomination_id"):
        present[nomination_id].add(session_id)
    hours_of = {s.pk: s.hours for s in sessions}
    for s in sessions:  # once per session, not once per cell of the attendance grid (300 people × 10 sessions)
        s.mark_url = reverse("training:attendance_mark", args=[s.pk])
    token, disabled = get_token(request), klass.status == ClassStatus.COMPLETED
    for n in accepted:
        n.cells = [(s, s.pk in present[n.pk]) for s in sessions]
        n.grid = format_html_join("", GRID_CELL, (
            (s.mark_url, token, n.pk, "0" if here else "1", n.person.display_name, s.title, "已到" if here else "未到",
             " disabled" if disabled else "", GRID_HERE if here else GRID_AWAY) for s, here in n.cells))
        n.hours_now = sum((hours_of[s] for s in present[n.pk] if s in hours_of), Decimal("0"))
        n.share = int(n.hours_now * 100 / total) if total else 0
        n.would_complete = services.completes(klass, n, n.hours_now, total)
    per_session = Counter(sid for ids in present.values() for sid in ids)
    certificates = list(Certificate.objects.filter(source_type=services.SOURCE, source_id=klass.pk)
                        .order_by("person_name"))
    for certificate in certificates:
        certificate.url = certificate_url(certificate)
    by_museum = Counter(n.museum.display_name for n in accepted)
    feedback = Feedback.objects.filter(klass=klass).aggregate(
        n=Count("pk"), content=Avg("content"), teachers=Avg("teachers"), organisation=Avg("organisation"))
    return render(request, "training/class_manage.html", {
        "nav": NAV, "klass": klass, "sessions": sessions, "total": total, "accepted": accepted, "waiting": waiting,
        "others": [n for n in nominations if n.state not in (NominationState.ACCEPTED, NominationState.WAITING)],
        "certificates": certificates, "feedback": feedback,
        "comments": list(Feedback.objects.filter(klass=klass).exclude(comment="").values_list("comment", flat=True)),
        "results": list(ClassMuseum.objects.filter(klass=klass).select_related("museum")),
        "session_form": forms.get("session") or SessionForm(),
        "complete_form": forms.get("complete") or CompleteForm(initial={"date": timezone.localdate()}),
        "cancel_form": ReasonForm(), "file_form": forms.get("file") or AttachmentForm(),
        "files": [_removable(request.user, a, klass) for a in klass.attachments.select_related("added_by")
                  .order_by("pk")],
        "moves": [m.name for m in TrainingClass.workflow.available(klass, request.user)],
        "attendance_chart": [{"label": s.title, "value": per_session[s.pk], "total": len(accepted)}
                             for s in sessions],
        "feedback_chart": [{"label": label, "value": round(float(feedback[key] or 0), 1)} for key, label in (
            ("content", "课程内容"), ("teachers", "授课老师"), ("organisation", "组织服务"))] if feedback["n"] else [],
        "museum_chart": [{"label": name, "value": count} for name, count in by_museum.most_common()],
    }, status=status)


def _removable(user, attachment, owner):
    attachment.owner = owner
    attachment.removable = may_remove(user, attachment)
    return attachment


@login_required
@require_POST
def session_add(request, pk: int):
    klass = _class(request, pk, change=MANAGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(klass=klass, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "课程已添加。")
            return redirect("training:manage", pk=klass.pk)
    return class_manage(request, pk, forms={"session": form}, status=400)


def _session(request, pk: int, *, change: str | None = MANAGE) -> Session:
    session = get_object_or_404(Session.objects.select_related("klass"), pk=pk)
    session.klass = _class(request, session.klass_id, change=change)
    return session


@login_required
def session_edit(request, pk: int):
    session = _session(request, pk)
    form = SessionForm(request.POST or None, initial={
        "title": session.title, "start": timezone.localtime(session.start), "end": timezone.localtime(session.end),
        "hours": session.hours, "experts": list(session.experts.all()), "teacher_names": session.teacher_names,
        "place": session.place})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "课程已保存。")
            return redirect("training:manage", pk=session.klass_id)
    return render(request, "training/session_form.html", {"nav": NAV, "form": form, "session": session,
                                                          "klass": session.klass},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def session_remove(request, pk: int):
    session = _session(request, pk)
    try:
        services.session_remove(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "课程已删除。")
    return redirect("training:manage", pk=session.klass_id)


def _checkin_url(request, session: Session) -> str:
    return request.build_absolute_uri(reverse("training:checkin", args=[session.code]))


def _shown_session(request, pk: int) -> Session:
    """A session whose sign-in code the user may show: its class's organiser, one of its teachers from the expert
    pool, or an admin of the host museum (others who see the class get 403, the rest 404)."""
    return get_for_user(request.user, Session.objects.select_related("klass", "klass__host", "klass__organiser_museum"),
                        view="training.view_session", change="training.show_code", pk=pk)


@login_required
def session_detail(request, pk: int):
    """The page the teacher shows: the sign-in code and its QR code, who has signed in (the organiser also marks
    attendance by hand here)."""
    session = _shown_session(request, pk)
    klass = session.klass
    present = set(session.attendance.values_list("nomination_id", flat=True))
    people = list(klass.nominations.filter(state=NominationState.ACCEPTED).select_related("person", "museum")
                  .order_by("museum__name", "pk"))
    for n in people:
        n.present = n.pk in present
    opens, closes = services.window_of(session)
    return render(request, "training/session.html", {
        "nav": NAV, "klass": klass, "session": session, "people": people, "count": len(present),
        "opens": opens, "closes": closes, "checkin_url": _checkin_url(request, session),
        "may_manage": request.user.has_perm(MANAGE, klass),
        "mark_url": reverse("training:attendance_mark", args=[session.pk])})


@login_required
def session_qr(request, pk: int):
    """The QR code (SVG) of a session's sign-in page, drawn server-side with reportlab."""
    session = _shown_session(request, pk)
    response = HttpResponse(qr_svg(_checkin_url(request, session), size=240), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def attendance_mark(request, pk: int):
    session = _session(request, pk)
    nomination = get_object_or_404(Nomination, pk=int_param(request.POST, "nomination") or 0,
                                   klass_id=session.klass_id)
    try:
        services.attendance_mark(session=session, nomination=nomination, by=request.user,
                                 present=request.POST.get("present") == "1")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(request.POST.get("next") == "session" and reverse("training:session", args=[session.pk])
                    or reverse("training:manage", args=[session.klass_id]) + "#attendance")


def _checkin_page(request, form, *, result=None, status=200):
    return render(request, "training/checkin.html", {"nav": "training-mine", "form": form, "result": result},
                  status=status)


@login_required
def checkin_entry(request):
    """Sign in by typing the code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _do_checkin(request, form, form.cleaned_data["code"])
    return _checkin_page(request, form, status=400 if form.errors else 200)


@login_required
def checkin(request, code: str):
    """What the QR code opens: a button to sign in to the session (a GET changes nothing)."""
    form = CodeForm(request.POST or None, initial={"code": code[:6]})
    if request.method == "POST":
        return _do_checkin(request, form, code)
    session = Session.objects.select_related("klass").filter(code=code[:6]).first() if len(code) == 6 else None
    return render(request, "training/checkin.html", {"nav": "training-mine", "form": form, "session": session,
                                                     "code": code[:6]})


def _do_checkin(request, form, code: str):
    try:
        attendance, created = services.checkin(code=code, by=request.user)
    except ValidationError as exc:
        form = CodeForm({"code": code[:6]})
        form.is_valid()
        apply_errors(form, exc)
        return _checkin_page(request, form, status=400)
    return _checkin_page(request, CodeForm(), result={"attendance": attendance, "created": created,
                                                      "session": attendance.session})


@login_required
@require_POST
def assessment(request, pk: int):
    klass = _class(request, pk, change=MANAGE)
    scores = {}
    for key, value in request.POST.items():
        if key.startswith("score-") and (nomination_id := int_param({"v": key[6:]}, "v")):
            text = value.strip()
            try:
                score = Decimal(text).quantize(Decimal("0.1")) if text else None
                if score is not None and not (score.is_finite() and 0 <= score <= 100):
                    raise ValueError(text)
            except Exception:  # InvalidOperation, ValueError: a word, NaN, out of range
                messages.error(request, "成绩须为 0–100 的数字。")
                return redirect("training:manage", pk=klass.pk)
            scores[nomination_id] = score
    try:
        changed = services.assessment_record(klass=klass, by=request.user, scores=scores)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已保存 {changed} 人的成绩。")
    return redirect("training:manage", pk=klass.pk)


@login_required
@require_POST
def complete(request, pk: int):
    klass = _class(request, pk, change=MANAGE)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            completers = services.class_complete(klass=klass, by=request.user, date=form.cleaned_data["date"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                # About the class (already completed in another tab, not yet ended): the form may no longer be on
                # the page to show it, so it is said above the page.
                messages.error(request, "；".join(exc.messages))
                return redirect("training:manage", pk=klass.pk)
            apply_errors(form, exc)
        else:
            messages.success(request, f"培训班已结业：{len(completers)} 人结业，证书与学时已记录，台账已登记。")
            return redirect("training:manage", pk=klass.pk)
    return class_manage(request, pk, forms={"complete": form}, status=400)


@login_required
@require_POST
def feedback(request, pk: int):
    klass = _class(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_give(klass=klass, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "感谢您的评价。")
    else:
        messages.error(request, "请为每一项打分。")
    return redirect("training:class", pk=klass.pk)


@login_required
@require_POST
def file_add(request, pk: int):
    klass = _class(request, pk, change="training.change_class")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(owner=klass, by=request.user, file=form.cleaned_data.get("file"),
                           link=form.cleaned_data.get("link") or "", caption=form.cleaned_data.get("caption") or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "资料已上传。")
            return redirect("training:manage", pk=klass.pk)
    return class_manage(request, pk, forms={"file": form}, status=400)


@login_required
def museum_result(request, pk: int):
    """The page of a ledger entry's source (one sending museum's result): the class it belongs to."""
    result = get_object_or_404(ClassMuseum, pk=pk)
    klass = _class(request, result.klass_id)
    return redirect("training:class", pk=klass.pk)
