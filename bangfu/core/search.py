"""Full-text search for every module: PostgreSQL's GIN index, or a term index on SQLite — the same results.

A query is a list of word groups (core.chinese_text.query_groups: each query word with its thesaurus equivalents);
a row matches when its text holds a word of every group. A module gives, for its searchable model:

- a stored text of jieba words (`search_text`, written by the module whenever the text changes) and, on
  PostgreSQL, a generated `tsvector` column over it with a GIN index (the module's own migration; see
  `vector_column_sql`); searched with `vector @@ to_tsquery('simple', '(w1 | w1b) & (w2)')`, the tsquery built from
  the jieba words (letters, digits and ideographs only, each quoted) and passed as a parameter, never spliced into
  the SQL; ordered by ts_rank over the same stored vector;
- a term model (a subclass of the abstract `TermIndex`, or any model with `term`, `weight` and a foreign key to
  the searchable row) read on SQLite and any other database: one `id IN (rows having a word of the group)` per
  group, ordered by the sum of the matched words' BM25 weight × idf.

`index_rows` writes both from a text; `search(queryset, q, terms=..., owner=..., vector=...)` answers a query.
"""

from __future__ import annotations

import math
from collections import Counter

from django.db import connections, models, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, Func, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from . import chinese_text

K1 = 1.2
B = 0.75
# The length (in indexed words) of a typical text: a title and a paragraph of 150–300 characters give 60–120 words
# in jieba's search mode (the title counted twice). Fixed, so a row's weight depends on its own text only.
AVG_LEN = 90


class TermIndex(models.Model):
    """The inverted index of a module's searchable model: one row per word of a row's text with its BM25
    term-frequency weight. A module subclasses it with a foreign key to its model (named as `owner` in `search`)
    and a unique constraint on (that key, term)."""

    term = models.CharField(max_length=chinese_text.MAX_TERM_LENGTH)
    weight = models.FloatField()

    class Meta:
        abstract = True

    def __str__(self):
        return self.term


def vector_column_sql(table: str, *, column: str = "search_vector",
                      source: str = "search_text") -> tuple[list[str], list[str]]:
    """(forward, backward) statements of a migration adding, on PostgreSQL only, the generated tsvector column over
    the stored words and its GIN index (SQLite searches the term index): run them from a RunPython that checks
    `schema_editor.connection.vendor`."""
    index = f"{table}_{column}_gin"
    forward = [f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} tsvector "
               f"GENERATED ALWAYS AS (to_tsvector('simple', {source})) STORED",
               f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column})"]
    backward = [f"DROP INDEX IF EXISTS {index}", f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}"]
    return forward, backward


def tsquery(groups: list[list[str]]) -> str:
    """The to_tsquery text of the groups: every word single-quoted (a quote inside doubled, although the words
    hold none), ORed within a group, groups ANDed."""
    def quoted(word: str) -> str:
        return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"
    return " & ".join("(" + " | ".join(quoted(w) for w in group) + ")" for group in groups)


class _OnVector(Func):
    """An expression over the searched row's stored tsvector column (PostgreSQL only), with the tsquery text as a
    parameter."""

    template = ""

    def __init__(self, query: str, column: str = "search_vector"):
        super().__init__()
        self.query = query
        self.column = column

    def as_sql(self, compiler, connection, **extra_context):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        vector = f"{alias}.{connection.ops.quote_name(self.column)}"
        return self.template.format(vector=vector), [self.query]


class TextMatches(_OnVector):
    """vector @@ to_tsquery('simple', %s): answered by the GIN index."""

    conditional = True
    output_field = BooleanField()
    template = "{vector} @@ to_tsquery('simple', %s)"


class TextRank(_OnVector):
    output_field = FloatField()
    template = "ts_rank({vector}, to_tsquery('simple', %s))"


def idf(df: int, n: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def bm25_weight(tf: int, length: int) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVG_LEN))


def term_weights(words: list[str]) -> dict[str, float]:
    """Each distinct word's BM25 term-frequency weight in a text made of `words`."""
    length = max(len(words), 1)
    return {term: round(bm25_weight(tf, length), 4) for term, tf in Counter(words).items()}


def index_rows(row, text: str, *, terms: type[models.Model], owner: str, field: str = "search_text") -> None:
    """(Re)write `row`'s stored words (`field`) and its rows in the term model from `text`: through update() and
    bulk inserts (no save(), no signals, no timestamps touched)."""
    chinese_text.thesaurus()  # a changed thesaurus changes the cut
    words = chinese_text.words(text)
    search_text = " ".join(words)
    with transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(**{field: search_text})
        terms.objects.filter(**{f"{owner}_id": row.pk}).delete()
        terms.objects.bulk_create(terms(**{f"{owner}_id": row.pk}, term=term, weight=weight)
                                  for term, weight in term_weights(words).items())
    setattr(row, field, search_text)


def _search_postgresql(queryset, groups, *, vector, then_by):
    query = tsquery(groups)
    return (queryset.filter(TextMatches(query, vector))
            .alias(relevance=TextRank(query, vector))
            .order_by("-relevance", *then_by))


def _search_terms(queryset, groups, *, terms, owner, then_by):
    owner_id = f"{owner}_id"
    words = sorted({w for group in groups for w in group})
    for group in groups:
        queryset = queryset.filter(pk__in=terms.objects.filter(term__in=group).values(owner_id))
    frequencies = dict(terms.objects.using(queryset.db).filter(term__in=words)
                       .values_list("term").annotate(n=Count("id")).values_list("term", "n"))
    total = max(queryset.model.objects.using(queryset.db).count(), 1)
    weights = [When(term=t, then=Value(idf(frequencies.get(t, 0), total))) for t in words]
    score = (terms.objects.filter(**{owner_id: OuterRef("pk")}, term__in=words).values(owner_id)
             .annotate(s=Sum(F("weight") * Case(*weights, default=Value(0.0), output_field=FloatField())))
             .values("s"))
    return (queryset.alias(relevance=Coalesce(Subquery(score, output_field=FloatField()), Value(0.0)))
            .order_by("-relevance", *then_by))


def search(queryset, q: str, *, terms: type[models.Model], owner: str, vector: str = "search_vector",
           then_by: tuple[str, ...] = ("-id",), any_word: bool = False):
    """(queryset filtered to the rows that match `q` and ordered by relevance, then by `then_by`; the words to
    highlight). A row matches when it holds a word of every group of the query — or, with `any_word`, a word of
    any group (a question typed as a whole sentence: the rows holding most of its words rank first). `terms` is the
    module's term model, `owner` the name of its foreign key to the searched model, `vector` the searched model's
    tsvector column (PostgreSQL). A blank query, or one of punctuation and stop words only, leaves the queryset as
    it is, with no words."""
    groups = chinese_text.query_groups(q or "")
    if not groups:
        return queryset, []
    words = list(dict.fromkeys(w for group in groups for w in group))
    if any_word:
        groups = [words]
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, groups, vector=vector, then_by=then_by), words
    return _search_terms(queryset, groups, terms=terms, owner=owner, then_by=then_by), words


def snippet(text: str, words, *, length: int = 120):
    """About `length` characters of `text`, around the first searched word when there is one, with the words
    highlighted; everything escaped (a SafeString)."""
    from django.utils.html import format_html

    body = " ".join((text or "").split())
    start = 0
    if words:
        lowered = body.lower()
        found = [i for i in (lowered.find(str(w).lower()) for w in words if w) if i >= 0]
        if found:
            start = max(0, min(found) - 20)
    piece = body[start:start + length]
    before = "…" if start > 0 else ""
    after = "…" if start + length < len(body) else ""
    return format_html("{}{}{}", before, chinese_text.highlight(piece, words), after)
