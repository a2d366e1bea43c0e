"""Search boxes take at most as many characters as the server reads (core.params.MAX_TEXT_PARAM), so that the
addresses the pages build from them (htmx requests, the export link) stay far below what the web server accepts:
4,500 characters pasted into a search box made an address gunicorn refused with its English "URI Too Long"."""

import re

import pytest
from django.urls import reverse

from bangfu.core.params import MAX_TEXT_PARAM, text_param

pytestmark = pytest.mark.django_db

LIST_PAGES = ["museums:directory", "experts:directory", "pairings:list", "ledger:list", "accounts:users", "history"]
SEARCH_BOX = re.compile(r'<input[^>]*type="search"[^>]*>')


def _search_boxes(html: str) -> list[str]:
    return SEARCH_BOX.findall(html)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_search_box_is_limited_to_what_the_server_reads(world, login, name):
    html = login(world.admin).get(reverse(name)).content.decode()
    boxes = _search_boxes(html)
    assert boxes, f"no search box on {name}"
    for box in boxes:
        assert f'maxlength="{MAX_TEXT_PARAM}"' in box, box


def test_a_page_opened_with_a_huge_search_shows_only_what_it_searched_for(world, client):
    pasted = "山西" * 2250  # 4,500 characters
    response = client.get(reverse("museums:directory"), {"q": pasted})
    assert response.status_code == 200
    [box] = _search_boxes(response.content.decode())
    value = re.search(r'value="([^"]*)"', box).group(1)
    assert value == pasted[:MAX_TEXT_PARAM] == text_param({"q": pasted}, "q")


def test_the_experts_search_box_also_shows_only_what_it_searched_for(world, client):
    response = client.get(reverse("experts:directory"), {"q": "x" * 500})
    [box] = _search_boxes(response.content.decode())
    assert f'value="{"x" * MAX_TEXT_PARAM}"' in box
