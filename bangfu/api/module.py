"""What the API adds: the account and token endpoints (after every module's router: the last section of the docs),
the personal tokens page and the check of a token the API's auth uses (`bangfu.core.api.auth`). The routers of the
registry, the ledger and so on are declared by their modules (`<app>/module.py`); their paths and keys are a
contract."""

from bangfu.core.registry import ApiRouter, HistoryType, Module, NavEntry

from .services import token_authenticate

MODULE = Module(
    slug="api",
    title="接口",
    icon="bi-plug",
    nav=(
        NavEntry("接口令牌", "api:tokens", "api-tokens", section="user", order=30),
        NavEntry("接口文档", "api-v1:openapi-view", "api-docs", section="user", order=40),
    ),
    api=(ApiRouter("", "bangfu.api.routers.tokens:router", order=1000),),
    token_check=token_authenticate,
    history_types=(
        HistoryType("api.apitoken", "接口令牌"),
    ),
)
