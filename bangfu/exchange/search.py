"""Full-text search over posts: PostgreSQL's GIN index, or the term index on SQLite — the same results.

A query is a list of word groups (exchange.text.query_groups: each query word with its thesaurus equivalents); a
post matches when it holds a word of every group.

- PostgreSQL: `search_vector @@ to_tsquery('simple', '(w1 | w1b) & (w2)')` over the stored
  `search_vector = to_tsvector('simple', search_text)` column and its GIN index (migration 0005; 0002 indexed the
  expression, but ranking then parsed every matching text again); the tsquery is built from the jieba words
  (letters, digits and ideographs only, each quoted) and passed as a parameter, never spliced into the SQL; ordered
  by ts_rank over the same stored vector.
- SQLite (and any other database): one `id IN (posts having a word of the group)` per group over the PostTerm index
  (term is its leading column), ordered by the sum of the matched words' BM25 weight × idf.
"""

from __future__ import annotations

import math

from django.db import connections
from django.db.models import BooleanField, Case, Count, F, FloatField, Func, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from . import text
from .models import PostTerm


def tsquery(groups: list[list[str]]) -> str:
    """The to_tsquery text of the groups: every word single-quoted (a quote inside doubled, although the words
    hold none), ORed within a group, groups ANDed."""
    def quoted(word: str) -> str:
        return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"
    return " & ".join("(" + " | ".join(quoted(w) for w in group) + ")" for group in groups)


class _OnVector(Func):
    """An expression over the post's stored tsvector (exchange_post.search_vector, PostgreSQL only: migration
    0005, generated from search_text and GIN-indexed), with the tsquery text as a parameter."""

    template = ""

    def __init__(self, query: str):
        super().__init__()
        self.query = query

    def as_sql(self, compiler, connection, **extra_context):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        vector = f"{alias}.{connection.ops.quote_name('search_vector')}"
        return self.template.format(vector=vector), [self.query]


class _TextMatches(_OnVector):
    """search_vector @@ to_tsquery('simple', %s): answered by the GIN index."""

    conditional = True
    output_field = BooleanField()
    template = "{vector} @@ to_tsquery('simple', %s)"


class _TextRank(_OnVector):
    output_field = FloatField()
    template = "ts_rank({vector}, to_tsquery('simple', %s))"


def idf(df: int, n: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _search_postgresql(queryset, groups):
    query = tsquery(groups)
    return (queryset.filter(_TextMatches(query))
            .alias(relevance=_TextRank(query))
            .order_by("-relevance", "-published_at", "-id"))


def _search_terms(queryset, groups):
    terms = sorted({w for group in groups for w in group})
    for group in groups:
        queryset = queryset.filter(pk__in=PostTerm.objects.filter(term__in=group).values("post_id"))
    frequencies = dict(PostTerm.objects.using(queryset.db).filter(term__in=terms)
                       .values_list("term").annotate(n=Count("id")).values_list("term", "n"))
    total = max(queryset.model.objects.using(queryset.db).count(), 1)
    weights = [When(term=t, then=Value(idf(frequencies.get(t, 0), total))) for t in terms]
    score = (PostTerm.objects.filter(post_id=OuterRef("pk"), term__in=terms).values("post_id")
             .annotate(s=Sum(F("weight") * Case(*weights, default=Value(0.0), output_field=FloatField())))
             .values("s"))
    return (queryset.alias(relevance=Coalesce(Subquery(score, output_field=FloatField()), Value(0.0)))
            .order_by("-relevance", "-published_at", "-id"))


def search_posts(queryset, q: str):
    """(queryset filtered to the posts that match `q` and ordered by relevance, the words to highlight). A blank
    query, or one of punctuation and stop words only, leaves the queryset as it is, with no words."""
    groups = text.query_groups(q or "")
    if not groups:
        return queryset, []
    terms = list(dict.fromkeys(w for group in groups for w in group))
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, groups), terms
    return _search_terms(queryset, groups), terms

