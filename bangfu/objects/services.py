"""Writes of the object registry: one function per operation, the same for the pages, the import and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bangfu.core.attachments import attachment_add
from bangfu.core.audit import audit
from bangfu.core.forms import model_messages
from bangfu.core.models import AttachmentKind
from bangfu.permissions import require

from .models import CollectionObject

# The fields a person edits (the form, the import and the API write these).
EDITABLE = ("name", "registration_number", "grade", "category", "material", "era", "dimensions", "quantity",
            "condition", "fragile", "has_record", "insurance_value", "description", "offered", "is_active")
TEXTS = ("name", "registration_number", "era", "dimensions", "description")


def _duplicate_message(number: str) -> str:
    return f"本馆已有总登记号为“{number}”的藏品，总登记号在馆内不能重复。"


def _checked(obj: CollectionObject) -> None:
    """full_clean with the platform's wording; a registration number used twice in the museum is named on its
    field (the database constraint would only say "already exists")."""
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=["museum", "created_by"], validate_constraints=False)
    except ValidationError as exc:
        errors = model_messages(CollectionObject, exc)
    number = obj.registration_number
    if number and "registration_number" not in errors:
        taken = CollectionObject.objects.filter(museum_id=obj.museum_id, registration_number=number)
        if taken.exclude(pk=obj.pk).exists():
            errors["registration_number"] = [_duplicate_message(number)]
    if errors:
        raise ValidationError(errors)


def _values(values: dict) -> dict:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    return {k: (v.strip() if isinstance(v, str) and k in TEXTS else v) for k, v in values.items()}


def _save(obj: CollectionObject) -> None:
    """Save inside a savepoint: two requests registering the same number at once meet the unique constraint."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError({"registration_number": _duplicate_message(obj.registration_number)}) from None


def _require_staff_of(by, museum) -> None:
    """Objects are registered by the museum's own staff: the association and supervisors read them, never add."""
    require(by, "objects.add_object")
    if by.museum_id != museum.pk:
        raise PermissionDenied("只能为本馆登记藏品。")


@transaction.atomic
def object_create(*, museum, by, **values) -> CollectionObject:
    """Register one object of `museum` (the user's own museum). Refusals as ValidationError {field: message}
    (full_clean: a registration number already used in the museum is named)."""
    _require_staff_of(by, museum)
    obj = CollectionObject(museum=museum, created_by=by, **_values(values))
    _checked(obj)
    _save(obj)
    audit(actor=by, action="登记藏品", obj=obj)
    return obj


def _shown(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def object_update(*, obj: CollectionObject, by, **values) -> CollectionObject:
    """Change an object's fields (audited with what changed)."""
    obj = CollectionObject.objects.select_for_update().get(pk=obj.pk)
    require(by, "objects.change_object", obj)
    before = {name: getattr(obj, name) for name in EDITABLE}
    for name, value in _values(values).items():
        setattr(obj, name, value)
    _checked(obj)
    changes = {}
    for name in EDITABLE:
        old, new = before[name], getattr(obj, name)
        if old != new and not (isinstance(old, Decimal) and new is not None and old == Decimal(str(new))):
            changes[str(CollectionObject._meta.get_field(name).verbose_name)] = [_shown(old), _shown(new)]
    if changes:
        _save(obj)
        audit(actor=by, action="修改藏品", obj=obj, changes=changes)
    return obj


# --- photos ---------------------------------------------------------------------------------------------------


@transaction.atomic
def object_photo_add(*, obj: CollectionObject, by, file=None, link: str = "", caption: str = ""):
    """A photo (or another file) of an object, by its museum's staff."""
    require(by, "objects.change_object", obj)
    kind = AttachmentKind.PHOTO if file is not None else AttachmentKind.OTHER
    return attachment_add(owner=obj, by=by, file=file, link=link, caption=caption, kind=kind)


# --- import ---------------------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One row of a spreadsheet as the reader understood it: its Excel line, the values it could read and the
    cells it could not (`errors`, {field: message})."""

    line: int
    values: dict
    errors: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    errors: list[dict] = field(default_factory=list)  # [{"line": 7, "message": "…"}], by line
    written: bool = False


def _row_message(errors: dict, labels: dict) -> str:
    parts = []
    for name, messages in errors.items():
        text = "；".join(messages) if isinstance(messages, list | tuple) else str(messages)
        label = labels.get(name)
        parts.append(f"{label}：{text}" if label and name != NON_FIELD_ERRORS else text)
    return "；".join(parts)


def import_check(*, museum, rows: list[ImportRow], labels: dict | None = None) -> tuple[list, list[dict]]:
    """Check rows without writing: (the objects of the correct rows, [{"line", "message"}] of the bad ones).
    A registration number already in the museum, or used twice in the file, makes a bad row."""
    labels = labels or {f.name: str(f.verbose_name) for f in CollectionObject._meta.fields}
    numbers = [str(r.values.get("registration_number") or "").strip() for r in rows]
    existing = set(CollectionObject.objects.filter(museum=museum, registration_number__in=[n for n in numbers if n])
                   .values_list("registration_number", flat=True))
    first_line: dict[str, int] = {}
    good, bad = [], []
    for row, number in zip(rows, numbers, strict=True):
        errors = {k: (v if isinstance(v, list) else [v]) for k, v in row.errors.items()}
        obj = CollectionObject(museum=museum, **{k: v for k, v in _values(row.values).items() if k not in errors})
        try:
            obj.full_clean(exclude=["museum", "created_by", *errors], validate_constraints=False)
        except ValidationError as exc:
            errors.update(model_messages(CollectionObject, exc))
        if number and "registration_number" not in errors:
            if number in existing:
                errors["registration_number"] = [_duplicate_message(number)]
            elif number in first_line:
                errors["registration_number"] = [f"与第 {first_line[number]} 行的总登记号“{number}”重复。"]
        if number:
            first_line.setdefault(number, row.line)
        if errors:
            bad.append({"line": row.line, "message": _row_message(errors, labels)})
        else:
            good.append(obj)
    return good, bad


@transaction.atomic
def objects_import(*, museum, by, rows: list[ImportRow], all_or_nothing: bool, labels: dict | None = None,
                   progress=None) -> ImportResult:
    """Register the rows of an import for `museum` (its own staff). Every bad row is reported with its line.
    `all_or_nothing`: one bad row and nothing is written; otherwise the correct rows are written and the bad ones
    reported. One audit entry per object, as by hand."""
    _require_staff_of(by, museum)
    good, bad = import_check(museum=museum, rows=rows, labels=labels)
    result = ImportResult(errors=bad)
    if bad and all_or_nothing:
        return result
    for done, obj in enumerate(good, start=1):
        obj.created_by = by
        _save(obj)
        audit(actor=by, action="导入藏品", obj=obj)
        if progress:
            progress(done)
    result.created, result.written = len(good), bool(good)
    return result
