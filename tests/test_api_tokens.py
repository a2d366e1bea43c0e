"""Personal API tokens: the services, the pages and token authentication of the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from bangfu.api.models import ApiToken, hash_token
from bangfu.api.services import MAX_LIVE_TOKENS, token_create, token_revoke
from bangfu.core import registry
from bangfu.core.models import AuditEntry

from .factories import make_user

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def alice():
    return make_user("expert", username="alice")


@pytest.fixture
def bob():
    return make_user("expert", username="bob")


# --- services ------------------------------------------------------------------------------------------------


def test_token_creation_stores_only_the_hash(alice):
    token, raw = token_create(user=alice, name="温湿度网关")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(v) for v in stored.values()}
    assert stored["key_hash"] == hash_token(raw)
    assert raw.startswith(stored["key_hint"])
    assert AuditEntry.objects.for_object(token).get().action == "创建接口令牌"


def test_token_needs_a_name(alice):
    with pytest.raises(ValidationError):
        token_create(user=alice, name="   ")


def test_a_user_may_hold_at_most_ten_live_tokens(alice):
    tokens = [token_create(user=alice, name=f"令牌{i}")[0] for i in range(MAX_LIVE_TOKENS)]
    with pytest.raises(ValidationError, match="最多"):
        token_create(user=alice, name="第十一个")
    token_revoke(token=tokens[0], by=alice)
    token_create(user=alice, name="撤销一个之后可以再建")


def test_only_the_owner_may_revoke_a_token(alice, bob):
    token, _ = token_create(user=alice, name="同步")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=bob)
    token_revoke(token=token, by=alice)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.for_object(token).filter(action="撤销接口令牌").count() == 1


# --- authentication ------------------------------------------------------------------------------------------


def test_me_answers_who_the_token_belongs_to(client, world):
    _, raw = token_create(user=world.helper_staff, name="馆藏同步")
    body = client.get("/api/me", **bearer(raw)).json()
    assert body["username"] == "helper_staff"
    assert body["role"] == "museum_staff" and body["role_label"] == "馆员"
    assert body["museum"] == {"id": world.helper_museum.pk, "name": "山西博物院"}
    assert body["auth"] == "token"


def test_me_works_with_the_browser_session(login, world):
    body = login(world.city_supervisor).get("/api/me").json()
    assert body["auth"] == "session"
    assert body["jurisdiction"] == {"code": "140200", "name": "大同市"}


def test_me_without_credentials_is_401(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "令牌" in response.json()["detail"]


def test_revoked_token_gets_401_even_on_public_endpoints(client, alice):
    token, raw = token_create(user=alice, name="旧网关")
    token_revoke(token=token, by=alice)
    for url in ("/api/me", "/api/museums"):
        response = client.get(url, **bearer(raw))
        assert response.status_code == 401, url
        assert response.json() == {"detail": "接口令牌无效或已撤销。"}


def test_unknown_token_gets_401(client):
    assert client.get("/api/museums", **bearer("bf_not-a-real-token")).status_code == 401


def test_token_of_a_deactivated_user_gets_401(client, alice):
    _, raw = token_create(user=alice, name="同步")
    alice.is_active = False
    alice.save()
    assert client.get("/api/me", **bearer(raw)).status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(client, alice):
    token, raw = token_create(user=alice, name="同步")
    client.get("/api/me", **bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


# --- API token endpoints -------------------------------------------------------------------------------------


def test_api_lists_only_my_tokens(client, alice, bob):
    _, raw = token_create(user=alice, name="甲")
    token_create(user=bob, name="乙")
    items = client.get("/api/tokens", **bearer(raw)).json()
    assert [t["name"] for t in items] == ["甲"]
    assert set(items[0]) == {"id", "name", "hint", "created_at", "last_used_at", "revoked_at"}


def test_api_cannot_revoke_another_users_token(client, alice, bob):
    _, raw = token_create(user=alice, name="甲")
    bobs, _ = token_create(user=bob, name="乙")
    response = client.delete(f"/api/tokens/{bobs.pk}", **bearer(raw))
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这个令牌。"}
    bobs.refresh_from_db()
    assert bobs.is_live


def test_api_revokes_own_token_with_a_token(client, alice):
    token, raw = token_create(user=alice, name="甲")
    assert client.delete(f"/api/tokens/{token.pk}", **bearer(raw)).status_code == 204
    assert client.get("/api/me", **bearer(raw)).status_code == 401


def test_session_writes_to_the_api_need_the_csrf_token(alice):
    token, _ = token_create(user=alice, name="甲")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice, backend="bangfu.accounts.backends.AccountBackend")
    response = browser.delete(f"/api/tokens/{token.pk}")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    token.refresh_from_db()
    assert token.is_live
    browser.get(reverse("api:tokens"))  # sets the CSRF cookie
    response = browser.delete(f"/api/tokens/{token.pk}", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert response.status_code == 204


# --- pages ---------------------------------------------------------------------------------------------------


def test_tokens_page_needs_sign_in(client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_creating_a_token_shows_the_raw_value_once(login, alice):
    client = login(alice)
    response = client.post(reverse("api:tokens"), {"name": "温湿度网关"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=alice)
    page = response.content.decode()
    raw = response.context["raw"]
    assert raw in page and "只显示这一次" in page
    assert token.key_hash == hash_token(raw)
    assert "no-store" in response["Cache-Control"]
    later = client.get(reverse("api:tokens")).content.decode()
    assert raw not in later and "温湿度网关" in later and token.key_hint in later


def test_creating_a_token_without_a_name_shows_the_error(login, alice):
    response = login(alice).post(reverse("api:tokens"), {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_list_page_shows_only_my_tokens(login, alice, bob):
    token_create(user=bob, name="鲍勃的网关")
    token_create(user=alice, name="爱丽丝的同步")
    page = login(alice).get(reverse("api:tokens")).content.decode()
    assert "爱丽丝的同步" in page and "鲍勃的网关" not in page


def test_revoking_asks_for_confirmation_then_revokes(login, alice):
    token, _ = token_create(user=alice, name="旧网关")
    client = login(alice)
    url = reverse("api:token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert "确认撤销" in confirm.content.decode()
    token.refresh_from_db()
    assert token.is_live
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert not token.is_live
    assert "已撤销" in client.get(reverse("api:tokens")).content.decode()


def test_another_users_token_is_404_on_the_revoke_page(login, alice, bob):
    token, _ = token_create(user=bob, name="鲍勃的网关")
    client = login(alice)
    url = reverse("api:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.is_live



def test_the_api_auth_checks_tokens_through_the_api_module_declaration(alice, monkeypatch):
    """The kit in the core names no app: it asks the module that declares a token check. Without one (the api
    module not installed) every token is refused, never taken for anonymous."""
    _, raw = token_create(user=alice, name="网关")
    assert Client().get("/api/me", **bearer(raw)).status_code == 200
    installed = registry.modules()
    monkeypatch.setattr(registry, "modules", lambda: [m for m in installed if m.slug != "api"])
    assert Client().get("/api/me", **bearer(raw)).status_code == 401
    assert Client().get("/api/museums", **bearer(raw)).status_code == 401
