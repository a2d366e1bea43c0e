"""Query parameters are read one way (bangfu.core.params): pages ignore an integer they cannot use — Unicode
digits, huge numbers, signs, spaces — and the API answers 422 to one out of its declared bounds; text parameters
lose their control characters (PostgreSQL refuses a NUL) and are cut to a length."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from bangfu.core.params import MAX_PARAM, MAX_TEXT_PARAM, int_param, parse_int, text_param
from bangfu.experts.services import expert_create
from bangfu.ledger.services import ledger_record

from .factories import division, make_agreement

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "٣", "３", "99999999999999999999", "9223372036854775808", "-1", "+1", " 1", "1 ", "1.0", "0x1", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_parameter_that_is_not_plain_ascii_digits_within_bounds_is_none(value):
    assert int_param({"city": value}, "city") is None


def test_plain_digits_within_the_bounds_are_read():
    assert int_param({"page": "12"}, "page") == 12
    assert int_param({"page": "007"}, "page") == 7
    assert int_param({"page": "0"}, "page", minimum=1) is None
    assert int_param({"year": "2026"}, "year", maximum=2100) == 2026
    assert int_param({"year": "2101"}, "year", maximum=2100) is None
    assert int_param({"id": str(MAX_PARAM)}, "id") == MAX_PARAM
    assert int_param({"id": str(MAX_PARAM + 1)}, "id") is None
    assert int_param({}, "id") is None
    assert parse_int(None) is None and parse_int(12) is None


@pytest.fixture
def data(world):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": datetime.date.today()}])
    ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                  kind="壁画修复培训", date=datetime.date.today(), description="文物修复培训班", people_trained=20)
    world.pairing = agreement.pairing
    expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院", regions=[division("140200")])
    expert_create(by=world.admin, name="韩志远", organisation="大同市博物馆", regions=[division("141000")])
    return world


MUSEUM_NAMES = ("山西博物院", "安泽县博物馆", "天镇县博物馆")


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999", "-3"])
@pytest.mark.parametrize("param", ["city", "county", "page"])
def test_the_directory_ignores_a_bad_filter_for_anonymous_visitors(data, client, param, value):
    response = client.get(reverse("museums:directory"), {param: value})
    assert response.status_code == 200
    assert all(name in response.content.decode() for name in MUSEUM_NAMES)  # the filter is ignored
    points = client.get(reverse("museums:points"), {param: value})
    assert points.status_code == 200 and points.json()["count"] == 3


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_the_expert_directory_ignores_a_bad_region_or_page(data, client, value):
    datong = client.get(reverse("experts:directory"), {"region": division("140200").pk}).content.decode()
    assert "冯雅琴" in datong and "韩志远" not in datong  # a good region filters
    for param in ("region", "page"):
        response = client.get(reverse("experts:directory"), {param: value})
        assert response.status_code == 200
        assert "冯雅琴" in response.content.decode() and "韩志远" in response.content.decode()  # the filter is ignored


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999"])
@pytest.mark.parametrize("persona", ["admin", "helped_staff"])
def test_the_signed_in_pages_ignore_a_bad_number(data, login, persona, value):
    client = login(getattr(data, persona))
    pairing = data.pairing
    for url, params in [
        (reverse("museums:directory"), ("city", "county", "page")),
        (reverse("pairings:list"), ("city", "helper", "helped", "page")),
        (reverse("pairings:lines"), ("city", "helper", "helped")),
        (reverse("ledger:list"), ("year", "helper", "helped", "city", "pairing", "page")),
        (reverse("experts:directory"), ("region", "page")),
        (reverse("notifications:list"), ("page",)),
    ]:
        for param in params:
            response = client.get(url, {param: value})
            assert response.status_code == 200, (url, param)
    page = client.get(reverse("pairings:list"), {"helper": value}).content.decode()
    assert "安泽县博物馆" in page  # the pairing is listed: the filter was ignored
    ledger = client.get(reverse("ledger:list"), {"year": value, "helper": value}).content.decode()
    assert "壁画修复培训" in ledger
    for param in ("year", "quarter"):
        assert client.get(reverse("agreements:pairing", args=[pairing.pk]), {param: value}).status_code == 200
    printed = client.get(reverse("agreements:print", args=[pairing.pk]), {"v": value})
    assert printed.status_code == 200 and "讲解员培训" in printed.content.decode()  # the current text
    document = client.get(reverse("agreements:docx", args=[pairing.pk]), {"v": value})
    assert document.status_code == 200
    assert "讲解员培训" in "\n".join(c.text for t in docx.Document(io.BytesIO(document.content)).tables
                                    for row in t.rows for c in row.cells)


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_the_exports_ignore_a_bad_number(data, login, value):
    client = login(data.admin)
    museums = client.get(reverse("museums:export"), {"city": value, "county": value})
    assert museums.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(museums.streaming_content))).worksheets[0]
                .iter_rows(values_only=True))
    assert len(rows) == 1 + 3  # every museum: the filter was ignored
    ledger = client.get(reverse("ledger:export"), {"year": value, "helper": value, "city": value})
    assert ledger.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(ledger.streaming_content)))["帮扶台账"]
    assert sheet.max_row == 1 + 1 + 1  # header, the entry, totals


def test_a_version_number_that_does_not_exist_is_still_a_404(data, login):
    client = login(data.admin)
    assert client.get(reverse("agreements:print", args=[data.pairing.pk]), {"v": "9"}).status_code == 404


def test_the_suggestions_form_refuses_unicode_digits_without_an_error_page(data, login):
    response = login(data.admin).post(reverse("pairings:suggestions"), {"accept": ["²-3"]})
    assert response.status_code in (200, 400)
    assert "推荐的格式不正确" in response.content.decode()


@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=1000000001", "offset=-1", "limit=201",
                                   "offset=²"])
def test_the_api_answers_422_in_json_to_an_offset_or_limit_out_of_bounds(world, client, query):
    response = client.get(f"/api/museums?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"].startswith("参数有误") and body["errors"][0]["field"] in ("offset", "limit")


@pytest.mark.parametrize("query", ["city=١٤٠١٠٠", "county=１４０１００", "region=١٤٠١٠٠"])
def test_the_api_accepts_only_ascii_division_codes(world, client, query):
    path = "/api/experts" if query.startswith("region") else "/api/museums"
    assert client.get(f"{path}?{query}").status_code == 422


# --- text parameters -------------------------------------------------------------------------------------------


def test_a_text_parameter_loses_its_control_characters_and_surrounding_spaces():
    assert text_param({"q": " 山西\x00博物院\x1b "}, "q") == "山西博物院"
    assert text_param({"q": "\x00"}, "q") == ""
    assert text_param({}, "q") == ""
    assert text_param({"q": "甲" * 5000}, "q") == "甲" * MAX_TEXT_PARAM
    assert text_param({"q": "abcdef"}, "q", max_length=3) == "abc"


def test_a_nul_in_the_directory_search_is_dropped_for_anonymous_visitors(data, client):
    body = client.get(reverse("museums:directory"), {"q": "山西\x00博物院"}).content.decode()
    assert "山西博物院" in body and "安泽县博物馆" not in body  # searched for 山西博物院
    points = client.get(reverse("museums:points"), {"q": "安泽\x00"})
    assert points.status_code == 200 and points.json()["count"] == 1
    experts = client.get(reverse("experts:directory"), {"q": "冯\x00雅琴"}).content.decode()
    assert "冯雅琴" in experts and "韩志远" not in experts


def test_a_nul_in_the_signed_in_searches_is_dropped(data, login):
    client = login(data.admin)
    ledger = client.get(reverse("ledger:list"), {"q": "文物\x00修复", "state": "all"}).content.decode()
    assert "壁画修复培训" in ledger
    other = client.get(reverse("ledger:list"), {"q": "没有\x00这条", "state": "all"}).content.decode()
    assert "壁画修复培训" not in other
    export = client.get(reverse("ledger:export"), {"q": "壁画\x00修复", "state": "all"})
    assert openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))["帮扶台账"].max_row == 3
    museums = client.get(reverse("museums:export"), {"q": "安泽\x00"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(b"".join(museums.streaming_content))).worksheets[0]
                    .iter_rows(values_only=True))) == 1 + 1
    pairings = client.get(reverse("pairings:list"), {"q": "安泽\x00"}).content.decode()
    assert "安泽县博物馆" in pairings and "没有符合条件的结对" not in pairings
    assert client.get(reverse("pairings:lines"), {"q": "安泽\x00"}).json()["count"] == 1
    assert client.get(reverse("pairings:lines"), {"q": "天镇\x00"}).json()["count"] == 0
    users = client.get(reverse("accounts:users"), {"q": "helped\x00_staff"}).content.decode()
    assert "helped_staff" in users and "helper_admin" not in users
    history = client.get(reverse("history"), {"q": "天镇\x00县博物馆"}).content.decode()
    assert "天镇县博物馆" in history and "安泽县博物馆" not in history


PAGES_WITH_TEXT_PARAMETERS = [
    ("museums:directory", ("q", "grade", "ownership", "role", "review", "sort")),
    ("museums:points", ("q", "grade", "ownership", "role", "review", "sort")),
    ("museums:export", ("q", "grade", "ownership", "role", "review", "sort", "template")),
    ("experts:directory", ("q", "area")),
    ("ledger:list", ("q", "state", "area")),
    ("ledger:export", ("q", "state", "area")),
    ("pairings:list", ("q", "status", "kind")),
    ("pairings:lines", ("q", "status", "kind")),
    ("accounts:users", ("q", "role")),
    ("history", ("q", "type")),
    ("notifications:list", ("show",)),
]


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x1b[31m", "x" * 3000])
def test_every_text_parameter_of_every_page_takes_control_characters_and_long_values(data, login, value):
    client = login(data.admin)
    for name, params in PAGES_WITH_TEXT_PARAMETERS:
        for param in params:
            response = client.get(reverse(name), {param: value})
            assert response.status_code == 200, (name, param)


def test_a_search_box_shows_the_search_without_control_characters(client, world):
    for url in (reverse("museums:directory"), reverse("experts:directory")):
        page = client.get(url, {"q": "山西\x00博物\x0b院"}).content.decode()
        assert 'value="山西博物院"' in page and "\x00" not in page and "\x0b" not in page
