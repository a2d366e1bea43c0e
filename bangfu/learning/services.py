"""The writes of a person's learning record: hours from a source, certificates, the yearly target. Modules call
these when a person completes something (a class, a course, a placement); nothing else writes these tables."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bangfu.core.audit import audit
from bangfu.permissions import require

from .models import MAX_HOURS, Certificate, CertificateKind, HoursEntry, HoursTarget

ISSUER = "山西省博物馆协会"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper and typed


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except Exception as exc:  # InvalidOperation, ValueError
        raise ValidationError({"hours": "学时须为数字。"}) from exc
    if not (Decimal("0") < hours <= MAX_HOURS):
        raise ValidationError({"hours": f"学时须大于 0 且不超过 {MAX_HOURS}。"})
    return hours


@transaction.atomic
def hours_record(*, person, source_type: str, source_id: int, source_label: str, title: str, hours,
                 date: datetime.date, url: str = "") -> HoursEntry:
    """Count `hours` into `person`'s record for `date`'s year, once per source: a second call for the same source
    and person changes the entry (a corrected attendance) instead of adding one."""
    hours = _hours(hours)
    entry, created = HoursEntry.objects.select_for_update().get_or_create(
        source_type=source_type, source_id=source_id, person=person,
        defaults={"hours": hours, "date": date, "title": title[:200], "source_label": source_label, "url": url})
    if not created and (entry.hours, entry.date, entry.title) != (hours, date, title[:200]):
        entry.hours, entry.date, entry.title, entry.url = hours, date, title[:200], url
        entry.save(update_fields=["hours", "date", "title", "url"])
    return entry


@transaction.atomic
def hours_withdraw(*, source_type: str, source_id: int, person=None) -> int:
    """Take a source's hours out of the record (of one person, or of everyone it counted for): a withdrawn
    completion. Returns how many entries were removed."""
    entries = HoursEntry.objects.filter(source_type=source_type, source_id=source_id)
    if person is not None:
        entries = entries.filter(person=person)
    return entries.delete()[0]


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _next_serial(year: int) -> str:
    prefix = f"SXMA-{year}-"
    last = (Certificate.objects.filter(serial__startswith=prefix).order_by("-serial")
            .values_list("serial", flat=True).first())
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


def certificate_issue(*, by, person, kind: str, source_type: str, source_id: int, title: str,
                      issued_on: datetime.date, hours=None, start: datetime.date | None = None,
                      end: datetime.date | None = None, issuer: str = ISSUER) -> Certificate:
    """Issue the certificate of one source to one person, once: a second call returns the certificate already
    issued. The face (name, museum, title, hours, dates) is copied in now. The calling module has decided that
    `by` may issue it (its own rule, checked in its service); the serial is SXMA-<year>-<number>."""
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": "未知的证书类别。"})
    existing = Certificate.objects.filter(source_type=source_type, source_id=source_id, person=person).first()
    if existing is not None:
        return existing
    face = {
        "kind": kind, "person": person, "person_name": (person.full_name or person.username)[:60],
        "museum_name": person.museum.display_name if getattr(person, "museum_id", None) else "",
        "title": title[:200], "hours": _hours(hours) if hours is not None else None, "start": start, "end": end,
        "issued_on": issued_on, "issuer": issuer, "source_type": source_type, "source_id": source_id,
        "issued_by": by if getattr(by, "pk", None) else None,
    }
    for _attempt in range(5):  # two issuers at once may draw the same next serial: the unique index decides
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(serial=_next_serial(issued_on.year), code=_new_code(),
                                                         **face)
                audit(actor=by, action="签发证书", obj=certificate)
                return certificate
        except IntegrityError:
            existing = Certificate.objects.filter(source_type=source_type, source_id=source_id,
                                                  person=person).first()
            if existing is not None:
                return existing
    raise ValidationError("证书编号分配冲突，请稍后重试。")


@transaction.atomic
def certificate_revoke(*, by, certificate: Certificate, reason: str) -> Certificate:
    """Mark a certificate as revoked (issued in error, completion withdrawn): the verification page then says so.
    Only the association revokes."""
    require(by, "learning.revoke_certificate", certificate)
    if not reason.strip():
        raise ValidationError({"reason": "请说明撤销原因。"})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()[:200]
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        audit(actor=by, action="撤销证书", obj=certificate, note=reason)
    return certificate


@transaction.atomic
def target_set(*, by, year: int, hours) -> HoursTarget:
    """Set the continuing-education target of one year (the association)."""
    require(by, "learning.set_target")
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": "年度须在 2000–2100 之间。"})
    target, _ = HoursTarget.objects.update_or_create(year=year, defaults={"hours": _hours(hours), "updated_by": by})
    audit(actor=by, action="设置继续教育学时目标", obj=target)
    return target
