"""What the conservation pages share: the navigation slug, attachment lists with their remove buttons, the
museums a user may name."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from bangfu.core.attachments import may_remove
from bangfu.core.models import Attachment
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing

NAV = "area-conservation"
PAGE_SIZE = 30
FILES = Prefetch("attachments", queryset=Attachment.objects.select_related("added_by").order_by("pk"))


def files_of(user, owner, attachments=None) -> list[Attachment]:
    """The attachments of a record (prefetched when `attachments` is given), each knowing whether the user may
    remove it, without a query per file."""
    rows = list(attachments if attachments is not None else owner.attachments.select_related("added_by")
                .order_by("pk"))
    for attachment in rows:
        attachment.owner = owner
        attachment.removable = may_remove(user, attachment)
    return rows


def helper_choices(museum_id: int | None):
    """The museums that may help: the museum's pairing partners first, then every helper museum."""
    partners = Pairing.objects.open().filter(helped_id=museum_id).values("helper_id")
    return (Museum.objects.filter(Q(pk__in=partners) | Q(pk__in=Museum.objects.helpers()))
            .exclude(pk=museum_id).order_by("pinyin"))


def helped_choices(museum_id: int | None):
    """The museums a helper works with: those it helps (open pairings)."""
    return Museum.objects.filter(pk__in=Pairing.objects.open().filter(helper_id=museum_id).values("helped_id")
                                 ).order_by("pinyin")
