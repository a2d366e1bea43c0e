"""Posts pages of the exchange: the search (also the public board), a post, its forms, the owner's and the
association's moves, the association's review, a user's own posts, and a post made from the registry in one step."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from bangfu.core.areas import Area
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.core.validation import join_messages
from bangfu.museums.models import MuseumArea, Offering
from bangfu.parties import works_at_museum
from bangfu.permissions import get_for_user, require
from bangfu.places.models import Division

from .. import selectors, services
from ..forms import PostForm
from ..matching import matches_for
from ..models import ExchangeRules, Post, PostKind, PostStatus, Subtype, Thread
from ..rules import expert_of, thread_side
from ..text import highlight
from ..threads import live_thread_of, places_taken

PAGE_SIZE = 20
RESPOND_FORM = "exchange/threads/_respond_form.html"
MATCHES_SHOWN = 10
NAV = {"nav": "exchange"}


# --- the search page (the public board) --------------------------------------------------------------------------


def search(request):
    """Published posts for everyone (anonymous visitors included), filtered and searched; htmx swaps the results.
    No contact details here: they are on a post's page, as its owner allows."""
    filters = selectors.read_filters(request)
    visible = Post.objects.published()
    posts, terms = selectors.filter_posts(visible, filters)
    page = Paginator(posts.with_owner(), PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    for post in page.object_list:
        post.title_html = highlight(post.title, terms)
        post.excerpt_html = selectors.excerpt(post.description, terms)
    context = {"page": page, "filters": filters, "terms": terms,
               "area_counts": selectors.area_counts(visible, filters), **NAV}
    if request.htmx and request.htmx.target == "results":
        return render(request, "exchange/search.html#results", context)
    return render(request, "exchange/search.html", context | {
        "params": request.GET,
        "kinds": PostKind.choices, "areas": Area.choices, "statuses": selectors.STATUS_FILTERS,
        "cities": list(Division.objects.cities().order_by("code").values_list("id", "name")),
        "subtypes": [(s.pk, f"{s.get_area_display()} · {s.name}") for s in
                     Subtype.objects.filter(is_active=True).order_by("area", "order", "id")],
        "can_post": request.user.has_perm("exchange.add_post"),
        "expert_only": expert_of(request.user) is not None and not works_at_museum(request.user),
        "can_review": request.user.has_perm("exchange.moderate_post"),
    })


# --- one post ----------------------------------------------------------------------------------------------------


def _post(request, pk: int, *, change: str | None = None) -> Post:
    return get_for_user(request.user, Post.objects.with_owner(), view="exchange.view_post", change=change, pk=pk)


def _detail(request, post: Post, *, attachment_form: AttachmentForm | None = None, status: int = 200):
    user = request.user
    can_change = user.has_perm("exchange.change_post", post)
    can_moderate = user.has_perm("exchange.moderate_post", post)
    moves = {move.name for move in Post.workflow.available(post, user)}
    attachments = list(Attachment.objects.for_object(post))
    closed = post.status in services.CLOSED_STATUSES
    for attachment in attachments:
        attachment.removable = can_change and not closed
    threads = []
    if user.is_authenticated:
        for thread in Thread.objects.filter(post=post).visible_to(user).select_related(
                "responder_museum", "responder_expert").order_by("-updated_at", "-id")[:20]:
            thread.side = thread_side(user, thread)
            thread.url = reverse("exchange:thread", args=[thread.pk])
            threads.append(thread)
    # A thread under way (open or matched) takes the place of a new response; a closed or completed one does not.
    responded = user.is_authenticated and live_thread_of(user, post) is not None
    taken = places_taken(post) if post.kind == PostKind.OFFER else 0
    moderated = services.reviewed(user)
    return render(request, "exchange/detail.html", {
        "post": post, "regions": list(post.regions.order_by("code")),
        "attachments": attachments, "attachment_form": attachment_form or AttachmentForm(),
        "can_change": can_change, "can_edit": can_change and not closed, "can_moderate": can_moderate,
        "can_publish": can_change and "publish" in moves, "moderated": moderated,
        "can_withdraw": can_change and "withdraw" in moves,
        "can_review": can_moderate and post.status == PostStatus.PENDING,
        "show_contact": user.has_perm("exchange.view_contact", post),
        "has_contact": bool(post.contact_name or post.contact_phone or post.contact_email),
        "show_history": can_change or can_moderate,
        "matches": matches_for(post, limit=MATCHES_SHOWN) if user.is_authenticated and post.is_open else [],
        "threads": threads, "responded": responded, "capacity_left": max(post.capacity - taken, 0),
        "can_respond": not responded and user.has_perm("exchange.respond_post", post),
        "respond_template": RESPOND_FORM,
        **NAV,
    }, status=status)


def detail(request, pk: int):
    return _detail(request, _post(request, pk))


# --- the form ----------------------------------------------------------------------------------------------------


def _form_page(request, form: PostForm, *, post: Post | None, kind: str, status: int):
    moderated = services.reviewed(request.user)
    return render(request, "exchange/form.html", {
        "form": form, "post": post, "kind": kind, "kind_label": PostKind(kind).label, "moderated": moderated,
        "publishable": post is None or post.status == PostStatus.DRAFT,
        "expert_only": expert_of(request.user) is not None and not works_at_museum(request.user), **NAV,
    }, status=status)


@login_required
def create(request):
    """A new need or offer (?kind=need|offer); experts post offers only. 保存草稿 keeps it a draft, 发布 publishes
    it (or submits it for the association's review when moderation is on)."""
    require(request.user, "exchange.add_post")
    params = request.POST if request.method == "POST" else request.GET
    kind = text_param(params, "kind")
    if kind not in PostKind.values:
        kind = PostKind.NEED
    if kind == PostKind.NEED and expert_of(request.user) is not None and not works_at_museum(request.user):
        kind = PostKind.OFFER  # an expert offers help; there is no need of theirs to post
        if request.method == "GET" and text_param(params, "kind") == PostKind.NEED:
            messages.info(request, "专家只能发布供给信息。")
    picker = request.user.is_association_admin
    initial = {}
    if works_at_museum(request.user):
        museum = request.user.museum
        initial = {"city": museum.city_id, "contact_name": museum.contact_person, "contact_phone": museum.phone,
                   "contact_email": museum.email}
    form = PostForm(request.POST or None, instance=Post(kind=kind), kind=kind, museum_picker=picker,
                    initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            post = services.post_create(by=request.user, kind=kind, museum=form.cleaned_data.get("museum"),
                                        regions=form.cleaned_data["regions"], publish=publish,
                                        **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _saved_message(post))
            return redirect("exchange:detail", pk=post.pk)
    return _form_page(request, form, post=None, kind=kind, status=400 if request.method == "POST" else 200)


def _saved_message(post: Post) -> str:
    if post.status == PostStatus.PENDING:
        return "已提交协会审核，审核通过后公开。"
    if post.status == PostStatus.PUBLISHED:
        return "已发布。"
    return "已保存草稿。确认无误后点击“发布”。"


@login_required
def edit(request, pk: int):
    """Change a post; after publishing every change is kept in its history (the services audit it)."""
    post = _post(request, pk, change="exchange.change_post")
    if post.status in services.CLOSED_STATUSES:
        messages.info(request, f"{post.get_status_display()}的信息不能再修改。")
        return redirect("exchange:detail", pk=post.pk)
    # The form works on a copy: a refused edit must not show its rejected title in the page's heading.
    form = PostForm(request.POST or None, instance=copy.copy(post), kind=post.kind)
    status_before = post.status
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_update(post=post, by=request.user, data=form.service_data(),
                                        regions=form.cleaned_data["regions"])
            if request.POST.get("action") == "publish" and post.status == PostStatus.DRAFT:
                services.post_publish(post=post, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            post.refresh_from_db()
            if request.POST.get("action") == "publish":
                messages.success(request, _saved_message(post))
            elif post.status == PostStatus.PENDING and status_before != PostStatus.PENDING:
                messages.info(request, "已保存。修改了标题或详细说明，需经协会重新审核，审核通过后重新公开。")
            else:
                messages.success(request, "已保存。")
            return redirect("exchange:detail", pk=post.pk)
    return _form_page(request, form, post=post, kind=post.kind, status=400 if request.method == "POST" else 200)


# --- moves -------------------------------------------------------------------------------------------------------


def _move(request, pk: int, *, change: str, act, done: str):
    post = _post(request, pk, change=change)
    try:
        act(post)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        post.refresh_from_db()
        messages.success(request, done if isinstance(done, str) else done(post))
    if request.POST.get("next") == "review":
        return redirect("exchange:review")
    return redirect("exchange:detail", pk=post.pk)


def _reason(request) -> str:
    return text_param(request.POST, "reason", max_length=500)


@login_required
@require_POST
def publish(request, pk: int):
    return _move(request, pk, change="exchange.change_post",
                 act=lambda post: services.post_publish(post=post, by=request.user), done=_saved_message)


@login_required
@require_POST
def withdraw(request, pk: int):
    return _move(request, pk, change="exchange.change_post",
                 act=lambda post: services.post_withdraw(post=post, by=request.user, reason=_reason(request)),
                 done="已撤回，这条信息不再公开。")


@login_required
@require_POST
def approve(request, pk: int):
    return _move(request, pk, change="exchange.moderate_post",
                 act=lambda post: services.post_approve(post=post, by=request.user), done="审核通过，已公开发布。")


@login_required
@require_POST
def return_post(request, pk: int):
    return _move(request, pk, change="exchange.moderate_post",
                 act=lambda post: services.post_return(post=post, by=request.user, reason=_reason(request)),
                 done="已退回修改，发布方会看到退回原因。")


# --- attachments -------------------------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request, pk: int):
    post = _post(request, pk, change="exchange.change_post")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_attachment_add(post=post, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "附件已添加。")
            return redirect("exchange:detail", pk=post.pk)
    return _detail(request, post, attachment_form=form, status=400)


@login_required
@require_POST
def attachment_remove(request, pk: int):
    """Remove an attachment of a post, checked through its post (the permissions know posts)."""
    attachment = Attachment.objects.filter(pk=pk, content_type__app_label="exchange",
                                           content_type__model="post").first()
    if attachment is None:
        raise Http404("未找到。")
    attachment.owner = _post(request, attachment.object_id, change="exchange.change_post")
    try:
        services.post_attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, "附件已删除。")
    return redirect("exchange:detail", pk=attachment.object_id)


# --- the association's review ------------------------------------------------------------------------------------


@login_required
def review(request):
    """Posts waiting for the association's review, and the switch that makes new posts wait."""
    require(request.user, "exchange.moderate_post")
    rules = ExchangeRules.current()
    if request.method == "POST":
        require(request.user, "exchange.manage_settings")
        on = request.POST.get("moderation") == "on"
        services.rules_update(by=request.user, moderation=on)
        messages.success(request, "已开启发布审核：新发布的信息经协会审核通过后公开。" if on else
                         "已关闭发布审核：新发布的信息立即公开。")
        return redirect("exchange:review")
    pending = Post.objects.filter(status=PostStatus.PENDING).with_owner().order_by("updated_at", "id")
    page = Paginator(pending, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "exchange/review.html", {
        "page": page, "rules": rules, "can_manage": request.user.has_perm("exchange.manage_settings"), **NAV,
    })


# --- my posts and the registry ----------------------------------------------------------------------------------


@login_required
def mine(request):
    """The posts of the user's museum (or of the expert), every status, drafts first; the museum's needs and
    offers in the registry, each to be turned into a post in one step or linked to the post made from it."""
    user = request.user
    posts = selectors.own_posts(user)
    counts = dict(posts.order_by().values_list("status").annotate(n=Count("pk")))
    status = text_param(request, "status")
    if status in PostStatus.values:
        posts = posts.filter(status=status)
    page = Paginator(posts, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    status_counts = [(value, label, counts[value]) for value, label in PostStatus.choices if counts.get(value)]
    registry_rows = []
    if works_at_museum(user):
        rows = list(MuseumArea.objects.filter(museum_id=user.museum_id).order_by("kind", "area"))
        open_posts = {p.from_registry_id: p for p in Post.objects.filter(
            from_registry__in=rows, status__in=services.REGISTRY_OPEN_STATUSES).only(
            "id", "title", "status", "from_registry_id")}
        registry_rows = [(row, open_posts.get(row.pk)) for row in rows]
    return render(request, "exchange/mine.html", {
        "page": page, "status_counts": status_counts, "total": sum(counts.values()),
        "status": status if status in PostStatus.values else "",
        "registry_rows": registry_rows, "Offering": Offering,
        "can_post": user.has_perm("exchange.add_post"),
        "expert_only": expert_of(user) is not None and not works_at_museum(user),
        "owner_label": (user.museum.display_name if works_at_museum(user) else
                        "本人" if expert_of(user) is not None else "我"),
        **NAV,
    })


@login_required
@require_POST
def from_registry(request, museum_area_pk: int):
    """A draft post from a museum's registry need or offer, then its edit page; a second one is refused while the
    first is open (the message links to it)."""
    row = get_object_or_404(MuseumArea.objects.select_related("museum"), pk=museum_area_pk)
    try:
        post = services.post_from_registry(museum_area=row, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
        existing = services.open_post_from_registry(row)
        if existing is not None and request.user.has_perm("exchange.view_post", existing):
            return redirect("exchange:detail", pk=existing.pk)
        return redirect("exchange:mine")
    messages.success(request, "已根据名录生成草稿，请补充后发布。")
    return redirect("exchange:edit", pk=post.pk)


urlpatterns = [
    path("", search, name="search"),
    path("new/", create, name="create"),
    path("mine/", mine, name="mine"),
    path("review/", review, name="review"),
    path("from-registry/<int:museum_area_pk>/", from_registry, name="from_registry"),
    path("attachments/<int:pk>/remove/", attachment_remove, name="attachment_remove"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/publish/", publish, name="publish"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("<int:pk>/approve/", approve, name="approve"),
    path("<int:pk>/return/", return_post, name="return"),
    path("<int:pk>/attachments/", attachment_add, name="attachment_add"),
]
