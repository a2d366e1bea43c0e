"""The API's parameter errors are Chinese whatever pydantic reports ("Input should be a finite number" reached
users), and the API reads numbers as the forms do: "１２" is 12 for every quantity, "²" and "٣" are no numbers."""

import json
import re
import string
import typing

import pytest
from pydantic_core.core_schema import ErrorType

from bangfu.api.api import PYDANTIC_MESSAGES

from .test_api_ledger import bearer, entry_body, post

pytestmark = pytest.mark.django_db

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")


def assert_chinese(body: dict) -> None:
    assert body["errors"], body
    for error in body["errors"]:
        assert not ENGLISH_SENTENCE.search(error["message"]), error
        assert re.search(r"[\u4e00-\u9fff]", error["message"]), error
    assert not ENGLISH_SENTENCE.search(body["detail"]), body["detail"]


def test_every_error_type_pydantic_knows_has_a_chinese_message():
    assert set(typing.get_args(ErrorType)) - set(PYDANTIC_MESSAGES) == set()
    for kind, template in PYDANTIC_MESSAGES.items():
        placeholders = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        message = template.format(**dict.fromkeys(placeholders, "5"))
        assert re.search(r"[\u4e00-\u9fff]", message) and not ENGLISH_SENTENCE.search(message), kind


BAD_ENTRY_VALUES = [
    ("days", "NaN"), ("days", "Infinity"), ("days", "-Infinity"), ("days", "1e400"), ("days", "12345678"),
    ("days", 1.25), ("days", "²"), ("days", "٣"), ("money_yuan", "²"), ("money_yuan", 1e15), ("money_yuan", "abc"),
    ("people_trained", "NaN"), ("people_trained", "abc"), ("people_trained", 1.5), ("people_trained", "¹²"),
    ("people_trained", [1]), ("people_trained", {}), ("people_trained", True), ("people_trained", "1e3"),
    ("people_trained", -1), ("helper_id", "x"), ("pairing_id", {}), ("kind", 5), ("kind", ""), ("kind", "x" * 41),
    ("area", "x"), ("date", "2026-02-30"), ("date", "x"), ("date", 20260101), ("date", "2026-02-30T10:00"),
    ("date", None), ("evidence_link", "ftp://x"), ("description", ["a"]),
]


@pytest.mark.parametrize(("field", "value"), BAD_ENTRY_VALUES)
def test_each_kind_of_bad_ledger_value_gets_a_chinese_message(world, client, field, value):
    response = post(client, bearer(world.helper_staff), **entry_body(world, **{field: value}))
    assert response.status_code == 422
    body = response.json()
    assert_chinese(body)
    assert [e["field"] for e in body["errors"]] == [field]


def test_a_date_that_does_not_exist_is_named(world, client):
    body = post(client, bearer(world.helper_staff), **entry_body(world, date="2026-02-30")).json()
    assert body["errors"] == [{"field": "date", "message": "没有这一天（2026年2月30日），请检查日期"}]


@pytest.mark.parametrize("raw", ['{"days": NaN}', '{"days": 1e400}', '{"days": -Infinity}', "[1]", '"x"', "1"])
def test_json_numbers_beyond_the_standard_and_bodies_of_the_wrong_shape_get_chinese_messages(world, client, raw):
    response = client.post("/api/ledger", raw, content_type="application/json", **bearer(world.helper_staff))
    assert response.status_code == 422
    assert_chinese(response.json())


@pytest.mark.parametrize("params", [
    {"limit": "x"}, {"limit": "1.5"}, {"limit": "NaN"}, {"limit": "²"}, {"limit": "0"}, {"limit": "999"},
    {"offset": "9223372036854775808"}, {"offset": "-1"}, {"city": "abc"}, {"city": "１４０１００"}, {"grade": "x"},
    {"needs_review": "maybe"}, {"q": "x" * 200}, {"ordering": "z"}, {"q": "a\x00b"},
])
def test_each_kind_of_bad_directory_parameter_gets_a_chinese_message(world, client, params):
    response = client.get("/api/museums", params)
    assert response.status_code == 422
    assert_chinese(response.json())


def test_full_width_digits_are_read_alike_for_every_quantity(world, client):
    response = post(client, bearer(world.helper_staff),
                    **entry_body(world, days="１２", people_trained="１２", money_yuan="１２．５", helper_id=str(
                        world.helper_museum.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["days"], body["people_trained"], body["money_yuan"]) == (12.0, 12, 12.5)
    assert client.get("/api/museums", {"limit": "２"}).json()["items"].__len__() == 2


def test_the_api_searches_as_much_text_as_the_pages(world, client):
    assert client.get("/api/museums", {"q": "山" * 100}).status_code == 200
    body = client.get("/api/museums", {"q": "山" * 101}).json()
    assert body["errors"] == [{"field": "q", "message": "不能超过 100 个（现在是 101 个）"}]
    assert json.dumps(body, ensure_ascii=False)
