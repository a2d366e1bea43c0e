"""Numbers as people read them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def plain_number(value: Decimal | str) -> str:
    """A decimal without trailing zeros or an exponent: 1.0000 → "1", 12.5000 → "12.5", 100 → "100" (a DecimalField
    keeps its places: the visitor figure 1 is stored, shown and recorded as 1.0000). Text that is no number is
    returned as it is."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    return format(number.normalize(), "f") if number else "0"
