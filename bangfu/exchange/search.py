"""Full-text search over posts: PostgreSQL's GIN index, or the term index on SQLite — the same results."""

from __future__ import annotations


def search_posts(queryset, q: str):
    """(queryset filtered to the posts that match `q` and ordered by relevance, the words to highlight)."""
    return queryset, []  # filled in by the search work
