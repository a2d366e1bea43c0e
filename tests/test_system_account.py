"""The platform's own account (`accounts.system_user`): nobody reaches, revives or signs in as it, it is created
once even when two processes race for it, and automated writes made with it pass every permission check."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from bangfu.accounts.backends import AccountBackend
from bangfu.accounts.models import SYSTEM_NAME, Role, User, system_user
from bangfu.accounts.services import (
    user_change_own_password,
    user_set_active,
    user_set_password,
    user_update,
)
from bangfu.api.services import token_create
from bangfu.ledger.services import ledger_record

PASSWORD = "Shanxi-museum-2026"


@pytest.mark.parametrize("name", ["accounts:user_edit", "accounts:user_toggle_active", "accounts:user_password"])
def test_the_account_pages_answer_404_for_the_system_account(world, login, name):
    system = system_user()
    client = login(world.admin)
    response = (client.get(reverse(name, args=[system.pk])) if name == "accounts:user_edit" else
                client.post(reverse(name, args=[system.pk]), {"password": PASSWORD, "password2": PASSWORD}))
    assert response.status_code == 404
    system.refresh_from_db()
    assert not system.is_active and not system.has_usable_password()


def test_the_rules_hide_the_system_account_from_everyone(world):
    system = system_user()
    for user in (world.admin, world.helper_admin):
        assert not user.has_perm("accounts.view_user", system)
        assert not user.has_perm("accounts.change_user", system)


def test_the_services_refuse_the_system_account(world):
    system = system_user()
    calls = [
        lambda: user_set_active(by=world.admin, user=system, active=True),
        lambda: user_set_password(by=world.admin, user=system, password=PASSWORD),
        lambda: user_update(by=world.admin, user=system, data={"full_name": "我"}),
        lambda: user_change_own_password(user=system, password=PASSWORD, reset=True),
        lambda: token_create(user=system, name="网关"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    system.refresh_from_db()
    assert not system.is_active and not system.has_usable_password() and not system.api_tokens.exists()


def test_a_password_reset_never_reaches_the_system_account(world, client):
    system = system_user()
    User.objects.filter(pk=system.pk).update(email="system@example.org")
    client.post(reverse("password_reset"), {"email": "system@example.org"})
    assert not mail.outbox


def test_nobody_signs_in_as_the_system_account_even_if_its_row_were_changed(world, client):
    system = system_user()
    assert not AccountBackend().user_can_authenticate(User(is_system=True, is_active=True))
    response = client.post(reverse("login"), {"username": system.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session and response.status_code == 200


def test_the_database_refuses_an_active_or_signable_system_account(world):
    system = system_user()
    for changes in ({"is_active": True}, {"password": "pbkdf2_sha256$1$salt$hash"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=system.pk).update(**changes)


def test_system_user_survives_another_process_creating_it_first(world, monkeypatch):
    """Two processes using it for the first time: the one that loses the race gets the winner's account."""
    real = User.set_unusable_password
    raced = []

    def set_unusable_password(self):  # after this process found none, before it saves its own
        if self.is_system and not raced:
            raced.append(True)  # the other process inserts first
            User.objects.bulk_create([User(username="system", full_name=SYSTEM_NAME, role=Role.ASSOCIATION_ADMIN,
                                           is_active=False, is_system=True, password="!other")])
        return real(self)

    monkeypatch.setattr(User, "set_unusable_password", set_unusable_password)
    system = system_user()
    assert raced and system.password == "!other" and User.objects.filter(is_system=True).count() == 1


def test_automated_writes_by_the_system_account_pass_the_permission_checks(world):
    system = system_user()
    entry = ledger_record(by=system, helper=world.helper_museum, helped=world.helped_museum, area="people",
                          kind="培训", date=datetime.date(2026, 3, 10), description="文物修复培训班", days=1,
                          evidence=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 sign-in sheet"))
    assert entry.evidence.files().count() == 1
