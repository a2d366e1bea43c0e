"""Long post texts of many different words, for the exchange's tests of long descriptions (each word a distinct
dictionary word, so a text of n characters has about n / 3 words to count)."""

from functools import cache

import jieba

from bangfu.exchange import text


@cache
def _words() -> tuple[str, ...]:
    """jieba's common two-character words that the exchange indexes, in the dictionary's order."""
    found = []
    with jieba.get_dict_file() as lines:
        for line in lines:
            word, freq, *_ = line.decode("utf-8").split()
            if len(word) == 2 and int(freq) >= 2000 and text._is_word(word):
                found.append(word)
    return tuple(found)


def long_text(chars: int, *, start: int = 0) -> str:
    """A text of exactly `chars` characters: distinct words from the start-th on, separated by "，"."""
    words = _words()
    pieces, length, i = [], 0, start
    while length < chars:
        piece = words[i % len(words)] + "，"
        pieces.append(piece)
        length += len(piece)
        i += 1
    return "".join(pieces)[:chars]
