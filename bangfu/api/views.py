"""Pages where a user manages their personal API tokens."""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bangfu.core.forms import FormMixin, apply_errors

from .api import api
from .models import ApiToken
from .services import MAX_LIVE_TOKENS, token_create, token_revoke


@functools.cache
def token_writes() -> list[str]:
    """What a token may change, as the API documents its operations: every operation that is not a read (by its
    summary, e.g. 登记平台外帮扶), so that the page says what a token can do as endpoints are added."""
    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    return [operation["summary"] for methods in paths.values() for method, operation in methods.items()
            if method in ("post", "put", "patch", "delete")]


class TokenForm(FormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=60, help_text="写明用途，如 温湿度网关、馆藏系统同步")


@never_cache  # the answer to a creation carries the raw token: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The user's tokens; POST creates one and shows its raw value once, in this response only."""
    form = TokenForm(request.POST or None)
    created = raw = None
    if form.is_valid():
        try:
            created, raw = token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            form = TokenForm()
    context = {
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form, "created": created, "raw": raw, "max_tokens": MAX_LIVE_TOKENS, "writes": token_writes(),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request, pk: int):
    """GET asks for confirmation, POST revokes. Another user's token is a 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        token_revoke(token=token, by=request.user)
        messages.success(request, f"令牌“{token.name}”已撤销，使用它的程序将无法再访问接口。")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
