"""Template helpers: Bootstrap form controls, numbers with Chinese units."""

from decimal import Decimal

from django import forms, template

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
