"""Small things people saw: the visitor figure shown as 1.0000, a missing /favicon.ico, the API docs without a
viewport."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.core.numbers import plain_number
from bangfu.museums.services import museum_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("stored", "shown"), [
    ("1.0000", "1"), ("12.5000", "12.5"), ("100", "100"), ("0.0001", "0.0001"), ("0.0000", "0"), ("x", "x"),
])
def test_a_decimal_is_shown_without_trailing_zeros_or_an_exponent(stored, shown):
    assert plain_number(Decimal(stored) if stored != "x" else stored) == shown


def test_the_edit_form_and_the_history_show_the_visitor_figure_as_a_number(world, login):
    museum = world.helped_museum
    museum_update(museum=museum, by=world.admin, data={"visitors_10k": Decimal("1")})
    museum_update(museum=museum, by=world.admin, data={"visitors_10k": Decimal("2.5")})
    client = login(world.helped_admin)
    form = client.get(reverse("museums:edit", args=[museum.pk])).content.decode()
    assert re.search(r'name="visitors_10k"[^>]*value="2.5"', form) or re.search(
        r'value="2.5"[^>]*name="visitors_10k"', form)
    assert "2.5000" not in form
    history = client.get(reverse("museums:history", args=[museum.pk])).content.decode()
    assert "1.0000" not in history and "2.5000" not in history
    assert re.search(r'<span class="diff-old">1</span> → <span class="diff-new">2.5</span>', history)


def test_favicon_ico_leads_to_the_platforms_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_the_api_docs_have_a_viewport_for_phones_and_no_inline_script(client):
    page = client.get("/api/docs").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="zh-CN">' in page
    scripts = re.findall(r"<script([^>]*)>", page)
    for attrs in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
