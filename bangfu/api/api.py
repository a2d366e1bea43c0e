"""The JSON API (django-ninja): OpenAPI docs at /api/docs, every error answered as {"detail": "…"}."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from bangfu.core import registry
from bangfu.core.api.auth import optional_auth, required_auth
from bangfu.core.validation import join_messages

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


class PlatformDocs(Swagger):
    """Ninja's Swagger page in a template of ours (api/docs.html): with a viewport for phones."""

    template = "api/docs.html"


def build_api() -> PlatformAPI:
    """The API with every installed module's routers (`registry.api_routers()`, in their order) and the
    error handlers below. Built once, here; tests that install a module of their own build another."""
    platform_api = PlatformAPI(
        title="山西省博物馆帮扶信息平台 API",
        docs=PlatformDocs(),
        version="1.0",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        auth=optional_auth,
        renderer=ChineseJSONRenderer(),
    )
    for entry in registry.api_routers():
        platform_api.add_router(entry.prefix, entry.router.replace(":", "."),
                                **({"auth": required_auth} if entry.signed_in else {}))
    for exc_class, handler in HANDLERS.items():
        platform_api.add_exception_handler(exc_class, partial(handler, platform_api))
    return platform_api


# --- errors ------------------------------------------------------------------------------------------------

# Every error type pydantic can report (pydantic_core's ErrorType; tests/test_api_messages.py checks the list is
# complete), in Chinese: no English message reaches a user. {placeholders} are the error's context. Most types
# cannot arise from our schemas (they concern Python objects, not JSON and query strings); they are here so that
# a schema added later cannot bring English back. Errors raised by our own validators (PydanticCustomError, such as
# control_characters) carry a Chinese message already and are passed through.
PYDANTIC_MESSAGES = {
    # presence and shape
    "missing": "必须填写",
    "missing_argument": "必须填写",
    "missing_keyword_only_argument": "必须填写",
    "missing_positional_only_argument": "必须填写",
    "missing_sentinel_error": "必须填写",
    "extra_forbidden": "不是可用的参数，请删除",
    "unexpected_keyword_argument": "不是可用的参数，请删除",
    "unexpected_positional_argument": "不是可用的参数，请删除",
    "multiple_argument_values": "重复提供了多次",
    "arguments_type": "参数格式不正确",
    "no_such_attribute": "不是可用的参数",
    "get_attribute_error": "无法读取",
    "invalid_key": "键名必须是文本",
    "frozen_field": "不能修改",
    "frozen_instance": "不能修改",
    "default_factory_not_called": "无法生成默认值",
    "none_required": "必须为空（null）",
    "needs_python_object": "格式不正确",
    "recursion_loop": "数据中有循环引用",
    "recursion_depth_exceeded": "数据嵌套层数过多",
    # JSON and objects
    "json_invalid": "不是合法的 JSON",
    "json_type": "必须是 JSON 文本",
    "model_type": "必须是 JSON 对象（{{…}}）",
    "model_attributes_type": "必须是 JSON 对象（{{…}}）",
    "dataclass_type": "必须是 JSON 对象（{{…}}）",
    "dataclass_exact_type": "必须是 JSON 对象（{{…}}）",
    "named_tuple_type": "必须是列表（[…]）",
    "dict_type": "必须是 JSON 对象（{{…}}）",
    "frozen_dict_type": "必须是 JSON 对象（{{…}}）",
    "ordered_dict_type": "必须是 JSON 对象（{{…}}）",
    "counter_type": "必须是 JSON 对象（{{…}}）",
    "mapping_type": "必须是 JSON 对象（{{…}}）",
    "list_type": "必须是列表（[…]）",
    "tuple_type": "必须是列表（[…]）",
    "set_type": "必须是列表（[…]）",
    "frozen_set_type": "必须是列表（[…]）",
    "deque_type": "必须是列表（[…]）",
    "iterable_type": "必须是列表（[…]）",
    "iteration_error": "列表中有无法读取的项",
    "set_item_not_hashable": "列表中有无法比较的项",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "不能超过 {max_length} 个（现在是 {actual_length} 个）",
    # text
    "string_type": "必须是文本",
    "string_unicode": "必须是有效的 Unicode 文本",
    "string_too_short": "至少需要 {min_length} 个字",
    "string_too_long": "不能超过 {max_length} 个字",
    "string_pattern_mismatch": "格式不正确",
    "string_not_ascii": "只能包含英文字母、数字和符号",
    "bytes_type": "必须是文本",
    "bytes_too_short": "至少需要 {min_length} 个字节",
    "bytes_too_long": "不能超过 {max_length} 个字节",
    "bytes_invalid_encoding": "编码不正确",
    # choices
    "enum": "取值必须是 {expected} 之一",
    "literal_error": "取值必须是 {expected} 之一",
    "union_tag_invalid": "取值必须是 {expected_tags} 之一",
    "union_tag_not_found": "缺少 {discriminator}",
    "is_instance_of": "类型不正确",
    "is_subclass_of": "类型不正确",
    "callable_type": "类型不正确",
    "ellipsis_error": "类型不正确",
    "value_error": "取值无效",
    "assertion_error": "取值无效",
    # true and false
    "bool_type": "必须是 true 或 false",
    "bool_parsing": "必须是 true 或 false",
    # numbers
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_parsing_size": "数值过大",
    "int_from_float": "必须是整数",
    "float_type": "必须是数字",
    "float_parsing": "必须是数字",
    "decimal_type": "必须是数字",
    "decimal_parsing": "必须是数字",
    "finite_number": "必须是有限的数字（不能是 NaN 或 Infinity，也不能大得超出范围）",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多保留 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "fraction_type": "必须是数字",
    "fraction_parsing": "必须是数字",
    "complex_type": "必须是数字",
    "complex_str_parsing": "必须是数字",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "必须是 {multiple_of} 的整数倍",
    # dates and times
    "date_type": "必须是日期，如 2026-01-31",
    "date_parsing": "必须是日期，如 2026-01-31",
    "date_from_datetime_parsing": "必须是日期，如 2026-01-31",
    "date_from_datetime_inexact": "必须是日期，如 2026-01-31（不带时间）",
    "date_past": "必须是过去的日期",
    "date_future": "必须是将来的日期",
    "time_type": "必须是时间，如 14:30",
    "time_parsing": "必须是时间，如 14:30",
    "datetime_type": "必须是日期和时间，如 2026-01-31T14:30:00+08:00",
    "datetime_parsing": "必须是日期和时间，如 2026-01-31T14:30:00+08:00",
    "datetime_object_invalid": "日期和时间无效",
    "datetime_from_date_parsing": "必须是日期和时间，如 2026-01-31T14:30:00+08:00",
    "datetime_past": "必须是过去的时间",
    "datetime_future": "必须是将来的时间",
    "timezone_naive": "不能带时区",
    "timezone_aware": "必须带时区，如 +08:00",
    "timezone_offset": "时区应为 {tz_expected}",
    "time_delta_type": "必须是时长，如 PT1H",
    "time_delta_parsing": "必须是时长，如 PT1H",
    # addresses and identifiers
    "url_type": "必须是网址",
    "url_parsing": "必须是有效的网址，如 https://www.example.org",
    "url_syntax_violation": "必须是有效的网址，如 https://www.example.org",
    "url_too_long": "网址不能超过 {max_length} 个字符",
    "url_scheme": "网址必须以 {expected_schemes} 开头",
    "uuid_type": "必须是 UUID",
    "uuid_parsing": "必须是 UUID",
    "uuid_version": "必须是第 {expected_version} 版 UUID",
}


def _readable(error: dict) -> dict:
    """One pydantic error as {"field": "limit", "message": "不能大于 200"}, in Chinese whatever its type."""
    loc = [str(part) for part in error.get("loc", ())]
    field = ".".join(loc[2:] if loc[:1] == ["body"] else loc[1:]) or (loc[0] if loc else "")
    template = PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:  # our own validators' errors (PydanticCustomError), in Chinese already
        return {"field": field, "message": error.get("msg", "取值无效")}
    ctx = {k: str(v).replace(" or ", "、").replace(", ", "、") for k, v in (error.get("ctx") or {}).items()}
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):  # a context this pydantic version does not give: the message without it
        message = PYDANTIC_MESSAGES["value_error"] if "{" in template else template
    return {"field": field, "message": message}


def validation_error(api, request, exc):
    errors = [_readable(e) for e in exc.errors]
    summary = join_messages([f"{e['field']} {e['message']}" if e["field"] else e["message"] for e in errors])
    return api.create_response(request, {"detail": f"参数有误：{summary}", "errors": errors}, status=422)


UNREADABLE_BODY = "请求内容不是合法的 JSON，请检查格式（如引号、逗号、括号是否配对）。"


def http_error(api, request, exc):
    """Ninja's own refusals as its default handler answers them, except a body it cannot parse (its English 400
    "Cannot parse request body", raised from the JSON or UTF-8 decoding error): a 422 in the shape of a parameter
    error, as documented for every endpoint that takes a body."""
    # JSONDecodeError, UnicodeDecodeError; RecursionError for a body nested thousands of levels deep
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError | RecursionError):
        return api.create_response(
            request, {"detail": UNREADABLE_BODY, "errors": [{"field": "", "message": UNREADABLE_BODY}]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def service_refusal(api, request, exc):
    """A service's refusal (the same ValidationError the pages show beside their fields): 422, each message with
    the field it concerns, in the shape of a parameter error."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    errors = [{"field": "" if field == "__all__" else field, "message": message}
              for field, messages in fields.items() for message in messages]
    return api.create_response(request, {"detail": join_messages([e["message"] for e in errors]), "errors": errors},
                               status=422)


def unauthenticated(api, request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def forbidden(api, request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限。"}, status=403)


def too_large(api, request, exc):
    """A body beyond DATA_UPLOAD_MAX_MEMORY_SIZE (Django's refusal is an HTML 400): a JSON 413."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
    return api.create_response(request, {"detail": f"请求内容过大（上限 {limit:g} MB），请分批发送。"}, status=413)


def not_found(api, request, exc):
    return api.create_response(request, {"detail": str(exc) or "未找到。"}, status=404)


HANDLERS = {
    NinjaValidationError: validation_error,
    HttpError: http_error,
    DjangoValidationError: service_refusal,
    AuthenticationError: unauthenticated,
    PermissionDenied: forbidden,
    RequestDataTooBig: too_large,
    Http404: not_found,
}
api = build_api()


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
