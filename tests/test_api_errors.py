"""Under /api/ every answer is JSON, refusals included (unknown addresses whatever the method, wrong methods), and
the OpenAPI schema says which endpoints are public and which errors each one can answer."""

import pytest
from django.test import Client

from bangfu.api.api import api
from bangfu.api.services import token_create

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def browser_client(world):
    """A signed-in browser session that sends no CSRF token: Django's CSRF page must not answer instead."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.helper_staff, backend="django.contrib.auth.backends.ModelBackend")
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
          "GET /api/experts", "GET /api/experts/{expert_id}"}


def test_public_endpoints_need_no_credentials_and_the_others_a_token_or_session():
    seen = dict(operations())
    assert set(seen) >= PUBLIC
    for name, operation in seen.items():
        if name in PUBLIC:
            assert operation["security"] == [{}, {"TokenOrSession": []}], name
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
