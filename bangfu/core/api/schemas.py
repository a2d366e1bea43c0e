"""The shapes every module's API router shares (field descriptions appear in the OpenAPI docs): the types of what
the API takes (numbers, dates, texts, links, division codes), the error answers and the references to other records.
Each module's own request and response shapes sit beside its router (`<app>/api_schemas.py`)."""

from __future__ import annotations

import re
from datetime import date as date_type
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError

from bangfu.core.dates import no_such_day
from bangfu.core.text import (
    CONTROL_CHARACTERS_MESSAGE,
    LINK_PATTERN,
    TEXT_PATTERN,
    has_control_characters,
    number_text,
)

CODE_PATTERN = r"^[0-9]{6}$"  # ASCII digits only: \d also matches other scripts' digits


def request_user(context):
    """The acting user, in a schema's resolver (`resolve_x(obj, context)`)."""
    return context["request"].user


def _no_control_characters(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError("control_characters", CONTROL_CHARACTERS_MESSAGE)
    return value


def number_as_typed(value):
    """Numbers as the forms and the importer read them (`core.text.number_text`): ASCII or full-width digits
    ("１２" is 12 for every quantity alike), never "²" or another script's digits; true and false are no numbers."""
    if isinstance(value, bool):
        raise PydanticCustomError("number_not_bool", "必须是数字，不能是 true 或 false")
    if isinstance(value, str):
        text = number_text(value)
        if text is None:
            raise PydanticCustomError("number_characters", "必须是数字（用阿拉伯数字书写，半角或全角均可）")
        return text
    return value


def _day_as_typed(value):
    """A date that does not exist (2026-02-30) is named, as the forms name it (`core.dates.no_such_day`)."""
    message = no_such_day(value) if isinstance(value, str) else None
    if message:
        raise PydanticCustomError("no_such_day", message.removesuffix("。"))
    return value


# Every number and date the API takes (query and body alike).
def _blank_as_none(value):
    """An empty query parameter (?kind=&area=, as a form or a URL template sends) means the filter is not used."""
    return None if value == "" else value


Unset = BeforeValidator(_blank_as_none)  # Annotated[int | None, Unset] for an optional filter parameter
Int = Annotated[int, BeforeValidator(number_as_typed)]
# A row's id in a body or query: 1 … 2**63 − 1 (a larger number cannot even be bound by SQLite: a 422, not a 500).
MAX_ID = 2**63 - 1
Id = Annotated[int, BeforeValidator(number_as_typed), PydanticField(ge=1, le=MAX_ID)]
Dec = Annotated[Decimal, BeforeValidator(number_as_typed)]
Day = Annotated[date_type, BeforeValidator(_day_as_typed)]

# Every text the API takes (query, path and body alike): control characters are refused with a 422, as forms
# refuse them (bangfu.core.text). Constraints that the OpenAPI schema must show go into the type itself: a
# `Field(pattern=…)` on an optional annotated type is enforced but left out of the schema.
Text = Annotated[str, AfterValidator(_no_control_characters),
                 PydanticField(json_schema_extra={"pattern": TEXT_PATTERN})]


def _link(value: str) -> str:
    if not re.fullmatch(LINK_PATTERN, value):
        raise PydanticCustomError("link", "请填写以 http:// 或 https:// 开头、不含空格的网址。")
    return value


# A web link: the same rule, with its pattern in the schema.
Link = Annotated[str, AfterValidator(_no_control_characters), AfterValidator(_link),
                 PydanticField(json_schema_extra={"pattern": LINK_PATTERN})]


def Amount(digits: int, places: int):  # noqa: N802 — used as a type
    """A decimal quantity as the schema should describe it: a number from 0 up to what `digits` and `places` hold,
    in steps of one unit of the last place (pydantic alone would also advertise any string)."""
    step = Decimal(1).scaleb(-places)
    largest = Decimal(10 ** (digits - places)) - step
    return Annotated[Dec, WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(largest),
                                          "multipleOf": float(step)})]


# A division code (GB/T 2260), six ASCII digits.
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN), AfterValidator(_no_control_characters)]


# --- shared ------------------------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="错误说明")


class FieldError(Schema):
    field: str = Field(description="出错的参数，如 limit")
    message: str = Field(description="错误说明")


class ValidationErrorOut(Error):
    errors: list[FieldError] = Field(description="逐项说明")


# The errors an endpoint may answer besides its result (the API's handlers, bangfu/api/api.py), for its `response=`:
# 401 a token presented but unknown or revoked (public endpoints included) or, where required, no credentials;
# 404 an object that does not exist or may not be seen; 422 parameters that fail validation.
UNAUTHENTICATED = {401: Error}
NOT_FOUND = {404: Error}
INVALID = {422: ValidationErrorOut}


class Ref(Schema):
    id: int
    name: str


class PlaceRef(Schema):
    code: str = Field(description="区划代码")
    name: str


class AreaRef(Schema):
    code: str = Field(description="领域代码")
    label: str = Field(description="领域名称")
