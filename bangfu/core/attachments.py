"""Attachments: files and links any record can own (`core.models.Attachment`).

An owner model declares, once, which of its permissions guard its attachments (an `AttachmentOwner` in its app's
`module.py`, see `core.registry`): `view` lets a user see the record and so download its files
(`core.views.attachment` checks it on the owner, outsiders get 404), `change` lets a user add and remove them (the
services check it). The owner's own services add their rules on top (a completed task keeps its evidence, at most
N per task…) and call these.

Files are checked by `core.uploads.checked_evidence` (photos re-encoded, documents by content) and written through
Django's storage API (`STORAGES["default"]`: local disk, or S3-compatible object storage) under a random name.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction

from bangfu.permissions import require

from . import registry
from .audit import audit
from .models import Attachment, AttachmentKind
from .registry import AttachmentOwner
from .uploads import checked_evidence, save_with_file


def rules_for(owner: models.Model | type[models.Model] | str) -> AttachmentOwner | None:
    """The declared permissions of an owner (a record, its model or its label; `Module.attachment_owners`), None
    when it owns no attachments."""
    label = owner if isinstance(owner, str) else owner._meta.label_lower
    return registry.attachment_owners().get(label.lower())


def _require_change(by, owner: models.Model) -> None:
    rules = rules_for(owner)
    if rules is None:
        raise ValueError(f"{owner._meta.label_lower} does not own attachments (Module.attachment_owners)")
    if by is not None:  # None is the system (commands, migrations)
        require(by, rules.change, owner)


def may_remove(user, attachment: Attachment) -> bool:
    """Whether `user` may remove the attachment: its owner's `remove` permission asked with the attachment, or
    `change` on the owner (what pages ask to show a delete button)."""
    rules = rules_for(attachment.owner)
    if rules is None:
        return False
    return user.has_perm(rules.remove, attachment) if rules.remove else user.has_perm(rules.change, attachment.owner)


def attachment_new(*, owner: models.Model, by, file=None, link: str = "", caption: str = "",
                   kind: str = AttachmentKind.OTHER) -> Attachment:
    """An attachment checked but not stored yet (`attachment_store` writes it once every other check of the
    calling operation has passed): exactly one of a file (by extension, size and content; photos re-encoded) and
    an http(s) link. Refusals are keyed "file" and "link"."""
    _require_change(by, owner)
    link = (link or "").strip()
    if bool(file) == bool(link):
        raise ValidationError({"file": "请上传一个文件或填写一个链接（只选一种）。" if not file else
                               "请只选择一种：上传文件或填写链接。"})
    if kind not in AttachmentKind.values:
        raise ValueError(f"unknown attachment kind: {kind}")
    attachment = Attachment(owner=owner, kind=kind, caption=(caption or "").strip()[:200],
                            added_by=by if getattr(by, "pk", None) else None)
    if file:
        try:
            file = checked_evidence(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        attachment.file, attachment.size, attachment.original_name = file, file.size or 0, file.original_name
    else:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError({"link": "请填写以 http:// 或 https:// 开头的完整链接。"}) from None
        if len(link) > Attachment._meta.get_field("link").max_length:
            raise ValidationError({"link": "链接太长（最多 200 个字符）。"})
        attachment.link = link
    return attachment


def attachment_store(*, attachment: Attachment, by, audited: bool = True) -> Attachment:
    """Write a checked attachment: the file through the storage API just before its row (deleted again if the row
    cannot be written), and an audit entry on the owner."""
    save_with_file(attachment, "file")
    if audited:
        audit(actor=by, action=f"上传{attachment.get_kind_display()}", obj=attachment.owner,
              changes={attachment.get_kind_display(): [None, attachment.caption or attachment.link
                                                       or attachment.original_name]})
    return attachment


@transaction.atomic
def attachment_add(*, owner: models.Model, by, file=None, link: str = "", caption: str = "",
                   kind: str = AttachmentKind.OTHER, audited: bool = True) -> Attachment:
    """Attach a file or a link to `owner` (the owner's `change` permission). Owners with rules of their own call
    this from their service after checking them."""
    checked = attachment_new(owner=owner, by=by, file=file, link=link, caption=caption, kind=kind)
    return attachment_store(attachment=checked, by=by, audited=audited)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    """Remove an attachment (the owner's `change` permission); its file is deleted once the removal is committed."""
    owner = attachment.owner
    _require_change(by, owner)
    rules = rules_for(owner)
    if by is not None and rules.remove:
        require(by, rules.remove, attachment)
    name = attachment.file.name
    storage = attachment.file.storage
    audit(actor=by, action=f"删除{attachment.get_kind_display()}", obj=owner,
          changes={attachment.get_kind_display(): [attachment.caption or attachment.link or attachment.original_name,
                                                   None]})
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def download_name(attachment: Attachment) -> str:
    """The name a download gets: the caption (by default the original file name) made safe, with the stored
    file's suffix."""
    suffix = PurePosixPath(attachment.file.name).suffix.lower()
    stem = PurePosixPath(attachment.caption or attachment.original_name or "").stem
    stem = re.sub(r"[^\w\u4e00-\u9fff.\- ]+", "", stem).strip(" .")[:60]
    return f"{stem or f'{attachment.get_kind_display()}-{attachment.pk}'}{suffix}"
