"""The signed-in user and their personal API tokens."""

from django.http import Http404
from ninja import Router, Status

from bangfu.core.api.auth import required_auth
from bangfu.core.api.schemas import NOT_FOUND, UNAUTHENTICATED, Error

from ..models import ApiToken
from ..schemas import Me, TokenOut
from ..services import token_revoke

router = Router(tags=["账号与令牌"], auth=required_auth)


@router.get("/me", response={200: Me, **UNAUTHENTICATED}, summary="当前用户",
            description="用令牌或登录会话调用，返回用户名、角色和所属博物馆，可用于检验令牌是否有效。")
def me(request):
    return request.user


@router.get("/tokens", response={200: list[TokenOut], **UNAUTHENTICATED}, summary="我的接口令牌",
            description="只列出当前用户自己的令牌（不含令牌原文，原文只在创建时显示一次）。")
def list_tokens(request):
    return ApiToken.objects.filter(user=request.user)


@router.delete("/tokens/{int:token_id}", response={204: None, 403: Error, **UNAUTHENTICATED, **NOT_FOUND},
               summary="撤销接口令牌",
               description="立即撤销当前用户自己的一个令牌；通过浏览器会话调用时需带 X-CSRFToken（否则 403）。")
def revoke_token(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:  # another user's token looks exactly like a missing one
        raise Http404("没有这个令牌。")
    token_revoke(token=token, by=request.user)
    return Status(204, None)
