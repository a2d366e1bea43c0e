"""The 对接 pages: my threads, one thread (the conversation, the terms, completion and ratings), and the forms that
post to it. Only the two parties and the association see a thread (404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from bangfu.core.areas import Area
from bangfu.core.forms import apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.selectors import entry_for
from bangfu.permissions import get_for_user

from .. import threads as services
from ..models import Post, PostKind, PostStatus, Thread, ThreadStatus
from ..rules import POSTER, RESPONDER, thread_side
from ..thread_forms import CloseForm, CompleteForm, ConfirmMatchForm, MessageForm

PAGE_SIZE = 30
THREAD_PARTS = ("post", "post__subtype", "post__created_by", "poster_museum", "poster_expert__museum",
                "responder_museum", "responder_expert__museum", "started_by")


# --- my threads ----------------------------------------------------------------------------------------------


@login_required
def thread_list(request):
    visible = Thread.objects.visible_to(request.user)
    status = text_param(request, "status")
    area = text_param(request, "area")
    kind = text_param(request, "kind")
    filtered = visible
    if area in Area.values:
        filtered = filtered.filter(post__area=area)
    else:
        area = ""
    if kind in PostKind.values:
        filtered = filtered.filter(post__kind=kind)
    else:
        kind = ""
    counts = filtered.aggregate(all=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in ThreadStatus.values})
    if status in ThreadStatus.values:
        filtered = filtered.filter(status=status)
    else:
        status = ""
    rows = filtered.select_related(*THREAD_PARTS).order_by("-updated_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    for thread in page.object_list:
        thread.my_side = thread_side(request.user, thread)
        thread.counterpart = (thread.responder_name if thread.my_side == POSTER else thread.poster_name
                              if thread.my_side == RESPONDER else "")
    tabs = [("", "全部", counts["all"])] + [(s, label, counts[s]) for s, label in ThreadStatus.choices]
    return render(request, "exchange/threads/list.html", {
        "nav": "exchange", "page": page, "tabs": tabs, "status": status, "area": area, "kind": kind,
        "areas": Area.choices, "kinds": PostKind.choices, "everyone": request.user.is_association_admin,
    })


# --- one thread ----------------------------------------------------------------------------------------------


def _thread(request, pk: int, *, act: bool = False) -> Thread:
    return get_for_user(request.user, Thread.objects.select_related(*THREAD_PARTS), view="exchange.view_thread",
                        change="exchange.act_thread" if act else None, pk=pk)


def _contacts(thread: Thread, side: str) -> list[tuple[str, str]]:
    """How to reach one side: the post's contact (for the poster) and the museum's or the expert's details."""
    rows = []
    if side == POSTER:
        post = thread.post
        rows += [("联系人", post.contact_name), ("联系电话", post.contact_phone), ("电子邮箱", post.contact_email)]
        if not post.created_by.is_association_admin:  # who wrote the post (not the association on a museum's behalf)
            rows += [("填写人", post.created_by.display_name), ("填写人电话", post.created_by.phone)]
    museum = thread.poster_museum if side == POSTER else thread.responder_museum
    expert = thread.poster_expert if side == POSTER else thread.responder_expert
    if museum is not None:
        rows += [("本馆联系人", museum.contact_person), ("本馆电话", museum.phone), ("本馆邮箱", museum.email),
                 ("地址", museum.address)]
    elif expert is not None:
        rows += [("单位", expert.organisation), ("电话", expert.phone), ("电子邮箱", expert.email)]
    if side == RESPONDER:
        rows += [("发起人", thread.started_by.display_name), ("发起人电话", thread.started_by.phone)]
    seen, result = set(), []
    for label, value in rows:
        if value and value not in seen:
            seen.add(value)
            result.append((label, value))
    return result


def _render(request, thread: Thread, *, message_form=None, confirm_form=None, complete_form=None, close_form=None,
            status: int = 200):
    side = thread_side(request.user, thread)
    helping = side is not None and side == services.helper_side(thread)
    live = thread.status in services.LIVE
    conversation = thread.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.select_related("added_by")))
    ratings = list(thread.ratings.select_related("by"))
    entry = (entry_for(services.LEDGER_SOURCE, thread.pk)
             if thread.status == ThreadStatus.COMPLETED else None)
    sides = [
        {"key": POSTER, "label": "发布方", "name": thread.poster_name, "confirmed_at": thread.poster_confirmed_at,
         "completed_at": thread.poster_completed_at, "contacts": _contacts(thread, POSTER),
         "helping": services.helper_side(thread) == POSTER},
        {"key": RESPONDER, "label": "响应方", "name": thread.responder_name,
         "confirmed_at": thread.responder_confirmed_at, "completed_at": thread.responder_completed_at,
         "contacts": _contacts(thread, RESPONDER), "helping": services.helper_side(thread) == RESPONDER},
    ]
    mine = next((s for s in sides if s["key"] == side), None)
    theirs = next((s for s in sides if side and s["key"] != side), None)
    confirmed_by_them = bool(theirs and theirs["confirmed_at"])
    context = {
        "nav": "exchange", "thread": thread, "post": thread.post, "side": side, "mine": mine, "theirs": theirs,
        "sides": sides, "conversation": conversation, "helping": helping, "live": live,
        "ratings": ratings if len(ratings) == 2 else [], "rated": any(r.side == side for r in ratings),
        "entry": entry, "post_url": reverse("exchange:detail", args=[thread.post_id]),
        # The post left the exchange (withdrawn, expired): the thread says so; a matched thread carries on.
        "post_left": thread.post.status in (PostStatus.WITHDRAWN, PostStatus.EXPIRED),
        "quantity_summary": services.quantity_summary(thread) if thread.status == ThreadStatus.COMPLETED or (
            helping and mine and mine["completed_at"]) else "",
        # A post whose places are all taken (matched) refuses further matches: no form that would be refused.
        "may_confirm": side is not None and thread.status == ThreadStatus.OPEN and thread.post.status in (
            PostStatus.PUBLISHED, PostStatus.TALKS),
        "post_full": thread.status == ThreadStatus.OPEN and thread.post.status == PostStatus.MATCHED,
        "confirmed_by_them": confirmed_by_them,
        "may_complete": side is not None and thread.status == ThreadStatus.MATCHED and not (
            mine and mine["completed_at"]),
        "message_form": message_form or MessageForm(),
        "confirm_form": confirm_form or ConfirmMatchForm(initial={"terms": thread.terms or thread.post.terms}),
        "complete_form": complete_form or CompleteForm(helping=helping),
        "close_form": close_form or CloseForm(),
    }
    return render(request, "exchange/threads/detail.html", context, status=status)


@login_required
def thread_detail(request, pk: int):
    return _render(request, _thread(request, pk))


@login_required
@require_POST
def respond(request, post_pk: int):
    post = get_for_user(request.user, Post.objects.with_owner(), view="exchange.view_post",
                        change="exchange.respond_post", pk=post_pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            thread, created = services.thread_start(post=post, by=request.user, message=form.cleaned_data["body"],
                                                    file=form.cleaned_data["file"], link=form.cleaned_data["link"],
                                                    caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已开始对接，对方会收到通知。" if created else
                             "您已在与对方对接，这条消息已发到原来的对接中。")
            return redirect("exchange:thread", pk=thread.pk)
    # Refused: the message stays in its box with the reasons beside the fields (a file must be chosen again).
    return render(request, "exchange/threads/respond.html", {"post": post, "form": form, "nav": "exchange"},
                  status=400)


@login_required
@require_POST
def message(request, pk: int):
    thread = _thread(request, pk, act=True)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_post(thread=thread, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(f"{thread_url(thread)}#latest")
    return _render(request, thread, message_form=form, status=400)


def thread_url(thread: Thread) -> str:
    return reverse("exchange:thread", args=[thread.pk])


@login_required
@require_POST
def confirm_match(request, pk: int):
    thread = _thread(request, pk, act=True)
    form = ConfirmMatchForm(request.POST)
    if form.is_valid():
        try:
            thread = services.thread_confirm_match(thread=thread, by=request.user, terms=form.cleaned_data["terms"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "双方已确认对接。" if thread.status == ThreadStatus.MATCHED else
                             "您已确认对接条件，等待对方确认。")
            return redirect("exchange:thread", pk=thread.pk)
    return _render(request, thread, confirm_form=form, status=400)


@login_required
@require_POST
def complete(request, pk: int):
    thread = _thread(request, pk, act=True)
    helping = thread_side(request.user, thread) == services.helper_side(thread)
    form = CompleteForm(request.POST, helping=helping)
    if form.is_valid():
        try:
            thread = services.thread_complete(thread=thread, by=request.user, score=form.cleaned_data["score"],
                                              comment=form.cleaned_data["comment"], quantities=form.quantities)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "对接已完成，已记入帮扶台账。" if LedgerEntry.objects.filter(
                source_type=services.LEDGER_SOURCE, source_id=thread.pk).exists() else
                "对接已完成。" if thread.status == ThreadStatus.COMPLETED else "您已确认完成并评价，等待对方确认。")
            return redirect("exchange:thread", pk=thread.pk)
    return _render(request, thread, complete_form=form, status=400)


@login_required
@require_POST
def close(request, pk: int):
    thread = _thread(request, pk, act=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.thread_close(thread=thread, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "对接已关闭。")
            return redirect("exchange:thread", pk=thread.pk)
    return _render(request, thread, close_form=form, status=400)


urlpatterns = [
    path("threads/", thread_list, name="threads"),
    path("threads/<int:pk>/", thread_detail, name="thread"),
    path("threads/<int:pk>/message/", message, name="message"),
    path("threads/<int:pk>/confirm/", confirm_match, name="confirm_match"),
    path("threads/<int:pk>/complete/", complete, name="complete"),
    path("threads/<int:pk>/close/", close, name="close_thread"),
    path("<int:post_pk>/respond/", respond, name="respond"),
]
