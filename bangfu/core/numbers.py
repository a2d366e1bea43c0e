"""Numbers as the platform writes them: thousands separators (1,000,000,000), large figures in 万 or 亿."""

from __future__ import annotations

from decimal import Decimal


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
