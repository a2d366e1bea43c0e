"""Writes of the object registry: one function per operation, the same for the pages, the import and the API."""

from __future__ import annotations

from django.db import transaction

from bangfu.core.audit import audit
from bangfu.permissions import require

from .models import CollectionObject

# The fields a person edits (the form, the import and the API write these).
EDITABLE = ("name", "registration_number", "grade", "category", "material", "era", "dimensions", "quantity",
            "condition", "fragile", "has_record", "insurance_value", "description", "offered", "is_active")


@transaction.atomic
def object_create(*, museum, by, **values) -> CollectionObject:
    """Register one object of `museum` (the user's own museum). Refusals as ValidationError {field: message}
    (full_clean: a registration number already used in the museum is named)."""
    raise NotImplementedError  # helper "objects" implements


@transaction.atomic
def object_update(*, obj: CollectionObject, by, **values) -> CollectionObject:
    """Change an object's fields (audited with what changed)."""
    raise NotImplementedError  # helper "objects" implements


__all__ = ["EDITABLE", "audit", "object_create", "object_update", "require"]
