"""Numbers as people read them: thousands separators (1,000,000,000), large figures in 万 or 亿, no trailing zeros."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def grouped(value) -> str:
    """1,200 for a whole number, 2.5 for a fraction, always with thousands separators."""
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral() else f"{number.normalize():,f}"


def wan(value) -> str:
    """A figure for a stat card: 12,345 → 1.2万, 1,000,000,000 → 10.0亿; smaller ones grouped (—: unknown)."""
    if value in (None, ""):
        return "—"
    number = Decimal(str(value))
    if abs(number) >= 100_000_000:
        return f"{number / 100_000_000:,.1f}亿"
    if abs(number) >= 10_000:
        return f"{number / 10_000:,.1f}万"
    return f"{number:,.0f}" if number == number.to_integral() else f"{number:,.2f}"


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
