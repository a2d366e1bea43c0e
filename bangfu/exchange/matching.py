"""Ranked matching: for a need the offers, for an offer the needs, each with its score and its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Match:
    post: object  # the matched Post
    score: float  # 0–100
    reasons: list[str] = field(default_factory=list)  # 共同词：壁画、修复 · 相距 85 公里 · 结对馆 · 尚可服务 2 家
    shared_words: list[str] = field(default_factory=list)
    km: float | None = None
    paired: bool = False
    capacity_left: int | None = None


def matches_for(post, *, limit: int = 20) -> list[Match]:
    """The open posts of the other kind, best first."""
    return []  # filled in by the matching work


def recommended_for(user, *, limit: int = 5) -> list[Match]:
    """"Recommended for you": the best matches for the open posts of the user's museum (or expert record)."""
    return []  # filled in by the matching work
