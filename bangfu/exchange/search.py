"""Full-text search over posts through the kernel's search (core.search): PostgreSQL's GIN index over
exchange_post.search_vector (migration 0005; 0002 indexed the expression, but ranking then parsed every matching
text again), or the PostTerm index on SQLite — the same results."""

from __future__ import annotations

from bangfu.core.search import idf, search, tsquery  # noqa: F401 — read here by the exchange's tests

from .models import PostTerm


def search_posts(queryset, q: str):
    """(queryset filtered to the posts that match `q` and ordered by relevance, the words to highlight). A blank
    query, or one of punctuation and stop words only, leaves the queryset as it is, with no words."""
    return search(queryset, q, terms=PostTerm, owner="post", vector="search_vector", then_by=("-published_at", "-id"))
