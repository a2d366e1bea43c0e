"""Writing audit entries: every service that changes a key record calls `audit` once."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The displayable values of `fields`, to compare before and after a change."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit(
    *, actor, action: str, obj: models.Model, changes: dict | None = None, note: str = "", from_status: str = "",
    to_status: str = "",
) -> AuditEntry:
    """Record one change; a status move (core.workflow.transition) also records the states it went from and to."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        note=note[:500],
        from_status=from_status,
        to_status=to_status,
    )
