"""Sign-in and account management pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.core.forms import apply_errors
from bangfu.core.models import AuditEntry
from bangfu.core.params import int_param, text_param
from bangfu.core.validation import join_messages
from bangfu.permissions import get_for_user, require

from . import services
from .forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetSetForm,
    ProfileForm,
    SetPasswordByAdminForm,
    UserForm,
)
from .login_page import offered_accounts
from .models import Role, User


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_accounts"], context["demo_password"] = offered_accounts()
        return context


login_view = LoginView.as_view()
# Django's password pages, with forms that save through the service (and so revoke the user's API tokens).
password_change_view = auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm)
password_reset_confirm_view = auth_views.PasswordResetConfirmView.as_view(form_class=PasswordResetSetForm)
# The reset link is e-mailed by the worker (bangfu/core/mail.py).
password_reset_view = auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)


def _visible_users(actor: User):
    users = User.objects.filter(is_system=False).select_related("museum", "jurisdiction")
    if actor.is_association_admin:
        return users
    return users.filter(museum_id=actor.museum_id, role__in=[Role.MUSEUM_ADMIN, Role.MUSEUM_STAFF])


@login_required
def users(request):
    require(request.user, "accounts.list_users")
    qs = _visible_users(request.user)
    q = text_param(request, "q")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(museum__name__icontains=q))
    role = text_param(request, "role")
    if role in Role.values:
        qs = qs.filter(role=role)
    page = Paginator(qs.order_by("role", "username"), 30).get_page(int_param(request, "page", minimum=1))
    template = "accounts/users.html#results" if request.htmx else "accounts/users.html"
    return render(request, template, {"page": page, "q": q, "role": role, "roles": Role.choices, "nav": "admin"})


@login_required
def user_create_view(request):
    require(request.user, "accounts.add_user")
    form = UserForm(request.POST or None, actor=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                by=request.user, username=data["username"], role=data["role"], password=data.get("password") or "",
                full_name=data["full_name"], email=data["email"], phone=data["phone"], title=data["title"],
                museum=data.get("museum") if request.user.is_association_admin else request.user.museum,
                jurisdiction=data.get("jurisdiction"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            note = "" if data.get("password") else "（已向其邮箱发送设置密码的链接）" if user.email else ""
            messages.success(request, f"已创建账号 {user.username}{note}。")
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True, "nav": "admin"})


@login_required
def user_edit(request, pk: int):
    target = get_for_user(request.user, User, view="accounts.view_user", change="accounts.change_user", pk=pk)
    form = UserForm(request.POST or None, instance=target, actor=request.user, creating=False)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        target.refresh_from_db()
        try:
            services.user_update(by=request.user, user=target, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存 {target.username} 的账号信息。")
            return redirect("accounts:users")
    history = (AuditEntry.objects.for_object(target).with_actor()[:20]
               if request.user.has_perm("core.view_history") else [])
    return render(request, "accounts/user_form.html", {
        "form": form, "target": target, "creating": False, "nav": "admin",
        "password_form": SetPasswordByAdminForm(user=target), "history": history,
    })


@login_required
@require_POST
def user_toggle_active(request, pk: int):
    target = get_for_user(request.user, User, view="accounts.view_user", change="accounts.change_user", pk=pk)
    try:
        services.user_set_active(by=request.user, user=target, active=not target.is_active)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, f"已{'启用' if target.is_active else '停用'}账号 {target.username}。")
    return redirect("accounts:user_edit", pk=target.pk)


@login_required
@require_POST
def user_password(request, pk: int):
    target = get_for_user(request.user, User, view="accounts.view_user", change="accounts.change_user", pk=pk)
    form = SetPasswordByAdminForm(request.POST, user=target)
    if form.is_valid():
        services.user_set_password(by=request.user, user=target, password=form.cleaned_data["password"])
        messages.success(request, f"已为 {target.username} 设置新密码，请当面或电话告知本人。")
        return redirect("accounts:user_edit", pk=target.pk)
    edit_form = UserForm(instance=target, actor=request.user, creating=False)
    return render(request, "accounts/user_form.html", {
        "form": edit_form, "target": target, "creating": False, "nav": "admin", "password_form": form,
    }, status=400)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = User.objects.get(pk=request.user.pk)
        services.user_update(by=request.user, user=user, data=form.cleaned_data)
        messages.success(request, "个人资料已保存。")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
