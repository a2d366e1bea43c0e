"""Text typed by people: characters no input may contain, and full-width forms read as ASCII.

Control characters arrive by copy and paste (from Word, PDF readers, other systems) and are invisible. They break
the Excel and Word writers (XML forbids them), can hide text in names, and never carry meaning here, so every
input refuses them (forms through `FormMixin`, the API through its schemas, the museum importer per row) and every
writer strips them (`strip_control_characters`), so that records stored before the check still export."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS_MESSAGE = "不能包含控制字符（如从其他软件复制来的不可见字符），请删除后重新输入。"

# Refused in input and removed from output:
# - C0 controls except tab, line feed and carriage return; DEL; C1 controls (U+0080–U+009F);
# - U+2028/U+2029 (line and paragraph separators, which also end JavaScript strings in old engines);
# - bidirectional embeddings, overrides and isolates, which make a name read differently from what it is;
# - U+FEFF (a byte-order mark pasted into the middle of text), U+FFFE and U+FFFF (not characters; XML forbids them);
# - lone surrogates (not characters; only reachable through JSON escapes).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff"
CONTROL_RE = re.compile(f"[{_CONTROL}]")
# The same rule as a regular expression for the API's OpenAPI schema (JSON escapes the characters). Lone
# surrogates stay out of it: UTF-8 regex engines cannot hold them (the API's validator still refuses them).
_CONTROL_PRINTABLE = _CONTROL.replace("\ud800-\udfff", "")
TEXT_PATTERN = f"^[^{_CONTROL_PRINTABLE}]*$"
# A web link (http or https) without spaces or control characters, as a JSON-schema pattern and as Python's.
LINK_PATTERN = f"^https?://[^\\s{_CONTROL_PRINTABLE}]+$"

# Full-width forms of ASCII (U+FF01–U+FF5E: １２３．５、－、（）、＋) and the ideographic space, as a Chinese input
# method types them, read as ASCII; and the dashes people type for a minus sign or in phone numbers, read as "-".
# Not NFKC: it also reads superscripts (²), circled (①) and other compatibility digits as digits, which nobody
# types for a number (web forms refuse them, and "²" must not import as 2).
_ASCII_WIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)}
                             | {"\u3000": " "} | dict.fromkeys("‐‑‒–—−﹣", "-"))


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_RE.search(text))


def no_control_characters(value) -> None:
    """Validator for every text input (forms, models, the importer)."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def strip_control_characters(text: str) -> str:
    """What the writers (Excel, Word, download names) put out: the text without the refused characters."""
    return CONTROL_RE.sub("", text)


def ascii_width(text: str) -> str:
    """Full-width digits, signs and punctuation (１２３．５、－、（）、＋, the ideographic space) as their ASCII
    forms, as a Chinese input method types them; dashes as "-". Used where a number is expected."""
    return text.translate(_ASCII_WIDTH)


def number_text(text: str) -> str | None:
    """A number as typed, ready for int(), Decimal() or float(): full-width forms read as ASCII, surrounding spaces
    dropped; None when any other non-ASCII character remains. The one rule for numbers typed into forms, the API
    and imported files: ASCII digits, or full-width ones; never "²", "①" or another script's digits, which
    Python's int() and Decimal() would otherwise read (int("٣") is 3)."""
    text = ascii_width(text).strip()
    return text if text.isascii() else None
