"""The JSON API (django-ninja): OpenAPI docs at /api/docs, every error answered as {"detail": "…"}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from .auth import optional_auth
from .routers import divisions, experts, ledger, museums, tokens

DESCRIPTION = """山西省博物馆协会「大馆带小馆 携手共前行」帮扶信息平台的数据接口。

- 公开数据（行政区划、博物馆名录、专家库）无需认证即可读取。
- 联系方式（博物馆联系人、电话、邮箱；专家电话、邮箱）只对登录用户返回，未登录时为 `null`。
- 程序调用请在「接口令牌」页面创建个人令牌，并在请求头中携带 `Authorization: Bearer <令牌>`。
- 列表接口用 `limit`（默认 20，最大 200）和 `offset` 分页，返回 `{"items": [...], "count": 总数}`。
- 出错时返回 `{"detail": "错误说明"}`；参数错误为 422，并在 `errors` 中逐项说明。
"""


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # 太原市, not \u592a\u539f\u5e02


api = NinjaAPI(
    title="山西省博物馆帮扶信息平台 API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=optional_auth,
    renderer=ChineseJSONRenderer(),
)
api.add_router("/divisions", divisions.router)
api.add_router("/museums", museums.router)
api.add_router("/experts", experts.router)
api.add_router("/ledger", ledger.router)
api.add_router("", tokens.router)


# --- errors ------------------------------------------------------------------------------------------------

PYDANTIC_MESSAGES = {
    "missing": "必须填写",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "float_parsing": "必须是数字",
    "bool_parsing": "必须是 true 或 false",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_too_short": "至少需要 {min_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "enum": "取值必须是 {expected} 之一",
    "literal_error": "取值必须是 {expected} 之一",
    "json_invalid": "不是合法的 JSON",
}


def _readable(error: dict) -> dict:
    """One pydantic error as {"field": "limit", "message": "不能大于 200"}."""
    loc = [str(part) for part in error.get("loc", ())]
    field = ".".join(loc[2:] if loc[:1] == ["body"] else loc[1:]) or (loc[0] if loc else "")
    template = PYDANTIC_MESSAGES.get(error.get("type", ""))
    ctx = {k: str(v).replace(" or ", "、").replace(", ", "、") for k, v in (error.get("ctx") or {}).items()}
    try:
        message = template.format(**ctx) if template else error.get("msg", "取值无效")
    except KeyError:
        message = error.get("msg", "取值无效")
    return {"field": field, "message": message}


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    errors = [_readable(e) for e in exc.errors]
    summary = "；".join(f"{e['field']} {e['message']}" if e["field"] else e["message"] for e in errors)
    return api.create_response(request, {"detail": f"参数有误：{summary}", "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def service_refusal(request, exc):
    return api.create_response(request, {"detail": "；".join(exc.messages)}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限。"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "未找到。"}, status=404)
