"""Personal API tokens: create, revoke, authenticate. Views, the API and tests all call these."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.accounts.services import refuse_system
from bangfu.core.audit import audit

from .models import ApiToken, hash_token, new_raw_token

MAX_LIVE_TOKENS = 10
# last_used_at is written at most this often, so a busy sensor gateway does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
HINT_LENGTH = 8


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the raw value, which is never stored and shown only once."""
    refuse_system(user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称，写明用途（如 温湿度网关）。"})
    # Lock the owner so two simultaneous requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.live().count() >= MAX_LIVE_TOKENS:
        raise ValidationError(f"每个账号最多可有 {MAX_LIVE_TOKENS} 个有效令牌，请先撤销不再使用的令牌。")
    raw = new_raw_token()
    token = ApiToken(user=user, name=name, key_hash=hash_token(raw), key_hint=raw[:HINT_LENGTH])
    token.full_clean()
    token.save()
    audit(actor=user, action="创建接口令牌", obj=token, changes={"名称": [None, name]})
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke one of the user's own tokens; revoking a revoked token changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied("只能撤销自己的令牌。")
    if token.is_live:
        token.revoke()
        audit(actor=by, action="撤销接口令牌", obj=token, changes={"状态": ["有效", "已撤销"]})
    return token


def token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token of an active user matching `raw`, or None. Records when it was last used."""
    token = (
        ApiToken.objects.live().select_related("user", "user__museum")
        .filter(key_hash=hash_token(raw), user__is_active=True, user__is_system=False).first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
