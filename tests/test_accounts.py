"""Sign-in, passwords, throttling and who may manage which accounts."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from bangfu import settings as project_settings
from bangfu.accounts.models import User
from bangfu.core.models import AuditEntry

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_user_signs_in_and_lands_on_their_home_page(client, world):
    response = client.post(reverse("login"), {"username": "helped_admin", "password": PASSWORD}, follow=True)
    assert response.context["user"] == world.helped_admin
    assert "本馆资料完整度" in response.content.decode()


def test_wrong_password_shows_a_chinese_message(client, world):
    response = client.post(reverse("login"), {"username": "helped_admin", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_login_with_a_chinese_message(client, world):
    for _ in range(3):
        client.post(reverse("login"), {"username": "helped_admin", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "helped_admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_logout_needs_post_and_signs_out(client, login, world):
    login(world.helper_staff)
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_password_change_requires_the_old_password(client, world):
    client.post(reverse("login"), {"username": "helper_staff", "password": PASSWORD})
    response = client.post(reverse("password_change"), {
        "old_password": "not-it", "new_password1": "Brand-new-pass-9", "new_password2": "Brand-new-pass-9",
    })
    assert "旧密码" in response.content.decode()
    client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-new-pass-9", "new_password2": "Brand-new-pass-9",
    })
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.check_password("Brand-new-pass-9")


def test_password_reset_sends_a_link_that_sets_a_new_password(client, world):
    world.helper_staff.email = "staff@example.org"
    world.helper_staff.save()
    client.post(reverse("password_reset"), {"email": "staff@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "Reset-pass-2026", "new_password2": "Reset-pass-2026",
    })
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.check_password("Reset-pass-2026")


def test_login_page_shows_demo_accounts_only_in_demo_mode(client):
    with override_settings(DEMO_MODE=True):
        assert "Demo@2026" in client.get(reverse("login")).content.decode()
    with override_settings(DEMO_MODE=False):
        assert "Demo@2026" not in client.get(reverse("login")).content.decode()


def test_login_page_lists_each_account_the_demo_offers_with_its_hint(client):
    with override_settings(DEMO_MODE=True):
        page = client.get(reverse("login")).content.decode()
    offered = [("xiehui", "协会管理员：名录、账号、导入、变更记录"), ("anze_staff", "受援方馆员：安泽县博物馆")]
    for username, hint in offered:
        assert f'data-username="{username}"' in page and hint in page


# --- managing accounts -----------------------------------------------------------------------------------


def test_association_admin_creates_a_museum_admin(login, world):
    client = login(world.admin)
    response = client.post(reverse("accounts:user_create"), {
        "username": "new_admin", "full_name": "新馆长", "email": "n@example.org", "role": "museum_admin",
        "museum": world.other_museum.pk, "password": "Strong-pass-77",
    })
    assert response.status_code == 302
    user = User.objects.get(username="new_admin")
    assert user.museum == world.other_museum and user.role == "museum_admin"
    assert user.check_password("Strong-pass-77")
    assert AuditEntry.objects.for_object(user).filter(action="创建账号", actor=world.admin).exists()


def test_account_without_password_gets_a_setup_email(login, world, django_capture_on_commit_callbacks):
    client = login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:user_create"), {
            "username": "mailed", "email": "mailed@example.org", "role": "supervisor",
            "jurisdiction": world.city_supervisor.jurisdiction.pk,
        })
    user = User.objects.get(username="mailed")
    assert not user.has_usable_password()
    assert any("已开通" in m.subject for m in mail.outbox)


def test_museum_staff_account_needs_a_museum(login, world):
    client = login(world.admin)
    response = client.post(reverse("accounts:user_create"), {"username": "nomuseum", "role": "museum_staff"})
    assert "必须属于一个博物馆" in response.content.decode()
    assert not User.objects.filter(username="nomuseum").exists()


def test_museum_admin_creates_staff_of_their_own_museum_only(login, world):
    client = login(world.helped_admin)
    client.post(reverse("accounts:user_create"), {
        "username": "new_staff", "role": "museum_staff", "museum": world.other_museum.pk, "password": "Strong-pass-77",
    })
    user = User.objects.get(username="new_staff")
    assert user.museum == world.helped_museum  # the museum field is not theirs to choose


def test_museum_admin_cannot_create_an_association_admin(login, world):
    client = login(world.helped_admin)
    client.post(reverse("accounts:user_create"), {"username": "sneaky", "role": "association_admin",
                                                  "password": "Strong-pass-77"})
    assert not User.objects.filter(username="sneaky").exists()


def test_museum_admin_lists_only_their_own_staff(login, world):
    client = login(world.helped_admin)
    body = client.get(reverse("accounts:users")).content.decode()
    assert "helped_staff" in body
    assert "helper_staff" not in body and "outsider" not in body


def test_outsider_admin_cannot_see_or_change_another_museums_account(login, world):
    client = login(world.outsider_admin)
    url = reverse("accounts:user_edit", args=[world.helped_staff.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("accounts:user_toggle_active", args=[world.helped_staff.pk])).status_code == 404
    world.helped_staff.refresh_from_db()
    assert world.helped_staff.is_active


def test_museum_staff_cannot_manage_accounts(login, world):
    client = login(world.helped_staff)
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_supervisor_cannot_manage_accounts(login, world):
    client = login(world.province_supervisor)
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[world.helped_staff.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_museum_admin_deactivates_their_staff_and_it_is_audited(login, world):
    client = login(world.helped_admin)
    client.post(reverse("accounts:user_toggle_active", args=[world.helped_staff.pk]))
    world.helped_staff.refresh_from_db()
    assert not world.helped_staff.is_active
    assert AuditEntry.objects.for_object(world.helped_staff).filter(action="停用账号").exists()


def test_admin_cannot_deactivate_themselves(login, world):
    client = login(world.admin)
    client.post(reverse("accounts:user_toggle_active", args=[world.admin.pk]))
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_admin_sets_a_password_for_staff_with_validation(login, world):
    client = login(world.helped_admin)
    url = reverse("accounts:user_password", args=[world.helped_staff.pk])
    response = client.post(url, {"password": "123"})
    assert response.status_code == 400
    client.post(url, {"password": "Another-pass-88"})
    world.helped_staff.refresh_from_db()
    assert world.helped_staff.check_password("Another-pass-88")


def test_user_edits_their_own_profile(login, world):
    client = login(world.helper_staff)
    client.post(reverse("accounts:profile"), {"full_name": "刘洋", "email": "ly@example.org", "phone": "0351-1234567",
                                              "title": "馆员"})
    world.helper_staff.refresh_from_db()
    assert world.helper_staff.full_name == "刘洋"


def test_createsuperuser_makes_an_association_admin():
    from django.core.management import call_command

    call_command("createsuperuser", username="root", email="root@example.org", interactive=False, verbosity=0)
    assert User.objects.get(username="root").is_association_admin


def test_association_sees_an_accounts_change_history(login, world):
    client = login(world.admin)
    client.post(reverse("accounts:user_toggle_active", args=[world.helped_staff.pk]))
    body = client.get(reverse("accounts:user_edit", args=[world.helped_staff.pk])).content.decode()
    assert "停用账号" in body and "创建账号" in body
    body = login(world.helped_admin).get(reverse("accounts:user_edit", args=[world.helped_staff.pk])).content.decode()
    assert "变更记录" not in body


def test_the_login_page_carries_the_platform_name_not_the_host(client):
    body = client.get(reverse("login")).content.decode()
    assert "山西省博物馆帮扶信息平台" in body.split("</nav>")[0] and "testserver" not in body


def test_a_museums_staff_are_its_active_admins_and_staff_only(world, django_assert_num_queries):
    from bangfu.accounts.selectors import museum_staff, museums_staff

    User.objects.filter(pk=world.helped_staff.pk).update(is_active=False)
    with django_assert_num_queries(1):
        assert museum_staff(world.helper_museum.pk) == [world.helper_admin, world.helper_staff]
    assert museum_staff(world.helped_museum.pk) == [world.helped_admin]
    with django_assert_num_queries(1):
        staff = museums_staff([world.helper_museum.pk, world.other_museum.pk, world.helper_museum.pk])
    assert staff == {world.helper_museum.pk: [world.helper_admin, world.helper_staff],
                     world.other_museum.pk: [world.outsider, world.outsider_admin]}
