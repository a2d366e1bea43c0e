"""Pinyin keys for searching Chinese names by full pinyin or initials (山西博物院 → sxbwy), and for sorting them."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

# Place names pypinyin's dictionary reads wrongly (长治 is Cháng-, 洪洞 is -tóng, 太行 is -háng, 繁峙 is -shì).
load_phrases_dict({
    "长治": [["cháng"], ["zhì"]],
    "洪洞": [["hóng"], ["tóng"]],
    "长城": [["cháng"], ["chéng"]],
    "太行": [["tài"], ["háng"]],
    "繁峙": [["fán"], ["shì"]],
    "阳曲": [["yáng"], ["qǔ"]],
    "垣曲": [["yuán"], ["qǔ"]],
    "应县": [["yìng"], ["xiàn"]],
    "解州": [["xiè"], ["zhōu"]],
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


@lru_cache(maxsize=4096)
def pinyin_sort_key(text: str) -> str:
    """Each syllable followed by its tone number: 八路军 → 'ba1lu4jun1', 白求恩 → 'bai2qiu2en1'.

    A digit sorts before every letter (in the C and in linguistic collations alike), so comparing these keys as
    plain strings compares the names syllable by syllable (ba < bai, whatever follows), then by tone — the order of
    a Chinese dictionary. Joined pinyin ('balujun' > 'baiqiuen') would not."""
    parts = lazy_pinyin(text or "", style=Style.TONE3, neutral_tone_with_five=True)
    return "".join("".join(ch for ch in part.lower() if ch.isascii() and ch.isalnum()) for part in parts)


def pinyin_search_and_sort(name: str, short_name: str = "") -> str:
    """One stored key that sorts and searches: 'shan1xi1bo2wu4yuan4 shanxibowuyuan shanbo'.

    It starts with the sort key, so ordering by it is ordering by syllable; the joined pinyin of the name and the
    short name follow, so a letters-only query ('shanxi') found by `contains` matches them. Such a query cannot
    match across a tone digit, so the sort key adds no false matches."""
    return " ".join(key for key in (pinyin_sort_key(name), pinyin_full(name, short_name)) if key)


@lru_cache(maxsize=16384)
def option_keys(label: str) -> tuple[str, str]:
    """(full pinyin, initials) of a choice's label, for searching a long list by typing (山西博物院 → 'shanxibowuyuan',
    'sxbwy'). Cached: the same museum and place names come back on every form."""
    return pinyin_full(label), pinyin_initials(label)
