"""Chinese text for every module's search: jieba segmentation with the domain dictionary, the thesaurus, query
groups, highlighting (the kernel part of the platform's Chinese search; core.search runs the queries).

The thesaurus's entries live with the module that edits them (the exchange's Synonym table): it hands them over
with `use_thesaurus(fingerprint=..., entries=...)` when its app is ready; without one the thesaurus is empty.

Two rules make the index and the queries meet (the search, the SQLite fallback and the matching all rely on them):

- a text's words are jieba's *search mode* words (a long word also yields the dictionary words inside it:
  文物保护 → 文物, 保护, 文物保护) **plus every vocabulary word that occurs anywhere in the text** — the domain
  dictionary and both sides of the thesaurus, found as substrings — so 壁画, 修复 or 温湿度 are indexed however
  jieba happened to cut the sentence around them;
- a query's words are jieba's *precise* words; a vocabulary word (or a word of two characters) stays whole, a longer
  word jieba knows is replaced by the search-mode parts that cover it (技术培训 → 技术 + 培训), so a query word is
  always a word the index holds when the text contains it.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bangfu.core.text import ascii_width

DOMAIN_WORDS_FILE = Path(__file__).resolve().parent / "data" / "domain_words.txt"
MAX_TERM_LENGTH = 30  # the term column of every term index (core.search.TermIndex, exchange.PostTerm)
MAX_QUERY_CHARS = 200  # a longer query is cut (the search page's box is one line)
MAX_QUERY_GROUPS = 10  # and at most this many words of it count
THESAURUS_WORD_FREQ = 3000  # thesaurus words are cut whole, like the domain dictionary's

# Function words and the verbs every text uses ("我馆需要……，希望能够提供……"): they tell texts apart no better than
# punctuation. Nouns stay, even common ones (博物馆): the idf weighs them down.
_STOP_WORDS = """
的 了 和 与 及 以及 或 或者 等 等等 在 是 有 为 对 对于 将 把 被 从 向 于 由 以 其 该 此 这 那 这个 这些 那些 之 也 都
又 还 就 并 并且 而 而且 但 但是 如 如果 若 因为 所以 因此 同时 通过 根据 按照 关于 其中 以上 以下 之一 之间 以及
我 我们 我馆 本馆 贵馆 你 您 你们 他 他们 她 它 大家 自己 一个 一些 一批 一次 一起 一定 一直 目前 现在 已经 已 没有
不 很 更 最 比较 非常 十分 可 可以 能 能够 会 要 需 需要 希望 想 愿意 拟 请 欢迎 进行 开展 相关 有关 方面 情况
工作 问题 方式 主要 各种 各类 其他 其它 包括 以便 用于 提供 帮助 支持 给予 给 让 使 得到 做好 做 着 过 啊 吗 呢 吧
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Single characters are dropped (particles, measure words, fragments of unknown words) except these, which name a
# material or a kind of object on their own (玉, 瓷, 碑…).
MEANINGFUL_SINGLE = frozenset("玉瓷陶铜铁金银漆木石砖瓦碑画书帖印钱币佛塑绣纸骨鼎俑窑塔寺庙窟")

# A word the index keeps: ASCII letters and digits and CJK ideographs only. PostgreSQL's 'simple' parser keeps such
# a run as one lexeme (in a UTF-8 locale), so the tsvector holds exactly these words and a quoted word in a tsquery
# is exactly one lexeme; anything else (punctuation, symbols, other scripts) could be split or dropped by it.
_WORD_RE = re.compile(r"^[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+$")
_SEPARATORS = re.compile(r"[\s,，、;；/|]+")

logger = logging.getLogger(__name__)


def normalise(text: str) -> str:
    """Full-width letters and digits as ASCII, lower case, compatibility ideographs as their unified forms."""
    return unicodedata.normalize("NFC", ascii_width(text or "")).lower()


def _is_word(token: str) -> bool:
    if len(token) > MAX_TERM_LENGTH or not _WORD_RE.match(token) or token in STOP_WORDS:
        return False
    return len(token) > 1 or token in MEANINGFUL_SINGLE


# --- the thesaurus -------------------------------------------------------------------------------------------------

@dataclass
class Thesaurus:
    """The association's synonyms as lookups: `equivalents[w]` are the words a query word w also finds."""

    fingerprint: tuple = ()
    equivalents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()  # both sides of every entry


def _split_means(means: str) -> list[str]:
    return [w for w in (normalise(p) for p in _SEPARATORS.split(means or "")) if _is_word(w)]


def build_thesaurus(entries, fingerprint=()) -> Thesaurus:
    """From (word, means, two_way) triples: a two-way entry links the word and each meaning both ways; a one-way
    entry sends the word to its meanings only (温湿度 → 温度, 湿度, but 温度 does not find 温湿度)."""
    links: dict[str, list[str]] = {}
    vocabulary: set[str] = set()

    def link(a: str, b: str) -> None:
        if a != b and b not in links.setdefault(a, []):
            links[a].append(b)

    for word, means, two_way in entries:
        word = normalise(word).strip()
        meanings = _split_means(means)
        if not _is_word(word) or not meanings:
            continue
        vocabulary.add(word)
        vocabulary.update(meanings)
        for meaning in meanings:
            link(word, meaning)
            if two_way:
                link(meaning, word)
    return Thesaurus(fingerprint=fingerprint, equivalents={k: tuple(v) for k, v in links.items()},
                     words=frozenset(vocabulary))


_lock = threading.RLock()
_state: dict = {"thesaurus": None, "tokenizer": None, "domain": frozenset(), "added": frozenset(),
                "original": {}, "vocabulary": frozenset()}


_source: dict = {"fingerprint": None, "entries": None}


def use_thesaurus(*, fingerprint, entries) -> None:
    """Where the thesaurus comes from: `fingerprint()` is a cheap value that changes whenever the entries change
    (asked on every check), `entries()` the (word, means, two_way) triples. Called once by the module that keeps
    the thesaurus (the exchange's AppConfig.ready); the copy in memory is forgotten."""
    with _lock:
        _source["fingerprint"] = fingerprint
        _source["entries"] = entries
        _state["thesaurus"] = None


def _fingerprint() -> tuple:
    source = _source["fingerprint"]
    return source() if source is not None else ()


def _entries():
    source = _source["entries"]
    return source() if source is not None else ()


def thesaurus(*, check: bool = True) -> Thesaurus:
    """The thesaurus, read from its source once per process and again whenever it changed (its row count or
    latest update differs: one small aggregate query per call when `check`). `check=False` trusts the copy in
    memory (loading it the first time): for a batch that already checked."""
    current = _state["thesaurus"]
    if current is not None and not check:
        return current
    fingerprint = _fingerprint()
    if current is not None and current.fingerprint == fingerprint:
        return current
    loaded = build_thesaurus(_entries(), fingerprint)
    with _lock:
        _state["thesaurus"] = loaded
        if _state["tokenizer"] is not None:
            _teach(_state["tokenizer"], loaded)
    return loaded


def forget_thesaurus() -> None:
    """Forget this process's copy of the thesaurus (it is read again on next use)."""
    with _lock:
        _state["thesaurus"] = None


# --- segmentation --------------------------------------------------------------------------------------------------

def _read_domain_words() -> list[tuple[str, int]]:
    words = []
    for line in DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        word = normalise(parts[0])
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else THESAURUS_WORD_FREQ
        words.append((word, freq))
    return words


def _teach(tokenizer, loaded: Thesaurus) -> None:
    """Make the tokenizer cut the thesaurus's words whole; words of an earlier thesaurus that left it (and are not
    domain words) are forgotten again."""
    domain = _state["domain"]
    original = _state["original"]
    for word in _state["added"] - loaded.words - domain:
        before = original.pop(word, None)
        if before:
            tokenizer.add_word(word, before)  # a word of jieba's own dictionary: back to its frequency
        else:
            tokenizer.del_word(word)
    for word in loaded.words - domain - _state["added"]:
        original[word] = tokenizer.FREQ.get(word)
        tokenizer.add_word(word, max(THESAURUS_WORD_FREQ, original[word] or 0))
    _state["added"] = loaded.words - domain
    _state["vocabulary"] = domain | loaded.words


def _tokenizer():
    """The process's jieba tokenizer with the domain dictionary (loaded on first use, ~0.5 s; jieba's own log
    lines silenced)."""
    tokenizer = _state["tokenizer"]
    if tokenizer is not None:
        return tokenizer
    with _lock:
        if _state["tokenizer"] is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            domain = _read_domain_words()
            for word, freq in domain:
                tokenizer.add_word(word, freq)
            _state["domain"] = frozenset(w for w, _ in domain)
            _state["vocabulary"] = _state["domain"]
            if _state["thesaurus"] is not None:
                _teach(tokenizer, _state["thesaurus"])
            _state["tokenizer"] = tokenizer
    return _state["tokenizer"]


def vocabulary() -> frozenset[str]:
    """The domain dictionary's and the thesaurus's words: found in a text wherever they occur."""
    _tokenizer()
    return _state["vocabulary"]


def _ensure_thesaurus() -> None:
    if _state["thesaurus"] is None:
        thesaurus(check=False)


def words(text: str) -> list[str]:
    """The indexable words of a text (jieba search mode: 温湿度 also yields 湿度; 文物保护 yields 文物, 保护 and
    文物保护), plus each vocabulary word as often as it occurs in the text when jieba's cut hid it; punctuation,
    stop words and single characters of no meaning dropped; repeated words repeated."""
    _ensure_thesaurus()
    tokenizer = _tokenizer()
    text = normalise(text)
    found = [t for t in tokenizer.cut_for_search(text) if _is_word(t)]
    counts = Counter(found)
    for word in _state["vocabulary"]:
        if word in text:
            missing = text.count(word) - counts[word]
            if missing > 0:
                found.extend([word] * missing)
    return found


def _query_words(q: str, current: Thesaurus) -> list[str]:
    """The query's words: jieba's precise cut; a word of the thesaurus or of up to three characters stays whole, a
    longer word is replaced by the dictionary words that exactly tile it (保护修复方案 → 保护 + 修复 + 方案), when
    there are such, so a text that says 修复的方案 is found too."""
    tokenizer = _tokenizer()
    result: list[str] = []
    for token in tokenizer.cut(normalise(q)[:MAX_QUERY_CHARS]):
        if not _is_word(token):
            continue
        keep = token in current.equivalents or len(token) <= 3
        for word in ([token] if keep else _tiling(tokenizer, token) or [token]):
            if word not in result:
                result.append(word)
    return result


def _tiling(tokenizer, token: str) -> list[str]:
    """The fewest words of jieba's search-mode parts of `token` (its dictionary words of two and three
    characters) that cover it end to end without overlapping; [] when there are none."""
    parts = {p for p in tokenizer.cut_for_search(token) if p != token and _is_word(p)}
    best: dict[int, list[str]] = {0: []}  # position → the shortest tiling of token[:position]
    for start in range(len(token)):
        if start not in best:
            continue
        for length in (3, 2):
            part = token[start:start + length]
            end = start + length
            if part in parts and (end not in best or len(best[end]) > len(best[start]) + 1):
                best[end] = [*best[start], part]
    return best.get(len(token), [])


def query_groups(q: str) -> list[list[str]]:
    """The query's words, each with its thesaurus equivalents: [["文保", "文物保护"], ["壁画"]] — a text matches
    when it holds one word of every group. At most MAX_QUERY_GROUPS groups; [] for a blank or punctuation-only q."""
    if not q or not q.strip():
        return []
    _tokenizer()
    current = thesaurus()
    groups = []
    for word in _query_words(q, current)[:MAX_QUERY_GROUPS]:
        groups.append([word, *(w for w in current.equivalents.get(word, ()) if w != word)])
    return groups


def expand(word: str, current: Thesaurus | None = None) -> tuple[str, ...]:
    """The word and its thesaurus equivalents."""
    current = current or thesaurus(check=False)
    return (word, *current.equivalents.get(word, ()))


# --- highlighting --------------------------------------------------------------------------------------------------

def highlight(text: str, terms) -> SafeString:
    """`text` escaped, with every occurrence of the terms wrapped in <mark> (a SafeString). Longer terms first, so
    文物保护 is marked whole rather than as 文物 + 保护; matching is on the raw text, never on escaped HTML."""
    text = str(text or "")
    unique = sorted({t for t in (terms or ()) if t}, key=lambda t: (-len(t), t))
    if not unique or not text:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in unique), re.IGNORECASE)
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 — every piece of the input went through escape()
