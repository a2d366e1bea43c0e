"""Form widgets shared by every app."""

from django import forms

from .pinyin import option_keys

# Selects with more options than this are made searchable in the browser even when not marked (select-search.js
# reads the same number from its own constant).
SEARCH_THRESHOLD = 30


def pinyin_data(label: str, obj=None) -> dict[str, str]:
    """data-pinyin (full spelling, no tones) and data-initials for one option. A museum brings its stored keys
    (no computing); any other label is read through the cached pinyin functions."""
    loaded = getattr(obj, "__dict__", {})  # only fields already read: never a query per option
    if "pinyin" in loaded and "pinyin_initials" in loaded:
        stored = loaded["pinyin_initials"]
        # The stored key starts with the tone-numbered sort key; the browser searches the plain spelling.
        full = " ".join(word for word in loaded["pinyin"].split() if word.isalpha())
        return {"data-pinyin": full, "data-initials": stored}
    full, initials = option_keys(str(label))
    return {"data-pinyin": full, "data-initials": initials}


class SearchableSelect(forms.Select):
    """A select the browser lets users search by typing a name, its pinyin or its initials ("sxbwy", "shanxi"):
    static/js/select-search.js turns every select marked data-search-select into a Tom Select, and each option
    carries its pinyin here. Without JavaScript it is a plain select."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-search-select": "", **(attrs or {})}, choices)

    def create_option(self, name, value, label, *args, **kwargs):
        option = super().create_option(name, value, label, *args, **kwargs)
        if value not in (None, ""):
            option["attrs"].update(pinyin_data(label, getattr(value, "instance", None)))
        return option
