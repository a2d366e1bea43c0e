"""The exchange's indexes: a post's segmented text (Post.search_text, GIN-indexed on PostgreSQL) and its rows in
the term index (PostTerm) the matching and the SQLite search read."""

from __future__ import annotations


def index_post(post) -> None:
    """(Re)write the post's search_text and term rows from its title, description, sub-type and terms, and its
    kind/area/openness; called by every service that changes a post's text or status."""
    return None  # filled in by the search work


def reindex_all() -> int:
    """Rebuild every post's index (after the thesaurus or the dictionary changed); the number of posts."""
    return 0
