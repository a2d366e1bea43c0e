"""Telephone numbers, as museums, experts and accounts give them: one shape check for every form, model and import.

Accepted, up to three numbers separated by 、 , ; or /:
- a mainland mobile: 13812345678, 138 1234 5678, 138-1234-5678, optionally +86;
- a landline with its area code: 0351-1234567, 0351 1234567, (0351)1234567, 010-12345678, +86 351 1234567;
- a 400 or 800 service number: 400-123-4567;
each optionally with an extension: 0351-1234567-801, 0351-1234567转801, 0351-1234567 分机 801, … ext 801.
Full-width digits and brackets, as a Chinese input method types them, are read as ASCII first (`normalise_phone`)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from .text import ascii_width

PHONE_MESSAGE = ("请填写有效的电话号码：手机号如 13812345678，固定电话加区号如 0351-1234567 或 (0351)1234567，"
                 "分机号如 0351-1234567-801，或 400、800 电话；多个号码用顿号分隔。")

_SEP = r"[ -]?"
_MOBILE = rf"(?:\+?86{_SEP})?1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}"
_LOCAL = rf"[0-9]{{3,4}}{_SEP}[0-9]{{4}}"  # 7 or 8 digits
_LANDLINE = rf"(?:0[1-9][0-9]{{1,2}}{_SEP}|\(0[1-9][0-9]{{1,2}}\) ?|\+?86{_SEP}\(?[1-9][0-9]{{1,2}}\)?{_SEP}){_LOCAL}"
_SERVICE = rf"[48]00{_SEP}[0-9]{{3}}{_SEP}[0-9]{{4}}"
_EXTENSION = r"(?: ?(?:-|转|分机|ext\.?|x|#) ?[0-9]{1,6})?"
_NUMBER = rf"(?:{_MOBILE}|{_LANDLINE}|{_SERVICE}){_EXTENSION}"
PHONE_RE = re.compile(rf"{_NUMBER}(?: ?[、,;/] ?{_NUMBER}){{0,2}}", re.IGNORECASE)


def normalise_phone(text: str) -> str:
    """Full-width characters as ASCII, runs of spaces as one, no spaces at the ends: （０３５１）１２３４５６７ →
    (0351)1234567."""
    return " ".join(ascii_width(text).split())


def validate_phone(value: str) -> None:
    """Validator of the phone fields (models and forms); an empty value is for `blank` to judge."""
    if value and not PHONE_RE.fullmatch(value):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


class PhoneField(forms.CharField):
    """A phone number in a form: normalised, then checked (`validate_phone`)."""

    default_validators = [validate_phone]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_phone(value) if value else value
