"""Long choice lists can be searched by typing, with pinyin: the server marks them and gives each option its full
pinyin and initials; static/js/select-search.js (Tom Select, vendored) does the rest (see tests/browser)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.core.templatetags.bf import options
from bangfu.core.widgets import SEARCH_THRESHOLD

from .factories import make_museum

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "bangfu" / "static"


def select_html(body: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', body, re.S)
    assert match, f"no select named {name}"
    return match.group(0)


def option_for(select: str, text: str) -> str:
    match = re.search(rf"<option[^>]*>{re.escape(text)}[^<]*</option>", select)
    assert match, f"no option {text}"
    return match.group(0)


def test_the_account_forms_museum_list_is_searchable_by_pinyin(login, world):
    select = select_html(login(world.admin).get(reverse("accounts:user_create")).content.decode(), "museum")
    assert "data-search-select" in select
    option = option_for(select, "山西博物院")
    assert 'data-initials="sxbwy"' in option and 'data-pinyin="shanxibowuyuan"' in option


def test_pinyin_on_the_account_form_costs_no_query_per_museum(login, world):
    client = login(world.admin)
    url = reverse("accounts:user_create")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        make_museum(f"测试纪念馆{i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many) == len(few)
    assert 'data-initials="csjng"' in option_for(select_html(body, "museum"), "测试纪念馆14")


def test_the_ledger_counterpart_list_is_searchable_by_pinyin(login, world):
    select = select_html(login(world.helped_staff).get(reverse("ledger:create")).content.decode(), "counterpart")
    assert "data-search-select" in select
    assert 'data-initials="sxbwy' in option_for(select, "山西博物院")


def test_the_association_ledger_and_pairing_forms_offer_searchable_museum_lists(login, world):
    client = login(world.admin)
    for url, name in ((reverse("ledger:create"), "helper"), (reverse("pairings:create"), "helper"),
                      (reverse("pairings:rules"), "museum_a")):
        select = select_html(client.get(url).content.decode(), name)
        assert "data-search-select" in select
        assert "data-initials=\"sxbwy" in option_for(select, "山西博物院"), url


def test_the_registry_form_offers_searchable_counties_and_head_museums(login, world):
    body = login(world.admin).get(reverse("museums:edit", args=[world.helped_museum.pk])).content.decode()
    county = select_html(body, "county")
    assert "data-search-select" in county and 'data-pinyin="anzexian"' in option_for(county, "安泽县")
    assert 'data-city="' in option_for(county, "安泽县")
    assert "data-search-select" in select_html(body, "head")


def test_the_directorys_county_filter_carries_pinyin(client, world):
    county = select_html(client.get(reverse("museums:directory")).content.decode(), "county")
    assert 'data-pinyin="hongtongxian" data-initials="htx"' in option_for(county, "洪洞县")


def test_long_filter_lists_carry_pinyin_and_short_ones_stay_plain():
    short = options([(1, "一级"), (2, "二级")], None)
    assert "data-pinyin" not in short
    names = [(i, f"县博物馆{i}") for i in range(SEARCH_THRESHOLD)] + [(99, '<b>"山西"</b>博物院')]
    long = options(names, 99)
    assert 'value="99" selected data-pinyin="shanxibowuyuan" data-initials="sxbwy">' in long
    assert "&lt;b&gt;&quot;山西&quot;&lt;/b&gt;博物院" in long and "<b>" not in long


def test_every_page_loads_the_select_search_script_from_a_file_not_inline(client, world):
    body = client.get(reverse("museums:directory")).content.decode()
    tag = re.search(r'<script src="([^"]*select-search\.js)" data-js="([^"]*)" data-css="([^"]*)"></script>', body)
    assert tag, "select-search.js is not loaded"
    for url in tag.groups():
        assert (STATIC / url.removeprefix(settings.STATIC_URL)).is_file(), url
    script = (STATIC / "js" / "select-search.js").read_text()
    assert "innerHTML" not in script and "eval(" not in script
    versions = (STATIC / "vendor" / "VERSIONS.md").read_text()
    assert "| tom-select | 2.6.2 |" in versions
