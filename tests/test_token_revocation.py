"""API tokens do not outlive the credentials they were made under: a password changed, reset or set by an
administrator — or by `manage.py changepassword` or any code that sets and saves a password — and an account
deactivated, revoke every token of the account, and reactivation brings none back."""

import io

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bangfu.accounts.services import user_set_active, user_set_password
from bangfu.api.models import ApiToken
from bangfu.api.services import token_create
from bangfu.core.models import AuditEntry

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-pass-9"


def api_me(raw: str) -> int:
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


@pytest.fixture
def tokens(world):
    """Two live tokens of helper_staff and one of helped_staff (which must survive)."""
    raws = [token_create(user=world.helper_staff, name=name)[1] for name in ("温湿度网关", "馆藏系统")]
    _, other = token_create(user=world.helped_staff, name="别人的网关")
    assert all(api_me(raw) == 200 for raw in [*raws, other])
    return raws, other


def assert_revoked(raws, *, reason: str) -> None:
    assert all(api_me(raw) == 401 for raw in raws)
    revoked = AuditEntry.objects.filter(action="撤销接口令牌", object_type="api.apitoken")
    assert revoked.count() == len(raws)
    assert all(entry.changes["原因"] == [None, reason] for entry in revoked)


def test_changing_ones_own_password_revokes_ones_tokens_and_keeps_one_signed_in(client, world, tokens):
    raws, other = tokens
    client.post(reverse("login"), {"username": "helper_staff", "password": PASSWORD})
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.check_password(NEW_PASSWORD)
    assert_revoked(raws, reason="修改密码")
    assert api_me(other) == 200
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in on this browser
    assert AuditEntry.objects.for_object(world.helper_staff).filter(action="修改密码").exists()


def test_a_wrong_old_password_changes_nothing_and_revokes_nothing(client, world, tokens):
    raws, _ = tokens
    client.post(reverse("login"), {"username": "helper_staff", "password": PASSWORD})
    client.post(reverse("password_change"), {
        "old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert all(api_me(raw) == 200 for raw in raws)


def test_resetting_the_password_by_e_mail_revokes_the_tokens(client, world, tokens):
    raws, other = tokens
    world.helper_staff.email = "staff@example.org"
    world.helper_staff.save()
    client.post(reverse("password_reset"), {"email": "staff@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.check_password(NEW_PASSWORD)
    assert_revoked(raws, reason="通过邮件链接重设密码")
    assert api_me(other) == 200


def test_a_password_set_by_an_administrator_revokes_the_tokens(login, world, tokens):
    raws, other = tokens
    login(world.helper_admin).post(reverse("accounts:user_password", args=[world.helper_staff.pk]),
                                   {"password": NEW_PASSWORD})
    assert_revoked(raws, reason="管理员重设密码")
    assert api_me(other) == 200


def test_deactivation_revokes_the_tokens_and_reactivation_brings_none_back(login, world, tokens):
    raws, other = tokens
    client = login(world.helper_admin)
    client.post(reverse("accounts:user_toggle_active", args=[world.helper_staff.pk]))
    assert_revoked(raws, reason="账号停用")
    client.post(reverse("accounts:user_toggle_active", args=[world.helper_staff.pk]))
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.is_active
    assert all(api_me(raw) == 401 for raw in raws)
    assert api_me(other) == 200


def test_tokens_left_live_by_an_earlier_deactivation_die_on_reactivation(world):
    """Accounts deactivated before tokens were revoked on deactivation still hold live tokens."""
    _, raw = token_create(user=world.helper_staff, name="旧网关")
    world.helper_staff.is_active = False
    world.helper_staff.save(update_fields=["is_active"])
    user_set_active(by=world.admin, user=world.helper_staff, active=True)
    assert api_me(raw) == 401
    assert not ApiToken.objects.live().filter(user=world.helper_staff).exists()


def test_the_services_refuse_someone_who_may_not_manage_the_account(world, tokens):
    from django.core.exceptions import PermissionDenied

    raws, _ = tokens
    with pytest.raises(PermissionDenied):
        user_set_password(by=world.outsider_admin, user=world.helper_staff, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        user_set_active(by=world.outsider_admin, user=world.helper_staff, active=False)
    assert all(api_me(raw) == 200 for raw in raws)


# --- whatever the path: set_password + save revokes, a mere rehash does not --------------------------------------


def test_the_changepassword_command_revokes_the_tokens(world, tokens, monkeypatch):
    raws, other = tokens
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "helper_staff", stdout=io.StringIO())
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.check_password(NEW_PASSWORD)
    assert_revoked(raws, reason="密码已更改")
    assert api_me(other) == 200
    assert not ApiToken.objects.live().filter(user=world.helper_staff).exists()  # revoked, not only refused


def test_a_password_set_in_code_revokes_the_tokens(world, tokens):
    raws, other = tokens
    user = type(world.helper_staff).objects.get(pk=world.helper_staff.pk)
    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    assert_revoked(raws, reason="密码已更改")
    assert api_me(other) == 200


def test_a_new_token_made_after_the_change_works(world, tokens):
    user = world.helper_staff
    user.set_password(NEW_PASSWORD)
    user.save()
    _, raw = token_create(user=user, name="新网关")
    assert api_me(raw) == 200


class UpgradedHasher(MD5PasswordHasher):
    """Stands for a stronger hasher a future release prefers: the stored MD5 hashes get rehashed on sign-in."""

    algorithm = "md5_upgraded"


def test_rehashing_a_password_on_sign_in_is_no_change_and_revokes_nothing(client, world, tokens, settings):
    raws, _ = tokens
    settings.PASSWORD_HASHERS = ["tests.test_token_revocation.UpgradedHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert client.post(reverse("login"), {"username": "helper_staff", "password": PASSWORD}).status_code == 302
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.password.startswith("md5_upgraded$")  # rehashed
    assert all(api_me(raw) == 200 for raw in raws)
