"""API authentication: a personal token (`Authorization: Bearer bf_…`) or the browser session.

The tokens are the api module's (its ApiToken model and `token_authenticate` service); the core names no app, so the
api module declares its token check in its `module.py` (`Module.token_check`) and the auth finds it there.
Without the api module installed, every token is refused."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from bangfu.core import registry

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def token_authenticate(*, raw: str):
    """The live token matching `raw` (with its `user`), by the check a module declares, or None."""
    for module in registry.modules():
        if module.token_check is not None:
            return module.token_check(raw=raw)
    return None


class TokenOrSession(HttpBearer):
    """A Bearer token wins; otherwise the signed-in browser session, with CSRF checked on writes.

    With `required=False` anonymous requests pass as `AnonymousUser`, so public endpoints share one auth.
    A token that is presented but unknown or revoked is always refused (401), never downgraded to anonymous.
    Either way `request.user` is the acting user.
    """

    csrf = True  # tells the Swagger page to send the CSRF token with session requests

    def __init__(self, *, required: bool):
        self.required = required
        super().__init__()

    def __call__(self, request: HttpRequest):
        scheme, _, raw = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() == self.openapi_scheme:
            return self.authenticate(request, raw.strip())
        user = request.user
        if user.is_authenticated and user.is_active:
            if request.method not in SAFE_METHODS and check_csrf(request):
                raise HttpError(403, "CSRF 校验失败：请刷新页面后重试，或改用接口令牌。")
            request.api_token = None
            return user
        if self.required:
            raise AuthenticationError(message="需要登录，或在请求头中提供有效的接口令牌（Authorization: Bearer …）。")
        return AnonymousUser()

    def authenticate(self, request: HttpRequest, token: str):
        api_token = token_authenticate(raw=token) if token else None
        if api_token is None:
            raise AuthenticationError(message="接口令牌无效或已撤销。")
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


optional_auth = TokenOrSession(required=False)
required_auth = TokenOrSession(required=True)
