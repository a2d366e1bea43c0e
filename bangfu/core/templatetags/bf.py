"""Template helpers: Bootstrap form controls, numbers with Chinese units."""

from functools import lru_cache

from django import forms, template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from bangfu.core import numbers
from bangfu.core.text import strip_control_characters
from bangfu.core.validation import join_messages
from bangfu.core.widgets import SEARCH_THRESHOLD, pinyin_data

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
        return _choice_list(field)
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def messages(errors) -> str:
    """A list of messages (a field's errors…) as one sentence: `{{ field.errors|messages }}` (see join_messages)."""
    return join_messages(errors)


def _choice_list(field) -> str:
    """Radio buttons or checkboxes one per line in Bootstrap's markup (Django's own puts the widget's class on the
    wrapper, which shrinks the labels to one character a line)."""
    rows = []
    for option in field:
        attrs = dict(option.data["attrs"])
        attrs["class"] = "form-check-input" + (" is-invalid" if field.errors else "")
        option.data["attrs"] = attrs
        rows.append(format_html('<div class="form-check">{}<label class="form-check-label" for="{}">{}</label></div>',
                                option.tag(wrap_label=False), option.id_for_label, option.choice_label))
    return format_html('<div id="{0}" role="group" aria-labelledby="{0}_label">{1}</div>', field.auto_id or "",
                       mark_safe("".join(rows)))  # noqa: S308


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(field) -> bool:
    """Radio buttons or a list of checkboxes: labelled as a group, not as one input."""
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def wan(value) -> str:
    """12345 → 1.2万, 10 亿 → 10.0亿; small numbers grouped (core.numbers.wan)."""
    return numbers.wan(value)


@register.filter
def grouped(value) -> str:
    """A number with thousands separators: 1,000,000,000 (core.numbers.grouped)."""
    return "—" if value in (None, "") else numbers.grouped(value)


@register.filter
def elided_pages(page):
    """Page numbers around the current one and at both ends, with … between (cost independent of page count)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def options(choices, selected) -> str:
    """<option>s for (value, label) pairs or objects with id and name, built in one join: a filter listing every
    museum of a country renders in a millisecond instead of a template loop's tens."""
    chosen = "" if selected in (None, "") else str(selected)
    choices = list(choices)
    searchable = len(choices) > SEARCH_THRESHOLD  # long lists carry pinyin for searching by typing
    parts = []
    for choice in choices:
        obj = choice if hasattr(choice, "id") else None
        value, label = (choice.id, choice.name) if obj is not None else choice
        if obj is None and str(value) != chosen:
            parts.append(_option(str(value), str(label), searchable))  # the common case, cached
            continue
        mark = " selected" if str(value) == chosen else ""
        keys = _data_attrs(pinyin_data(label, obj)) if searchable else ""
        parts.append(f'<option value="{escape(value)}"{mark}{keys}>{escape(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 — every value and label is escaped above


@lru_cache(maxsize=32768)
def _option(value: str, label: str, searchable: bool) -> str:
    """One unselected <option> of a (value, label) pair, escaped: the same museums come back on every request, and
    escaping and spelling out thousands of names was most of a long filter's cost."""
    keys = _data_attrs(pinyin_data(label)) if searchable else ""
    return f'<option value="{escape(value)}"{keys}>{escape(label)}</option>'


@register.filter
def pinyin_attrs(label) -> str:
    """ data-pinyin="…" data-initials="…" for an <option> written by hand (see core.widgets.SearchableSelect)."""
    return mark_safe(_data_attrs(pinyin_data(str(label))))  # noqa: S308 — escaped in _data_attrs


def _data_attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())


@register.filter
def plain(value) -> str:
    """Text typed into a page's address, as a search box shows it back: without control characters (a NUL in ?q=
    would otherwise be written into the page)."""
    return strip_control_characters(str(value or ""))
