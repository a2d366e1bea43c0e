"""The token page says truthfully what a token can do: read what the user sees, and every write the API offers
(record ledger entries, revoke tokens), not only "the same read permissions"."""

import pytest
from django.urls import reverse

from bangfu.api.api import api

pytestmark = pytest.mark.django_db


def test_the_token_page_names_every_write_the_api_offers(world, login):
    page = login(world.helper_staff).get(reverse("api:tokens")).content.decode()
    assert "相同的读取权限" not in page
    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    writes = [op["summary"] for methods in paths.values() for method, op in methods.items() if method != "get"]
    assert {"登记平台外帮扶", "撤销接口令牌"} <= set(writes)
    for summary in writes:
        assert summary in page
    assert "包括联系方式" in page and "不能修改密码" in page
