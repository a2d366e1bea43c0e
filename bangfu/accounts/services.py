"""Account operations: creating users, changing roles, deactivating. Audited."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.mail import email_on_commit
from bangfu.permissions import require

from .models import MUSEUM_ROLES, Role, User

AUDITED_FIELDS = ["username", "full_name", "email", "phone", "title", "role", "museum", "jurisdiction", "is_active"]


def _check_role_fields(*, role: str, museum, jurisdiction) -> None:
    if role in MUSEUM_ROLES and museum is None:
        raise ValidationError({"museum": "馆管理员和馆员必须属于一个博物馆。"})
    if role == Role.SUPERVISOR:
        if jurisdiction is None:
            raise ValidationError({"jurisdiction": "主管单位必须设置管辖范围（全省或某一市）。"})
        if jurisdiction.level not in ("province", "city"):
            raise ValidationError({"jurisdiction": "管辖范围只能是全省或某一市。"})


def _check_actor_may_assign(*, by: User | None, role: str, museum) -> None:
    """The association (or the system, `by=None`) creates any account; a museum admin only staff of their own
    museum."""
    if by is None or by.is_association_admin:
        return
    if by.is_museum_admin and role == Role.MUSEUM_STAFF and museum is not None and museum.pk == by.museum_id:
        return
    raise PermissionDenied("您只能管理本馆馆员的账号。")


def send_password_setup(user: User) -> None:
    """E-mail a new user a link to set their password (the reset token flow; their password is unusable), from
    the worker once the transaction commits."""
    if not user.email:
        return
    site = urlsplit(settings.SITE_URL)
    context = {
        "user": user, "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user), "protocol": site.scheme, "domain": site.netloc,
    }
    subject = render_to_string("registration/account_setup_subject.txt", context).strip()
    body = render_to_string("registration/account_setup_email.txt", context)
    email_on_commit(to=[user.email], subject=subject, body=body)


def refuse_system(user: User) -> None:
    """The platform's own account (`system_user`) is nobody's to edit, activate, give a password or a token:
    it stays inactive without a usable password, so no one signs in as it."""
    if getattr(user, "is_system", False):
        raise PermissionDenied("系统账号不能修改，也不能登录。")


@transaction.atomic
def user_create(
    *, by: User | None, username: str, role: str, password: str = "", full_name: str = "", email: str = "",
    phone: str = "", title: str = "", museum=None, jurisdiction=None,
) -> User:
    """Create an account. Without a password the user gets an e-mail to set one."""
    _check_actor_may_assign(by=by, role=role, museum=museum)
    _check_role_fields(role=role, museum=museum, jurisdiction=jurisdiction)
    if not password and not email:
        raise ValidationError({"email": "请填写初始密码，或填写邮箱以便对方自行设置密码。"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    user = User(
        username=username, role=role, full_name=full_name, email=email, phone=phone, title=title,
        museum=museum if role in MUSEUM_ROLES or role == Role.EXPERT else None,
        jurisdiction=jurisdiction if role == Role.SUPERVISOR else None,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit(actor=by, action="创建账号", obj=user, changes=diff({}, snapshot(user, AUDITED_FIELDS)))
    if not password and email:
        send_password_setup(user)
    return user


@transaction.atomic
def user_update(*, by: User, user: User, data: dict) -> User:
    """Change profile fields and, for the association (or a museum admin within their museum), the role."""
    refuse_system(user)
    new_role = data.get("role", user.role)
    new_museum = data.get("museum", user.museum)
    if any(k in data for k in ("role", "museum", "jurisdiction")):
        _check_actor_may_assign(by=by, role=new_role, museum=new_museum)
        _check_role_fields(role=new_role, museum=new_museum, jurisdiction=data.get("jurisdiction", user.jurisdiction))
    if user.pk == by.pk and data.get("role", user.role) != user.role:
        raise ValidationError({"role": "不能修改自己的角色。"})
    before = snapshot(user, AUDITED_FIELDS)
    for key, value in data.items():
        setattr(user, key, value)
    if user.role not in MUSEUM_ROLES and user.role != Role.EXPERT:
        user.museum = None
    if user.role != Role.SUPERVISOR:
        user.jurisdiction = None
    # A username is checked when it is set: accounts made before the ASCII rule keep theirs and stay editable.
    unchanged = ["username"] if before["username"] == user.username else []
    user.full_clean(exclude=["password", *unchanged])
    user.save()
    changes = diff(before, snapshot(user, AUDITED_FIELDS))
    if changes:
        audit(actor=by, action="修改账号", obj=user, changes=changes)
    return user


@transaction.atomic
def tokens_revoke_all(*, user: User, by: User | None, reason: str) -> int:
    """Revoke every live token of `user` because its credentials changed (a new password, a reset, the account
    deactivated): a token must not outlive the password it was created under. Returns how many were revoked.
    The tokens are the account's credentials: reached through `user.api_tokens`, the API app is not imported (it
    builds on accounts, not the reverse)."""
    tokens = list(user.api_tokens.live().select_for_update())
    for token in tokens:
        token.revoke()
        audit(actor=by, action="撤销接口令牌", obj=token, changes={"状态": ["有效", "已撤销"], "原因": [None, reason]})
    return len(tokens)


@transaction.atomic
def user_set_active(*, by: User, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. Either way its API tokens are revoked, so no token comes back to
    life with a reactivated account (tokens left live by deactivations made before this rule included)."""
    refuse_system(user)
    require(by, "accounts.change_user", user)
    if user.pk == by.pk and not active:
        raise ValidationError("不能停用自己的账号。")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit(actor=by, action="启用账号" if active else "停用账号", obj=user,
              changes={"is_active": [not active, active]})
        tokens_revoke_all(user=user, by=by, reason="账号重新启用" if active else "账号停用")
    return user


@transaction.atomic
def user_set_password(*, by: User, user: User, password: str) -> None:
    """An administrator sets a new password for someone (the change is audited, the password is not); the
    account's API tokens are revoked with the old password."""
    refuse_system(user)
    require(by, "accounts.change_user", user)
    tokens_revoke_all(user=user, by=by, reason="管理员重设密码")  # before the save, which would revoke them anyway
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor=by, action="重置密码", obj=user)


@transaction.atomic
def user_change_own_password(*, user: User, password: str, reset: bool = False) -> User:
    """The user sets their own new password: changed while signed in, or reset through the e-mailed link
    (`reset`). Their API tokens are revoked: whoever learnt the old password may have made one."""
    refuse_system(user)
    how = "通过邮件链接重设密码" if reset else "修改密码"
    tokens_revoke_all(user=user, by=user, reason=how)  # before the save, which would revoke them anyway
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor=user, action=how, obj=user)
    return user
