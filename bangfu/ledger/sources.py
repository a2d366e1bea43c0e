"""The kinds of record that may write the ledger, as the modules declare them (`LedgerSource` in each app's
`module.py`): their label, the page of the source record and whether an entry counts at once or waits for the
other side. The ledger refuses a source type no module declares."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from bangfu.core import registry
from bangfu.core.registry import LedgerSource

MANUAL = "manual"


def source(key: str) -> LedgerSource:
    """The declared source `key`; a ValidationError for a type no installed module declares."""
    found = registry.ledger_sources().get(key)
    if found is None:
        raise ValidationError({"source_type": f"未知的台账来源“{key}”：只有平台登记过的模块可以写入台账。"})
    return found


def label(key: str) -> str:
    """The source's name for people (the key itself for a source no longer installed)."""
    found = registry.ledger_sources().get(key)
    return found.label if found else key


def counts_at_once(key: str, *, side: str) -> bool:
    """Whether a new entry from `key`, recorded by `side`, counts at once: a module's entry was agreed by both
    sides there; a manual one by the association counts, one by a museum waits for the other museum."""
    return source(key).counts_at_once or side == "association"


def record_url(key: str, source_id: int | None) -> str:
    """The path of the source record's page ("" when the source has no page or the entry no source id). Reversed
    at display time: the ledger stores a reference, never a URL, so a moved page or a new domain breaks nothing."""
    found = registry.ledger_sources().get(key)
    if found is None or not found.url_name or source_id is None:
        return ""
    try:
        return reverse(found.url_name, args=[source_id])
    except NoReverseMatch:
        return ""
