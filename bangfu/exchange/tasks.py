"""Background work of the exchange: telling subscribers of a new post, expiring posts past their date."""

from django_tasks import task


@task()
def notify_subscribers(*, post_id: int) -> int:
    """Tell the users whose subscriptions match a newly published post (filled in by the subscriptions work)."""
    return 0


@task()
def reindex_posts() -> int:
    """Rebuild every post's search text and term rows (the thesaurus changed: its words are dictionary words)."""
    from .index import reindex_all

    return reindex_all()
