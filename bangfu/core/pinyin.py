"""Pinyin keys for searching Chinese names by full pinyin or initials (山西博物院 → sxbwy)."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

# Place names pypinyin's dictionary reads wrongly (长治 is Cháng-, 洪洞 is -tóng).
load_phrases_dict({
    "长治": [["cháng"], ["zhì"]],
    "洪洞": [["hóng"], ["tóng"]],
    "长城": [["cháng"], ["chéng"]],
})


@lru_cache(maxsize=4096)
def _syllables(text: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in lazy_pinyin(text, errors="ignore") if s.isascii() and s.isalnum())


def pinyin_full(*texts: str) -> str:
    """Full pinyin of each text without spaces, texts separated by a space: 'shanxibowuyuan shanbo'."""
    return " ".join("".join(_syllables(t)) for t in texts if t)


def pinyin_initials(*texts: str) -> str:
    """Initials of each text, separated by a space: 'sxbwy sb'."""
    out = []
    for t in texts:
        if t:
            first = lazy_pinyin(t, style=Style.FIRST_LETTER, errors="ignore")
            out.append("".join(s.lower() for s in first if s.isascii() and s.isalnum()))
    return " ".join(out)
