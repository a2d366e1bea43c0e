"""The exchange's Chinese text: the kernel's segmentation and highlighting (core.chinese_text), fed with the
exchange's thesaurus (the Synonym table the association edits), and what a change of the thesaurus sets off."""

from __future__ import annotations

from bangfu.core.chinese_text import (  # noqa: F401 — the exchange's modules and tests read these names here
    DOMAIN_WORDS_FILE,
    MAX_QUERY_CHARS,
    MAX_QUERY_GROUPS,
    MAX_TERM_LENGTH,
    MEANINGFUL_SINGLE,
    STOP_WORDS,
    Thesaurus,
    _is_word,
    build_thesaurus,
    expand,
    forget_thesaurus,
    highlight,
    normalise,
    query_groups,
    thesaurus,
    use_thesaurus,
    vocabulary,
    words,
)


def synonym_fingerprint() -> tuple:
    """Changes whenever the thesaurus does: its row count and latest update (one small aggregate query)."""
    from django.db.models import Count, Max

    from .models import Synonym

    row = Synonym.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"])


def synonym_entries():
    from .models import Synonym

    return Synonym.objects.values_list("word", "means", "two_way")


def use_synonyms() -> None:
    """Make the Synonym table the platform's thesaurus (ExchangeConfig.ready)."""
    use_thesaurus(fingerprint=synonym_fingerprint, entries=synonym_entries)


def thesaurus_changed() -> None:
    """Call after any change of the thesaurus (the synonym services): forgets this process's copy and, once the
    transaction commits, rebuilds every post's index in the background (the thesaurus's words are dictionary words,
    so posts may be cut differently)."""
    from bangfu.core.background import enqueue_on_commit

    from .tasks import reindex_posts

    forget_thesaurus()
    enqueue_on_commit(reindex_posts)
