"""Board pages of the exchange: the Atom feeds, a user's subscriptions, and the association's settings (sub-types
per area, the thesaurus, the review switch)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.core.areas import Area
from bangfu.core.forms import apply_errors
from bangfu.core.validation import join_messages
from bangfu.permissions import get_for_user, require

from .. import services, vocabulary
from .. import subscriptions as subs
from ..board_forms import ModerationForm, SubscriptionForm, SubtypeAddForm, SubtypeEditForm, SynonymForm
from ..feeds import post_feed
from ..models import ExchangeRules, Post, Subscription, Subtype, Synonym

NEW_POSTS_SHOWN = 20


# --- subscriptions -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request):
    """The user's subscriptions and the new posts they cover; POST adds one."""
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subs.subscription_add(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已订阅。有新的信息发布时，平台会通知您。")
            return redirect("exchange:subscriptions")
    mine = list(Subscription.objects.filter(user=request.user).select_related("region").order_by("created_at", "pk"))
    new_posts = subs.new_posts_for(request.user, mine).with_owner().order_by("-published_at", "-id")
    return render(request, "exchange/subscriptions.html", {
        "form": form, "subscriptions": mine, "new_posts": new_posts[:NEW_POSTS_SHOWN],
        "new_days": subs.NEW_DAYS, "max_subscriptions": subs.MAX_SUBSCRIPTIONS, "nav": "exchange",
    })


@login_required
@require_POST
def subscription_remove(request, pk: int):
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user)  # another user's: 404
    subs.subscription_remove(by=request.user, subscription=subscription)
    messages.success(request, "已取消这项订阅。")
    return redirect("exchange:subscriptions")


# --- the association's settings ------------------------------------------------------------------------------


def _settings_page(request, *, synonym_form=None, status=200):
    require(request.user, "exchange.manage_settings")
    used = dict(Post.objects.filter(subtype__isnull=False).values_list("subtype").annotate(n=Count("id")))
    by_area = {code: [] for code in Area.values}
    for subtype in Subtype.objects.order_by("area", "order", "id"):
        subtype.used = used.get(subtype.pk, 0)
        by_area[subtype.area].append(subtype)
    areas = [{"code": code, "label": label, "subtypes": by_area[code],
              "form": SubtypeAddForm(initial={"area": code}, auto_id=f"id_{code}_%s")}
             for code, label in Area.choices]
    rules = ExchangeRules.current()
    return render(request, "exchange/settings.html", {
        "areas": areas, "synonyms": Synonym.objects.order_by("word"),
        "synonym_form": synonym_form or SynonymForm(), "rules": rules,
        "moderation_form": ModerationForm(initial={"moderation": rules.moderation}), "nav": "exchange",
    }, status=status)


@login_required
def settings_page(request):
    return _settings_page(request)


def _back(area: str = "") -> str:
    return reverse("exchange:settings") + (f"#area-{area}" if area in Area.values else "")


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, join_messages(exc.messages))


@login_required
@require_POST
def subtype_add(request):
    require(request.user, "exchange.manage_settings")
    form = SubtypeAddForm(request.POST)
    area = request.POST.get("area", "")
    if not form.is_valid():
        _refused(request, ValidationError([m for errors in form.errors.values() for m in errors]))
        return redirect(_back(area))
    try:
        subtype = vocabulary.subtype_add(by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已新增子类“{subtype.name}”。")
    return redirect(_back(area))


@login_required
@require_http_methods(["GET", "POST"])
def subtype_edit(request, pk: int):
    subtype = get_for_user(request.user, Subtype, view="exchange.manage_settings", pk=pk)
    form = SubtypeEditForm(request.POST or None, initial={"name": subtype.name, "is_active": subtype.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            vocabulary.subtype_update(by=request.user, subtype=subtype, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "子类已保存。")
            return redirect(_back(subtype.area))
    used = Post.objects.filter(subtype=subtype).count()
    return render(request, "exchange/subtype_form.html",
                  {"form": form, "subtype": subtype, "used": used, "nav": "exchange"})


@login_required
@require_POST
def subtype_move(request, pk: int):
    subtype = get_for_user(request.user, Subtype, view="exchange.manage_settings", pk=pk)
    vocabulary.subtype_move(by=request.user, subtype=subtype, up=request.POST.get("direction") != "down")
    return redirect(_back(subtype.area))


@login_required
@require_POST
def subtype_delete(request, pk: int):
    subtype = get_for_user(request.user, Subtype, view="exchange.manage_settings", pk=pk)
    area, name = subtype.area, subtype.name
    try:
        vocabulary.subtype_delete(by=request.user, subtype=subtype)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已删除子类“{name}”。")
    return redirect(_back(area))


@login_required
@require_POST
def synonym_add(request):
    require(request.user, "exchange.manage_settings")
    form = SynonymForm(request.POST)
    if form.is_valid():
        try:
            entry = vocabulary.synonym_add(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已加入同义词“{entry.word}”。")
            return redirect(reverse("exchange:settings") + "#thesaurus")
    return _settings_page(request, synonym_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request, pk: int):
    entry = get_for_user(request.user, Synonym, view="exchange.manage_settings", pk=pk)
    form = SynonymForm(request.POST or None,
                       initial={"word": entry.word, "means": entry.means, "two_way": entry.two_way})
    if request.method == "POST" and form.is_valid():
        try:
            vocabulary.synonym_update(by=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "同义词已保存。")
            return redirect(reverse("exchange:settings") + "#thesaurus")
    return render(request, "exchange/synonym_form.html", {"form": form, "entry": entry, "nav": "exchange"})


@login_required
@require_POST
def synonym_delete(request, pk: int):
    entry = get_for_user(request.user, Synonym, view="exchange.manage_settings", pk=pk)
    word = entry.word
    vocabulary.synonym_delete(by=request.user, entry=entry)
    messages.success(request, f"已删除同义词“{word}”。")
    return redirect(reverse("exchange:settings") + "#thesaurus")


@login_required
@require_POST
def moderation(request):
    require(request.user, "exchange.manage_settings")
    form = ModerationForm(request.POST)
    form.is_valid()  # a checkbox: absent is off
    rules = services.rules_update(by=request.user, moderation=form.cleaned_data.get("moderation", False))
    messages.success(request, "已开启发布审核：新发布的信息经协会审核后公开。" if rules.moderation
                     else "已关闭发布审核：新发布的信息立即公开。")
    return redirect("exchange:settings")


urlpatterns = [
    path("feed.xml", post_feed, name="feed"),
    path("feed/<str:area>.xml", post_feed, name="area_feed"),
    path("subscriptions/", subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/remove/", subscription_remove, name="subscription_remove"),
    path("settings/", settings_page, name="settings"),
    path("settings/subtypes/add/", subtype_add, name="subtype_add"),
    path("settings/subtypes/<int:pk>/", subtype_edit, name="subtype_edit"),
    path("settings/subtypes/<int:pk>/move/", subtype_move, name="subtype_move"),
    path("settings/subtypes/<int:pk>/delete/", subtype_delete, name="subtype_delete"),
    path("settings/synonyms/add/", synonym_add, name="synonym_add"),
    path("settings/synonyms/<int:pk>/", synonym_edit, name="synonym_edit"),
    path("settings/synonyms/<int:pk>/delete/", synonym_delete, name="synonym_delete"),
    path("settings/moderation/", moderation, name="moderation"),
]
