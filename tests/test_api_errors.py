"""Under /api/ every answer is JSON, refusals included (unknown addresses whatever the method, wrong methods), and
the OpenAPI schema says which endpoints are public and which errors each one can answer."""

import json
from urllib.parse import quote

import pytest
from django.test import Client

from bangfu.api.api import api
from bangfu.api.services import token_create
from bangfu.core.api.schemas import CODE_PATTERN
from bangfu.exchange.models import Post
from bangfu.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def browser_client(world):
    """A signed-in browser session that sends no CSRF token: Django's CSRF page must not answer instead."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.helper_staff, backend="bangfu.accounts.backends.AccountBackend")
    return client


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail"} and body["detail"].endswith("。")
    return body


@pytest.mark.parametrize("path", ["/api/nope", "/api/museums/abc", "/api/museums/1/extra", "/api/", "/api"])
@pytest.mark.parametrize("method", METHODS)
def test_an_unknown_api_address_answers_json_404_whatever_the_method(browser_client, client, path, method):
    for c in (client, browser_client):
        body = assert_json_error(getattr(c, method)(path), 404)
        assert "没有这个接口地址" in body["detail"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("post", "/api/museums", "GET, HEAD"),
    ("put", "/api/museums/1", "GET, HEAD"),
    ("delete", "/api/divisions", "GET, HEAD"),
    ("post", "/api/me", "GET, HEAD"),
    ("get", "/api/tokens/1", "DELETE"),
    ("patch", "/api/tokens/1", "DELETE"),
    ("post", "/api/docs", "GET, HEAD"),
    ("delete", "/api/openapi.json", "GET, HEAD"),
])
def test_a_wrong_method_answers_json_405_with_the_allowed_methods(browser_client, client, method, path, allowed):
    for c in (client, browser_client):
        response = getattr(c, method)(path)
        body = assert_json_error(response, 405)
        assert response["Allow"] == allowed
        assert method.upper() in body["detail"] and "不支持" in body["detail"]


def test_head_answers_like_get_without_a_body(client, world):
    response = client.head("/api/museums")
    assert response.status_code == 200 and response.content == b""
    assert client.head("/api/docs").status_code == 200


def test_the_documented_errors_are_what_the_api_answers(client, world):
    body = client.get("/api/museums", {"limit": "many"}).json()
    assert client.get("/api/museums", {"limit": "many"}).status_code == 422
    assert set(body) == {"detail", "errors"} and body["errors"][0] == {"field": "limit", "message": "必须是整数"}
    assert_json_error(client.get("/api/museums/999999"), 404)
    assert_json_error(client.get("/api/museums", HTTP_AUTHORIZATION="Bearer bf_unknown"), 401)
    assert_json_error(client.get("/api/me"), 401)


# --- the schema ----------------------------------------------------------------------------------------------


def operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def error_schema(operation, status: int) -> str | None:
    response = operation["responses"].get(status)
    return response and response["content"]["application/json"]["schema"]["$ref"]


PUBLIC = {"GET /api/divisions", "GET /api/divisions/{code}", "GET /api/museums", "GET /api/museums/{museum_id}",
          "GET /api/experts", "GET /api/experts/{expert_id}", "GET /api/exchange/posts",
          "GET /api/exchange/posts/{post_id}", "GET /api/exchange/posts/{post_id}/matches",
          "GET /api/exhibitions/touring", "GET /api/exhibitions/touring/{touring_id}"}


# Endpoints that also take a site's gateway token (bfs_…) besides a personal token or the session.
GATEWAY = {"POST /api/environment/readings"}


def test_public_endpoints_need_no_credentials_and_the_others_a_token_or_session():
    seen = dict(operations())
    assert set(seen) >= PUBLIC
    for name, operation in seen.items():
        if name in PUBLIC:
            assert operation["security"] == [{}, {"TokenOrSession": []}], name
        elif name in GATEWAY:
            assert operation["security"] == [{"SiteTokenOrSession": []}], name
        else:
            assert operation["security"] == [{"TokenOrSession": []}], name


def test_every_endpoint_documents_the_errors_it_can_answer():
    """401 everywhere (a bad token is refused even on public endpoints), 404 where the path names an object, 422
    where parameters are validated: each with its error schema. New endpoints are held to the same rule."""
    for name, operation in operations():
        params = {p["in"] for p in operation["parameters"]}
        assert error_schema(operation, 401) == "#/components/schemas/Error", name
        if "path" in params:
            assert error_schema(operation, 404) == "#/components/schemas/Error", name
        if "query" in params or "requestBody" in operation:
            assert error_schema(operation, 422) == "#/components/schemas/ValidationErrorOut", name


def test_the_schema_describes_the_validation_error_items():
    schema = api.get_openapi_schema()["components"]["schemas"]
    assert schema["ValidationErrorOut"]["required"] == ["detail", "errors"]
    assert set(schema["FieldError"]["properties"]) == {"field", "message"}


def test_a_token_still_works_on_public_endpoints(client, world):
    _, raw = token_create(user=world.helper_staff, name="网关")
    response = client.get(f"/api/museums/{world.helped_museum.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["contact"] is not None


# --- text inputs: control characters, patterns, bodies that are not JSON ---------------------------------------


def _component(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _is_free_text(prop: dict) -> bool:
    """A string the client chooses freely (not an enum, a date or a number written as a string)."""
    options = prop.get("anyOf", [prop])
    return any(o.get("type") == "string" and "format" not in o and "enum" not in o for o in options) and not any(
        o.get("type") in ("number", "integer") for o in options)


def text_inputs():
    """(operation, where, name) for every free-text input of every endpoint: query and path parameters and the
    string fields of JSON bodies. New endpoints are covered without further work."""
    schema = api.get_openapi_schema()
    for name, operation in operations():
        for param in operation["parameters"]:
            if _is_free_text(param["schema"]):
                yield name, param["in"], param["name"]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:  # a body schema, or an optional one (anyOf the schema and null)
            ref = body["schema"].get("$ref") or next(o["$ref"] for o in body["schema"]["anyOf"] if "$ref" in o)
            for field, prop in _component(schema, ref)["properties"].items():
                if _is_free_text(prop):
                    yield name, "body", field


VALID_BODIES = {
    "POST /api/ledger": lambda w: {"helper_id": w.helper_museum.pk, "helped_id": w.helped_museum.pk,
                                   "area": "people", "kind": "培训", "date": "2026-03-01", "description": "培训班",
                                   "evidence_link": "https://news.example.org/1"},
    "POST /api/exchange/posts": lambda w: {"kind": "need", "area": "conservation", "title": "壁画修复",
                                           "description": "壁画起甲", "museum_id": w.helped_museum.pk},
    # The path's {touring_id} stays a placeholder: the request is 404 before its body is read (404 is accepted).
    "POST /api/exhibitions/touring/{touring_id}/stops": lambda w: {"start": "2026-03-01", "end": "2026-04-30",
                                                                   "note": "申请说明"},
    "POST /api/loans": lambda w: {"lender_id": w.helper_museum.pk, "objects": [1], "purpose": "展览",
                                  "venue": "展厅", "start": "2027-01-01", "end": "2027-03-01"},
    "POST /api/loans/{loan_id}/actions/{action}": lambda w: {},
    "POST /api/environment/rooms": lambda w: {"name": "书画库", "kind": "storeroom", "materials": ["paper_textile"]},
    # The path's {room_id} is not in the path: an unknown room is a 404 (accepted) before any text is read.
    "POST /api/environment/sensors": lambda w: {"room_id": 999999, "name": "温湿度计 1", "serial": "MX-01"},
    "POST /api/environment/readings": lambda w: {"readings": []},
    "POST /api/placements": lambda w: {"host_id": w.helper_museum.pk, "person_id": w.helped_staff.pk,
                                       "kind": "study", "start": "2027-03-01", "end": "2027-05-31",
                                       "department": "陈列部", "goals": "学习陈列设计"},
    "POST /api/training/classes": lambda w: {"title": "培训班", "area": "guiding", "start": "2027-01-01",
                                             "end": "2027-01-02", "hours": 12, "places": 3,
                                             "host_id": w.helper_museum.pk, "description": "内容", "place": "太原"},
    # The path's {class_id} stays a placeholder: the request is 404 before its body is read (404 is accepted).
    "POST /api/training/classes/{class_id}/nominations": lambda w: {"user_ids": [w.helped_staff.pk]},
    "POST /api/objects": lambda w: {"name": "铜戈", "registration_number": "AZ-1", "grade": "一般", "material": "铜",
                                    "condition": "good", "has_record": True},
}


def test_the_text_inputs_are_found():
    found = {(name, where, field) for name, where, field in text_inputs()}
    assert {("GET /api/museums", "query", "q"), ("GET /api/museums", "query", "city"),
            ("GET /api/divisions/{code}", "path", "code"), ("POST /api/ledger", "body", "kind"),
            ("POST /api/ledger", "body", "description"), ("POST /api/ledger", "body", "evidence_link")} <= found


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202e"])
def test_every_text_input_of_the_api_refuses_control_characters_with_a_422(client, world, character):
    _, raw = token_create(user=world.admin, name="模糊测试")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for name, where, field in text_inputs():
        method, path = name.split(" ", 1)
        value = quote(f"14{character}0100")
        if where == "query":
            response = client.generic(method, path, **auth, QUERY_STRING=f"{field}={value}")
        elif where == "path":
            response = client.generic(method, path.replace("{" + field + "}", value), **auth)
        else:
            body = VALID_BODIES[name](world) | {field: f"培训{character}班"}
            response = client.generic(method, path, json.dumps(body), content_type="application/json", **auth)
        assert response.status_code in (404, 422), (name, where, field, response.status_code)
        if response.status_code == 422:
            assert field in [e["field"] for e in response.json()["errors"]], (name, field)
    assert not LedgerEntry.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(("operation", "parameter"), [
    ("GET /api/divisions", "parent"), ("GET /api/museums", "city"), ("GET /api/museums", "county"),
    ("GET /api/experts", "region"), ("GET /api/divisions/{code}", "code"),
])
def test_the_schema_gives_the_pattern_of_division_codes(operation, parameter):
    params = {p["name"]: p["schema"] for p in dict(operations())[operation]["parameters"]}
    options = params[parameter].get("anyOf", [params[parameter]])
    assert [o.get("pattern") for o in options if o.get("type") == "string"] == [CODE_PATTERN]


@pytest.mark.parametrize("body", [b"{", b"not json", b'{"kind": "\xff\xfe"}', b'{"kind": "a\x00b"}',
                                  b"[" * 100_000 + b"]" * 100_000])  # the last nested too deep to parse
def test_a_body_that_is_not_json_is_a_documented_422_in_chinese(client, world, body):
    _, raw = token_create(user=world.helper_staff, name="同步")
    response = client.post("/api/ledger", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    payload = response.json()
    assert set(payload) == {"detail", "errors"}
    assert payload["detail"] == "请求内容不是合法的 JSON，请检查格式（如引号、逗号、括号是否配对）。"
    assert payload["errors"] == [{"field": "", "message": payload["detail"]}]
    operation = dict(operations())["POST /api/ledger"]
    assert error_schema(operation, 422) == "#/components/schemas/ValidationErrorOut"
    assert 400 not in operation["responses"]
