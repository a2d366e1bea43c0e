"""Writing the ledger. `ledger_record` is the one function every module calls when a piece of help is completed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.areas import Area
from bangfu.core.audit import audit
from bangfu.museums.models import Museum
from bangfu.notifications.models import Notification
from bangfu.notifications.services import notify
from bangfu.pairings.models import Pairing

from .models import Confirmation, LedgerEntry

MANUAL = "manual"
# Nothing in the ledger predates the programme; a mistyped year (0202) is refused, not charted.
EARLIEST_DATE = datetime.date(2015, 1, 1)


def side_of(user, *, helper: Museum, helped: Museum) -> str | None:
    """Which side of the help the user acts for: "helper", "helped", "association" or None."""
    if user is None or user.is_association_admin:
        return "association"
    if user.role in ("museum_admin", "museum_staff") and user.museum_id:
        if user.museum_id == helper.pk:
            return "helper"
        if user.museum_id == helped.pk:
            return "helped"
    return None


@transaction.atomic
def ledger_record(
    *, by, helper: Museum, helped: Museum, area: str, kind: str, date: datetime.date, description: str,
    pairing: Pairing | None = None, source_type: str = MANUAL, source_id: int | None = None, source_label: str = "",
    people_trained: int = 0, days: Decimal | float = 0, object_count: int = 0, visitors: int = 0,
    money_yuan: Decimal | float = 0, evidence=None, evidence_link: str = "",
) -> LedgerEntry:
    """Record one completed piece of help.

    Entries from a module (source_type other than "manual") were agreed by both sides there and count at once.
    A manual entry by one museum waits for the other side's confirmation; the association's own entries count.
    Writing the same source twice is refused (one piece of help, one row)."""
    side = side_of(by, helper=helper, helped=helped)
    if side is None:
        raise PermissionDenied("只有帮扶双方或协会可以登记这项帮扶。")
    if area not in Area.values:
        raise ValidationError({"area": "请选择帮扶领域。"})
    if pairing is not None and (pairing.helper_id, pairing.helped_id) != (helper.pk, helped.pk):
        raise ValidationError({"pairing": "所选结对与帮扶双方不一致。"})
    if date > timezone.localdate():
        raise ValidationError({"date": "帮扶日期不能晚于今天：台账只记录已经完成的帮扶。"})
    if date < EARLIEST_DATE or (pairing is not None and date < pairing.start_date):
        start = pairing.start_date if pairing is not None and pairing.start_date > EARLIEST_DATE else EARLIEST_DATE
        raise ValidationError({"date": f"帮扶日期不能早于{cn_date(start)}（请检查年份）。"})
    pending = source_type == MANUAL and side != "association"
    entry = LedgerEntry(
        helper=helper, helped=helped, pairing=pairing, source_type=source_type, source_id=source_id,
        source_label=source_label[:200], area=area, kind=kind.strip(), date=date, description=description.strip(),
        people_trained=people_trained, days=days, object_count=object_count, visitors=visitors,
        money_yuan=money_yuan, evidence_link=evidence_link,
        confirmation=Confirmation.PENDING if pending else Confirmation.CONFIRMED,
        recorded_by=by if getattr(by, "pk", None) else None, recorded_side=side,
        confirmed_at=None if pending else timezone.now(),
    )
    if evidence:
        entry.evidence = evidence
    entry.full_clean(exclude=["evidence"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError("这项帮扶已经记入台账。") from None
    audit(actor=by, action="登记台账", obj=entry, note=source_label or description[:100])
    if pending:
        _ask_other_side(entry)
    return entry


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _other_side(entry: LedgerEntry) -> Museum:
    return entry.helped if entry.recorded_side == "helper" else entry.helper


def _ask_other_side(entry: LedgerEntry) -> None:
    """Every active account of the other museum hears (in the platform and by e-mail) that an entry awaits it."""
    recorder = entry.helper if entry.recorded_side == "helper" else entry.helped
    for user in User.objects.of_museum(_other_side(entry)).filter(is_active=True):
        notify(
            user=user, key=f"ledger-confirm-{entry.pk}", email=True,
            title=f"{recorder.display_name}登记了帮扶台账（{entry.kind}，{entry.date.month}月{entry.date.day}日），请确认",
            body=(f"{cn_date(entry.date)} {entry.helper.display_name} → {entry.helped.display_name}，"
                  f"{entry.get_area_display()} · {entry.kind}。确认后计入统计；如有出入，请提出异议并说明理由。"),
            url=reverse("ledger:detail", args=[entry.pk]),
        )


def may_confirm(user, entry: LedgerEntry) -> bool:
    """Whether `user` may confirm or object to `entry` now: it awaits confirmation and the user is the other side
    (or the association). The same rule `ledger_confirm` enforces."""
    if entry.confirmation == Confirmation.CONFIRMED or not user.is_authenticated or not user.is_active:
        return False
    side = side_of(user, helper=entry.helper, helped=entry.helped)
    return side == "association" or (side is not None and side != entry.recorded_side)


@transaction.atomic
def ledger_confirm(*, entry: LedgerEntry, by, accept: bool, objection: str = "") -> LedgerEntry:
    """The other side (or the association) confirms a manual entry, or objects to it with a reason."""
    entry = LedgerEntry.objects.select_for_update().select_related("helper", "helped").get(pk=entry.pk)
    side = side_of(by, helper=entry.helper, helped=entry.helped)
    if side is None or (side == entry.recorded_side and side != "association"):
        raise PermissionDenied("台账记录需由另一方确认。")
    if entry.confirmation == Confirmation.CONFIRMED:
        raise ValidationError("这条记录已经确认。")
    if not accept and not objection.strip():
        raise ValidationError({"objection": "请说明异议。"})
    entry.confirmation = Confirmation.CONFIRMED if accept else Confirmation.REJECTED
    entry.confirmed_by = by
    entry.confirmed_at = timezone.now()
    entry.objection = "" if accept else objection.strip()[:300]
    entry.save()
    # The "please confirm" notices are answered: they leave everyone's unread list.
    Notification.objects.unread().filter(key=f"ledger-confirm-{entry.pk}").update(read_at=timezone.now())
    audit(actor=by, action="确认台账" if accept else "对台账提出异议", obj=entry, note=objection)
    _tell_recorder(entry, by=by)
    return entry


def _tell_recorder(entry: LedgerEntry, *, by) -> None:
    """The person who recorded a manual entry hears whether it was confirmed or objected to."""
    recorder = entry.recorded_by
    if recorder is None or recorder.pk == getattr(by, "pk", None):
        return
    accepted = entry.confirmation == Confirmation.CONFIRMED
    who = by.museum.display_name if getattr(by, "museum_id", None) else "协会"
    summary = f"{cn_date(entry.date)} {entry.helper.display_name} → {entry.helped.display_name}，{entry.kind}"
    notify(
        user=recorder, key=f"ledger-{'confirmed' if accepted else 'objection'}-{entry.pk}", email=not accepted,
        title=f"{who}已确认您登记的帮扶台账" if accepted else f"{who}对您登记的帮扶台账提出异议",
        body=summary if accepted else f"{summary}。异议：{entry.objection}",
        url=reverse("ledger:detail", args=[entry.pk]),
    )
