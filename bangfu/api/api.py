"""The JSON API (django-ninja): OpenAPI docs at /api/docs, every error answered as {"detail": "…"}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from .auth import optional_auth
from .routers import divisions, experts, ledger, museums, tokens

DESCRIPTION = """山西省博物馆协会「大馆带小馆 携手共前行」帮扶信息平台的数据接口。

- 公开数据（行政区划、博物馆名录、专家库）无需认证即可读取。
- 联系方式（博物馆联系人、电话、邮箱；专家电话、邮箱）只对登录用户返回，未登录时为 `null`。
- 程序调用请在「接口令牌」页面创建个人令牌，并在请求头中携带 `Authorization: Bearer <令牌>`。
- 列表接口用 `limit`（默认 20，最大 200）和 `offset` 分页，返回 `{"items": [...], "count": 总数}`。
- 出错时返回 `{"detail": "错误说明"}`；参数错误为 422，并在 `errors` 中逐项说明（请求内容不是合法的 JSON 时也是 422）。
"""


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # 太原市, not \u592a\u539f\u5e02


class PlatformSchema(OpenAPISchema):
    """Ninja's schema, telling public endpoints apart: where the auth lets anonymous requests through, the
    security requirement list holds OpenAPI's empty requirement `{}` (no credentials needed) beside the token."""

    def operation_security(self, operation):
        security = super().operation_security(operation)
        if security and all(not getattr(auth, "required", True) for auth in operation.auth_callbacks):
            security = [{}, *security]
        return security


class PlatformAPI(NinjaAPI):
    """NinjaAPI whose every answer is JSON, refusals included (see `_json_refusals`), with PlatformSchema."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return PlatformSchema(self, path_prefix)

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return [_json_refusals(p) if isinstance(p, URLPattern) else p for p in patterns], app_name, namespace


api = PlatformAPI(
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


UNREADABLE_BODY = "请求内容不是合法的 JSON，请检查格式（如引号、逗号、括号是否配对）。"


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja's own refusals as its default handler answers them, except a body it cannot parse (its English 400
    "Cannot parse request body", raised from the JSON or UTF-8 decoding error): a 422 in the shape of a parameter
    error, as documented for every endpoint that takes a body."""
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):  # JSONDecodeError, UnicodeDecodeError
        return api.create_response(
            request, {"detail": UNREADABLE_BODY, "errors": [{"field": "", "message": UNREADABLE_BODY}]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def service_refusal(request, exc):
    """A service's refusal (the same ValidationError the pages show beside their fields): 422, each message with
    the field it concerns, in the shape of a parameter error."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    errors = [{"field": "" if field == "__all__" else field, "message": message}
              for field, messages in fields.items() for message in messages]
    return api.create_response(request, {"detail": "；".join(e["message"] for e in errors), "errors": errors},
                               status=422)


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


# --- refusals outside the endpoints: unknown addresses and methods -------------------------------------------

READ_ONLY_PAGES = {"openapi-json", "openapi-view"}  # ninja's schema and docs pages answer GET only


def _method_not_allowed(request, allowed: list[str]):
    response = api.create_response(
        request, {"detail": f"该接口地址不支持 {request.method} 方法，可用：{'、'.join(allowed)}。"}, status=405
    )
    response["Allow"] = ", ".join(allowed)
    return response


@csrf_exempt
def unknown_path(request, *args, **kwargs):
    """Any address under /api/ that is no endpoint answers 404, whatever the method (before CSRF is checked:
    there is nothing to protect, and Django's CSRF page is HTML)."""
    return api.create_response(request, {"detail": "没有这个接口地址，请查看 /api/docs 中的接口列表。"}, status=404)


def _json_refusals(pattern: URLPattern) -> URLPattern:
    """The same URL with every refusal in JSON: ninja answers a wrong method with a plain-text 405, and its docs
    and schema pages take any method (and are not CSRF-exempt, so a POST met Django's HTML CSRF page)."""
    if pattern.name == "api-root":  # /api/ itself is no endpoint (ninja's view raises 404 for every method)
        return URLPattern(pattern.pattern, unknown_path, pattern.default_args, pattern.name)
    view = pattern.callback
    read_only = pattern.name in READ_ONLY_PAGES

    @csrf_exempt
    def json_refusals(request, *args, **kwargs):
        if read_only and request.method not in ("GET", "HEAD"):
            return _method_not_allowed(request, ["GET", "HEAD"])
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = {m.strip() for m in response["Allow"].split(",") if m.strip()}
        if "GET" in allowed:
            if request.method == "HEAD":  # HEAD is GET without the body (the server drops it), as in Django's views
                request.method = "GET"
                try:
                    return view(request, *args, **kwargs)
                finally:
                    request.method = "HEAD"
            allowed.add("HEAD")
        return _method_not_allowed(request, sorted(allowed))

    return URLPattern(pattern.pattern, json_refusals, pattern.default_args, pattern.name)
