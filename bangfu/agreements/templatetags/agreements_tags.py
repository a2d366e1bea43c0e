"""Template helpers for the agreement pages."""

from decimal import Decimal

from django import template

register = template.Library()

UNITS = [("people_trained", "培训 {} 人"), ("days", "{} 天"), ("object_count", "文物/展品 {} 件"),
         ("visitors", "受众 {} 人次"), ("money_yuan", "{} 元")]


def _plain(value) -> str:
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral() else f"{number.normalize():,f}"


@register.filter
def quantities(obj) -> str:
    """"培训 20 人 · 3 天 · 受众 500 人次" for a task or a ledger entry; "—" when there is nothing to count."""
    parts = [unit.format(_plain(getattr(obj, name))) for name, unit in UNITS if getattr(obj, name, 0)]
    return " · ".join(parts) or "—"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
