"""The exchange's indexes: a post's segmented text (Post.search_text, GIN-indexed on PostgreSQL) and its rows in
the term index (PostTerm) the matching and the SQLite search read.

A PostTerm row holds the BM25 term-frequency part of the word's weight in the post,
tf·(k1+1) / (tf + k1·(1 − b + b·len/AVG_LEN)), with the usual k1 = 1.2, b = 0.75 and a fixed average length (a
moving average would change every row's weight as posts come and go); the idf part depends on the other posts and is
computed at query time from the same index."""

from __future__ import annotations

from django.db import transaction

from bangfu.core.search import AVG_LEN, K1, B, bm25_weight, term_weights  # noqa: F401 — the kernel's BM25

from . import text
from .models import OPEN_STATUSES, Post, PostTerm

BATCH = 500


def post_text(post) -> str:
    """What is indexed: the title (twice: a title word says more than a word of the description), the sub-type's
    name, the description and the cost terms."""
    subtype = post.subtype.name if post.subtype_id else ""
    return "\n".join([post.title, post.title, subtype, post.description, post.terms])


def term_rows(post, words: list[str]) -> list[PostTerm]:
    is_open = post.status in OPEN_STATUSES
    return [PostTerm(post_id=post.pk, term=term, weight=weight, kind=post.kind, area=post.area, is_open=is_open)
            for term, weight in term_weights(words).items()]


def index_post(post) -> None:
    """(Re)write the post's search_text and term rows from its title, description, sub-type and terms, and its
    kind/area/openness; called by every service that changes a post's text or status. Writes through `update()`
    and bulk inserts: no save(), no signals, no timestamps touched."""
    text.thesaurus()  # a changed thesaurus changes the cut
    words = text.words(post_text(post))
    search_text = " ".join(words)
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(search_text=search_text)
        PostTerm.objects.filter(post_id=post.pk).delete()
        PostTerm.objects.bulk_create(term_rows(post, words))
    post.search_text = search_text


def reindex_all(*, batch: int = BATCH) -> int:
    """Rebuild every post's index (after the thesaurus or the dictionary changed), `batch` posts per transaction;
    the number of posts."""
    text.thesaurus()
    done = 0
    last = 0
    while True:
        posts = list(Post.objects.select_related("subtype").filter(pk__gt=last).order_by("pk")
                     .only("pk", "title", "description", "terms", "subtype__name", "kind", "area", "status")[:batch])
        if not posts:
            return done
        rows = []
        for post in posts:
            words = text.words(post_text(post))
            post.search_text = " ".join(words)
            rows.extend(term_rows(post, words))
        with transaction.atomic():
            Post.objects.bulk_update(posts, ["search_text"], batch_size=batch)
            PostTerm.objects.filter(post_id__in=[p.pk for p in posts]).delete()
            PostTerm.objects.bulk_create(rows, batch_size=2000)
        done += len(posts)
        last = posts[-1].pk
