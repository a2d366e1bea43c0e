"""远程咨询 pages: the questions (tabs by status, filters, "questions I can answer"), asking, one question with its
answers, comments and meetings, the knowledge base search, the 待回答 list, the meeting pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.areas import Area
from bangfu.core.attachments import may_remove
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.core.workflow import status_tabs
from bangfu.permissions import get_for_user, require

from . import selectors, services
from .forms import (
    AcceptForm,
    AnswerForm,
    AskForm,
    CommentForm,
    MeetingForm,
    ReasonForm,
    RecordForm,
    RescheduleForm,
)
from .models import Answer, Meeting, MeetingStatus, Question, QuestionStatus

NAV = "consulting"
PAGE_SIZE = 20
FILES = Prefetch("attachments", queryset=Attachment.objects.select_related("added_by").order_by("pk"))


def _files(user, owner) -> list[Attachment]:
    rows = list(owner.attachments.all())
    for attachment in rows:
        attachment.owner = owner
        attachment.removable = may_remove(user, attachment)
    return rows


# --- lists ----------------------------------------------------------------------------------------------------

@login_required
def question_list(request):
    user = request.user
    require(user, "consulting.view")
    filters = selectors.Filters.of(request.GET)
    mine = text_param(request, "for")
    visible = selectors.filtered(Question.objects.visible_to(user), filters)
    if mine == "me":
        visible = selectors.for_answerer(user, visible)
    elif mine == "asked":
        visible = visible.filter(museum_id=user.museum_id) if user.museum_id else visible.none()
    words = []
    if filters.q:
        visible, words = selectors.search_questions(visible, filters.q)
    status, rows, tabs = status_tabs(request, visible, QuestionStatus)
    if not words:
        rows = rows.order_by("-created_at", "-id")
    page = Paginator(rows.with_lists(), PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "consulting/question_list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status, "filters": filters, "mine": mine,
        "areas": Area.choices, "words": words,
        "may_ask": user.has_perm("consulting.ask"), "may_answer": user.has_perm("consulting.answer_any"),
        "figures": selectors.area_figures(), "within_days": selectors.ANSWERED_WITHIN_DAYS,
    })


@login_required
def todo(request):
    """待回答: what the user (an expert, a helper's staff member, the association) is asked to answer."""
    user = request.user
    require(user, "consulting.view")
    rows = selectors.for_answerer(user).with_lists().order_by("created_at", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "consulting/todo.html", {
        "nav": NAV, "page": page, "may_answer": user.has_perm("consulting.answer_any")})


@login_required
def knowledge(request):
    user = request.user
    require(user, "consulting.view")
    filters = selectors.Filters.of(request.GET)
    rows, words, partial = selectors.knowledge(filters)
    page = Paginator(rows, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    selectors.with_snippets(page.object_list, words)
    return render(request, "consulting/knowledge.html", {
        "nav": NAV, "page": page, "filters": filters, "words": words, "areas": Area.choices, "partial": partial,
        "total": Question.objects.knowledge().count(), "may_ask": request.user.has_perm("consulting.ask"),
    })


# --- one question -----------------------------------------------------------------------------------------------

@login_required
def ask(request):
    user = request.user
    require(user, "consulting.ask")
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            question = services.question_ask(by=user, area=d["area"], title=d["title"], body=d["body"],
                                             tags=d["tags"], files=d["files"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "问题已提出；帮扶馆和相关领域的专家会收到通知。")
            return redirect("consulting:question", pk=question.pk)
    return render(request, "consulting/ask.html", {"nav": NAV, "form": form}, status=400 if form.errors else 200)


def _question(request, pk: int, *, change: str | None = None) -> Question:
    return get_for_user(request.user, Question.objects.select_related("museum", "asked_by", "accepted_answer")
                        .prefetch_related(FILES), view="consulting.view_question", change=change, pk=pk)


def _render(request, question: Question, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    answers = list(question.answers.select_related("author", "museum").order_by("created_at", "pk"))
    comments = list(question.comments.select_related("author", "author__museum").order_by("created_at", "pk"))
    meetings = list(question.meetings.select_related("booked_by").annotate(n_people=Count("participants"))
                    .order_by("starts_at", "pk"))
    may_accept = user.has_perm("consulting.accept", question)
    context = {
        "nav": NAV, "question": question, "answers": answers, "comments": comments, "meetings": meetings,
        "files": _files(user, question),
        "may_answer": user.has_perm("consulting.answer", question),
        "may_comment": user.has_perm("consulting.comment", question),
        "may_accept": may_accept, "may_close": user.has_perm("consulting.close", question),
        "may_file": user.has_perm("consulting.add_question_file", question) and question.is_waiting,
        "may_book": user.has_perm("consulting.book_meeting", question) and question.status != QuestionStatus.CLOSED,
        "answer_form": forms.get("answer") or AnswerForm(),
        "comment_form": forms.get("comment") or CommentForm(),
        "close_form": forms.get("close") or ReasonForm(),
        "attachment_form": forms.get("file") or AttachmentForm(),
        # the accept buttons carry a hidden answer id: a refusal is said above the answers, not beside a field
        "accept_errors": [m for ms in forms["accept"].errors.values() for m in ms] if "accept" in forms else [],
    }
    return render(request, "consulting/question_detail.html", context, status=status)


@login_required
def question_detail(request, pk: int):
    return _render(request, _question(request, pk))


def _act(request, pk: int, perm: str, form_class, key: str, call, success: str):
    question = _question(request, pk, change=perm)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(question, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("consulting:question", pk=question.pk)
    return _render(request, question, forms={key: form}, status=400)


@login_required
@require_POST
def answer_add(request, pk: int):
    return _act(request, pk, "consulting.answer", AnswerForm, "answer",
                lambda q, d: services.answer_add(question=q, by=request.user, body=d["body"]),
                "回答已发表，提问人会收到通知。")


@login_required
@require_POST
def comment_add(request, pk: int):
    return _act(request, pk, "consulting.comment", CommentForm, "comment",
                lambda q, d: services.comment_add(question=q, by=request.user, body=d["body"]), "评论已发表。")


@login_required
@require_POST
def accept(request, pk: int):
    def call(question, d):
        answer = Answer.objects.filter(pk=d["answer"], question=question).first()
        if answer is None:
            raise ValidationError({"answer": "请选择本问题下的一个回答。"})
        services.answer_accept(question=question, answer=answer, by=request.user)
    return _act(request, pk, "consulting.accept", AcceptForm, "accept", call, "已采纳回答，问答已收入知识库。")


@login_required
@require_POST
def close(request, pk: int):
    return _act(request, pk, "consulting.close", ReasonForm, "close",
                lambda q, d: services.question_close(question=q, by=request.user, reason=d["reason"]), "问题已关闭。")


@login_required
@require_POST
def question_file_add(request, pk: int):
    return _act(request, pk, "consulting.add_question_file", AttachmentForm, "file",
                lambda q, d: services.question_file_add(question=q, by=request.user, file=d.get("file"),
                                                        link=d.get("link") or "", caption=d.get("caption") or ""),
                "附件已上传。")


# --- meetings ---------------------------------------------------------------------------------------------------

@login_required
def meeting_book(request, pk: int):
    user = request.user
    question = _question(request, pk, change="consulting.book_meeting")
    people = services.participant_choices(question).select_related("museum")
    form = MeetingForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_book(question=question, by=user, starts_at=d["starts_at"], link=d["link"],
                                            duration_minutes=d["duration_minutes"],
                                            meeting_code=d["meeting_code"], participants=d["participants"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "在线咨询已预约，参加人会收到通知。")
            return redirect("consulting:meeting", pk=meeting.pk)
    return render(request, "consulting/meeting_form.html", {"nav": NAV, "form": form, "question": question},
                  status=400 if form.errors else 200)


def _meeting(request, pk: int, *, change: str | None = None) -> Meeting:
    return get_for_user(request.user, Meeting.objects.select_related("question", "question__museum", "booked_by")
                        .prefetch_related(FILES), view="consulting.view_meeting", change=change, pk=pk)


def _render_meeting(request, meeting: Meeting, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    may_change = user.has_perm("consulting.change_meeting", meeting)
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    started = meeting.starts_at <= timezone.now()
    local = timezone.localtime(meeting.starts_at)
    may_record = may_change and scheduled and started
    # a record refused while its form is hidden (moved later, cancelled meanwhile) is said where the form would be
    record_errors = ([m for ms in forms["record"].errors.values() for m in ms]
                     if "record" in forms and not may_record else [])
    return render(request, "consulting/meeting_detail.html", {
        "nav": NAV, "meeting": meeting, "question": meeting.question,
        "participants": list(meeting.participants.select_related("museum").order_by("pk")),
        "files": _files(user, meeting), "may_change": may_change,
        "may_record": may_record, "record_errors": record_errors,
        "may_join": may_change,  # the link and the meeting number: its people, not every signed-in reader
        "may_reschedule": may_change and scheduled, "may_cancel": may_change and scheduled,
        "may_file": may_change and meeting.status == MeetingStatus.HELD,
        "record_form": forms.get("record") or RecordForm(),
        "reschedule_form": forms.get("reschedule") or RescheduleForm(initial={
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": meeting.duration_minutes}),
        "cancel_form": forms.get("cancel") or ReasonForm(),
        "attachment_form": forms.get("file") or AttachmentForm(),
    }, status=status)


@login_required
def meeting_detail(request, pk: int):
    return _render_meeting(request, _meeting(request, pk))


def _meeting_act(request, pk: int, form_class, key: str, call, success: str):
    meeting = _meeting(request, pk, change="consulting.change_meeting")
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(meeting, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("consulting:meeting", pk=meeting.pk)
    return _render_meeting(request, meeting, forms={key: form}, status=400)


@login_required
@require_POST
def meeting_reschedule(request, pk: int):
    return _meeting_act(request, pk, RescheduleForm, "reschedule",
                        lambda m, d: services.meeting_reschedule(meeting=m, by=request.user, starts_at=d["starts_at"],
                                                                 duration_minutes=d["duration_minutes"],
                                                                 link=d.get("link") or ""),
                        "会议已改期，参加人会收到通知。")


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    return _meeting_act(request, pk, ReasonForm, "cancel",
                        lambda m, d: services.meeting_cancel(meeting=m, by=request.user, reason=d["reason"]),
                        "会议已取消。")


@login_required
@require_POST
def meeting_record(request, pk: int):
    return _meeting_act(request, pk, RecordForm, "record",
                        lambda m, d: services.meeting_record(meeting=m, by=request.user, minutes=d["minutes"],
                                                             conclusions=d["conclusions"], files=d["files"]),
                        "会议记录已保存。")


@login_required
@require_POST
def meeting_file_add(request, pk: int):
    return _meeting_act(request, pk, AttachmentForm, "file",
                        lambda m, d: services.meeting_file_add(meeting=m, by=request.user, file=d.get("file"),
                                                               link=d.get("link") or "",
                                                               caption=d.get("caption") or ""),
                        "附件已上传。")


urlpatterns = [
    path("", question_list, name="home"),
    path("ask/", ask, name="ask"),
    path("todo/", todo, name="todo"),
    path("knowledge/", knowledge, name="knowledge"),
    path("questions/<int:pk>/", question_detail, name="question"),
    path("questions/<int:pk>/answers/", answer_add, name="answer_add"),
    path("questions/<int:pk>/comments/", comment_add, name="comment_add"),
    path("questions/<int:pk>/accept/", accept, name="accept"),
    path("questions/<int:pk>/close/", close, name="close"),
    path("questions/<int:pk>/files/", question_file_add, name="question_file_add"),
    path("questions/<int:pk>/meetings/new/", meeting_book, name="meeting_book"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting"),
    path("meetings/<int:pk>/reschedule/", meeting_reschedule, name="meeting_reschedule"),
    path("meetings/<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/record/", meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/files/", meeting_file_add, name="meeting_file_add"),
]
