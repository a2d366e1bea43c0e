"""Services that check several things report every refusal at once, so a form can show each beside its field;
several messages shown together read as one sentence (`join_messages`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def collect(errors: dict[str, list], exc: ValidationError, *, prefix: str = "") -> None:
    """Add the refusals of `exc` to `errors` ({key: [ValidationError, …]}). With a prefix ("tasks.2"), a field's
    refusals go under "tasks.2.title" and the others under "tasks.2"."""
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(_key(prefix, field), []).extend(field_errors)
    else:
        errors.setdefault(prefix or NON_FIELD_ERRORS, []).extend(exc.error_list)


def _key(prefix: str, field: str) -> str:
    if field == NON_FIELD_ERRORS:
        return prefix or NON_FIELD_ERRORS
    return f"{prefix}.{field}" if prefix else field


def raise_collected(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def join_messages(messages: Iterable) -> str:
    """Messages as one text, joined by "；" without doubled punctuation: ["不能超过 300 个字。", "请说明异议。"] →
    "不能超过 300 个字；请说明异议。". Pages use it through the `messages` template filter (core/templatetags/bf.py)."""
    texts = [str(m).strip() for m in messages if str(m).strip()]
    return "；".join([text.rstrip("。；;.") for text in texts[:-1]] + texts[-1:])
