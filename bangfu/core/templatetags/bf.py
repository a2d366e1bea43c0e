"""Template helpers: Bootstrap form controls, numbers with Chinese units."""

from decimal import Decimal

from django import forms, template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def control(field):
    """Render a bound field's widget with the Bootstrap class for its kind (and is-invalid on errors)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(
        widget, forms.CheckboxSelectMultiple
    ):
        css = "form-select"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return field.as_widget()
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def wan(value) -> str:
    """12345 → 1.2万; small numbers as they are."""
    if value in (None, ""):
        return "—"
    number = Decimal(str(value))
    if abs(number) >= 10000:
        return f"{number / 10000:.1f}万"
    return f"{number:,.0f}" if number == number.to_integral() else f"{number:,.2f}"


@register.filter
def elided_pages(page):
    """Page numbers around the current one and at both ends, with … between (cost independent of page count)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def options(choices, selected) -> str:
    """<option>s for (value, label) pairs or objects with id and name, built in one join: a filter listing every
    museum of a country renders in a millisecond instead of a template loop's tens."""
    chosen = "" if selected in (None, "") else str(selected)
    parts = []
    for choice in choices:
        value, label = (choice.id, choice.name) if hasattr(choice, "id") else choice
        mark = " selected" if str(value) == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 — every value and label is escaped above
