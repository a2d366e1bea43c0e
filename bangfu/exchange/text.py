"""Chinese text for the exchange: jieba segmentation with the domain dictionary, the thesaurus, highlighting."""

from __future__ import annotations


def words(text: str) -> list[str]:
    """The indexable words of a text (jieba search mode: 温湿度 also yields 温度-free sub-words such as 湿度), with
    punctuation, single characters of no meaning and stop words dropped; repeated words repeated."""
    raise NotImplementedError


def query_groups(q: str) -> list[list[str]]:
    """The query's words, each with its thesaurus equivalents: [["文保", "文物保护"], ["壁画"]] — a post matches
    when it holds one word of every group."""
    raise NotImplementedError


def highlight(text: str, terms) -> str:
    """`text` escaped, with every occurrence of the terms wrapped in <mark> (a SafeString)."""
    raise NotImplementedError
