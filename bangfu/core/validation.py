"""Services that check several things report every refusal at once, so a form can show each beside its field."""

from __future__ import annotations

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
