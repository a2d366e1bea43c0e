"""`python manage.py create_api_token USERNAME [--name NAME]`: a new token through the tokens service, printed alone
on standard output for scripts; unknown or disabled accounts are refused in Chinese."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bangfu.accounts.models import system_user
from bangfu.accounts.services import user_set_active
from bangfu.api.models import ApiToken, hash_token
from bangfu.api.services import MAX_LIVE_TOKENS, token_create
from bangfu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_a_working_token_and_nothing_else_on_standard_output(client, world):
    raw, note = run("helped_staff", "--name", "温湿度网关")
    token = ApiToken.objects.get(user=world.helped_staff)
    assert token.name == "温湿度网关" and token.key_hash == hash_token(raw) and raw.startswith("bf_")
    assert "只显示这一次" in note and AuditEntry.objects.filter(action="创建接口令牌").count() == 1
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_a_token_without_a_name_is_named_for_the_command_line(world):
    run("helped_staff")
    assert ApiToken.objects.get(user=world.helped_staff).name == "命令行创建"


def test_an_unknown_user_is_refused_in_chinese(world):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的账号"):
        run("nobody")


def test_an_account_that_cannot_sign_in_gets_no_token(world):
    user_set_active(by=world.admin, user=world.outsider, active=False)
    with pytest.raises(CommandError, match="已停用或不能登录"):
        run("outsider")
    with pytest.raises(CommandError, match="已停用或不能登录"):
        run(system_user().username)
    assert not ApiToken.objects.exists()


def test_the_tokens_limit_holds_for_the_command_too(world):
    for i in range(MAX_LIVE_TOKENS):
        token_create(user=world.helped_staff, name=f"令牌{i}")
    with pytest.raises(CommandError, match=f"最多可有 {MAX_LIVE_TOKENS} 个有效令牌"):
        run("helped_staff")
