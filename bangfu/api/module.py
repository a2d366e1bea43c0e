"""What the API adds: the routers under /api/ (in this order; the paths and keys are a contract) and the personal
tokens page."""

from bangfu.core.registry import ApiRouter, Module, NavEntry

MODULE = Module(
    slug="api",
    title="接口",
    icon="bi-plug",
    nav=(
        NavEntry("接口令牌", "api:tokens", "api-tokens", section="user", order=30),
        NavEntry("接口文档", "api-v1:openapi-view", "api-docs", section="user", order=40),
    ),
    api=(
        ApiRouter("/divisions", "bangfu.api.routers.divisions:router"),
        ApiRouter("/museums", "bangfu.api.routers.museums:router"),
        ApiRouter("/experts", "bangfu.api.routers.experts:router"),
        ApiRouter("/ledger", "bangfu.api.routers.ledger:router"),
        ApiRouter("", "bangfu.api.routers.tokens:router"),
    ),
)
