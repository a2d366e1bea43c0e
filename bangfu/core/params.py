"""Reading query parameters: the one way pages read integers (`int_param`) and text (`text_param`).

A page ignores a parameter it cannot use (the filter is dropped, the first page shown), never answering an error:
links are shared, typed and mangled. `str.isdigit()` is not a test for this — it accepts "²" and "٣", which `int()`
then refuses or reads as another number — and a value too large for the database overflows its integer columns.
The API declares its bounds in its schemas instead and answers 422.

Text (a search, a choice such as `?grade=`) loses its control characters and is cut to a length: PostgreSQL refuses
a NUL in any text it is given, even in a search, and a megabyte-long `?q=` searches nothing anyone typed."""

from __future__ import annotations

from collections.abc import Mapping

from .text import strip_control_characters

# The largest value any page reads: ids, years, page numbers and codes all fit, and so does every database's
# integer column (PostgreSQL's `integer` is the narrowest, 2³¹ − 1).
MAX_PARAM = 2_147_483_647
_MAX_LENGTH = len(str(MAX_PARAM))
# The longest text parameter read by default: longer than any name, search or choice value.
MAX_TEXT_PARAM = 100


def text_param(params, name: str, *, max_length: int = MAX_TEXT_PARAM) -> str:
    """The value of `name` in a request (its GET) or a GET-like mapping as text without control characters or
    surrounding spaces, cut to `max_length` characters; "" when it is missing."""
    value = _get(params, name)
    if not isinstance(value, str):
        return ""
    return strip_control_characters(value).strip()[:max_length]


def int_param(params, name: str, *, minimum: int = 0, maximum: int = MAX_PARAM) -> int | None:
    """The value of `name` in a request (its GET) or a GET-like mapping as an int, or None when it is missing or
    anything but ASCII digits within [minimum, maximum] (signs, spaces, Unicode digits and huge numbers alike)."""
    return parse_int(_get(params, name), minimum=minimum, maximum=maximum)


def _get(params, name: str):
    if not isinstance(params, Mapping) and hasattr(params, "GET"):
        params = params.GET
    return params.get(name)


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_PARAM) -> int | None:
    """`value` as an int when it is a string of ASCII digits within [minimum, maximum], else None."""
    if not isinstance(value, str) or not value or len(value) > _MAX_LENGTH:
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None
