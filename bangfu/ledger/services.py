"""Writing the ledger. `ledger_record` is the one function every module calls when a piece of help is completed."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.areas import Area
from bangfu.core.attachments import attachment_new, attachment_store
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.dates import cn_date
from bangfu.core.models import AttachmentKind
from bangfu.core.workflow import transition
from bangfu.museums.models import Museum
from bangfu.notifications.services import mark_answered, notify
from bangfu.pairings.models import Pairing
from bangfu.parties import ASSOCIATION, acting_side
from bangfu.permissions import require

from . import sources, summary
from .models import QUANTITIES, QUANTITY_FIELDS, Confirmation, LedgerEntry, QuantityLimits
from .sources import MANUAL

# Nothing in the ledger predates the programme; a mistyped year (0202) is refused, not charted.
EARLIEST_DATE = datetime.date(2015, 1, 1)


# What the association may correct on an entry (the parties and the source stay: a wrong party is voided).
CORRECTABLE = ["date", "area", "kind", "description", *QUANTITY_FIELDS]


def quantity_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """{field: message} for quantities that are negative or above the association's limits (`QuantityLimits`),
    each message naming the field and its limit. Every service that takes quantities asks it (`ledger_record`,
    corrections, the agreement tasks' planned and actual figures), and so do their forms in clean(); the forms'
    inputs carry the same limits as their min and max (ledger.forms.limit_quantity_fields)."""
    return QuantityLimits.current().errors(values)


def date_error(date: datetime.date, pairing: Pairing | None) -> str:
    """What is wrong with the date of a piece of help ("" when nothing is): in the future, before the programme
    or before its pairing started."""
    if date > timezone.localdate():
        return "帮扶日期不能晚于今天：台账只记录已经完成的帮扶。"
    if date < EARLIEST_DATE or (pairing is not None and date < pairing.start_date):
        start = pairing.start_date if pairing is not None and pairing.start_date > EARLIEST_DATE else EARLIEST_DATE
        return f"帮扶日期不能早于{cn_date(start)}（请检查年份）。"
    return ""


def _area_and_date_errors(*, area: str, date: datetime.date | None, pairing: Pairing | None) -> dict[str, str]:
    errors = {}
    if area not in Area.values:
        errors["area"] = "请选择帮扶领域。"
    if date is not None and (message := date_error(date, pairing)):
        errors["date"] = message
    return errors


def _content_errors(*, helper: Museum | None, helped: Museum | None, area: str, date: datetime.date | None,
                    pairing: Pairing | None, quantities: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with any entry's content, by field: the pairing and the parties, the area and the date, the
    quantities' limits."""
    errors = {}
    if pairing is not None and helper is not None and helped is not None and (
            pairing.helper_id, pairing.helped_id) != (helper.pk, helped.pk):
        errors["pairing"] = "所选结对与帮扶双方不一致。"
    return errors | _area_and_date_errors(area=area, date=date, pairing=pairing) | quantity_errors(quantities)


NOTHING_COUNTED = ("请至少填写一项大于 0 的数量（培训人数、帮扶天数、文物/展品、受众或投入金额）："
                   "台账按这些数量统计帮扶。")
DUPLICATE_FIELD = "confirm_not_duplicate"


def likely_duplicate(*, helper: Museum, helped: Museum, area: str, date: datetime.date, kind: str,
                     quantities: Mapping[str, Any]) -> LedgerEntry | None:
    """An entry already in the ledger (not void or withdrawn) with the same parties, area, date, kind and
    quantities: a second manual entry like it is most likely the same help typed twice."""
    same = {name: quantities.get(name) or 0 for name in QUANTITY_FIELDS}
    return LedgerEntry.objects.counted().filter(
        helper=helper, helped=helped, area=area, date=date, kind=kind.strip(), **same).order_by("pk").first()


def manual_entry_errors(
    *, helper: Museum | None, helped: Museum | None, area: str, date: datetime.date | None, kind: str,
    pairing: Pairing | None, quantities: Mapping[str, Any], confirm_not_duplicate: bool = False,
) -> dict[str, str]:
    """Every refusal of a manual entry's content at once, by field: the pairing and the parties, the area and the
    date, the quantities (the limits, and at least one of them above 0), and a likely duplicate that was not
    confirmed as another piece of help. `ledger_record` and the entry form (its clean()) ask it."""
    errors = _content_errors(helper=helper, helped=helped, area=area, date=date, pairing=pairing,
                             quantities=quantities)
    if not any(name in errors for name in QUANTITY_FIELDS) and not any(
            Decimal(str(quantities.get(name) or 0)) > 0 for name in QUANTITY_FIELDS):
        errors["quantities"] = NOTHING_COUNTED
    compared = {"area", "date", "pairing", "quantities", *QUANTITY_FIELDS}
    if not confirm_not_duplicate and not compared & set(errors) and None not in (helper, helped, date):
        twin = likely_duplicate(helper=helper, helped=helped, area=area, date=date, kind=kind, quantities=quantities)
        if twin is not None:
            errors[DUPLICATE_FIELD] = (
                f"可能重复登记：台账中已有一条相同的记录（#{twin.pk}，{cn_date(twin.date)} "
                f"{twin.helper.display_name} → {twin.helped.display_name}，{twin.kind}，数量相同）。"
                "如确实是另一次帮扶，请勾选“确认不是重复登记”后再提交。")
    return errors


@transaction.atomic
def ledger_record(
    *, by, helper: Museum, helped: Museum, area: str, kind: str, date: datetime.date, description: str,
    pairing: Pairing | None = None, source_type: str = MANUAL, source_id: int | None = None, source_label: str = "",
    people_trained: int = 0, days: Decimal | float = 0, object_count: int = 0, visitors: int = 0,
    money_yuan: Decimal | float = 0, evidence=None, evidence_link: str = "", confirm_not_duplicate: bool = False,
) -> LedgerEntry:
    """Record one completed piece of help.

    `source_type` must be declared by a module (`LedgerSource`; unknown types are refused). An entry from a source
    that counts at once (a module where both sides agreed) counts at once; a manual entry by one museum waits for
    the other side's confirmation; the association's own entries count. A manual entry must count something (a
    quantity above 0), and one exactly like an entry already in the ledger is refused as a likely duplicate unless
    `confirm_not_duplicate`. Writing the same source twice is refused (one piece of help, one row). Every refusal
    of the content comes at once. Automated writes (commands, the demo, tasks) pass `by=system_user()`."""
    if by is None:
        raise PermissionDenied("登记台账必须注明登记人；自动写入请以系统账号登记。")
    if not may_record(by):  # the system account acts for the association
        raise PermissionDenied("您没有登记帮扶台账的权限。")
    sources.source(source_type)  # refuses an unknown type
    side = acting_side(by, {"helper": helper, "helped": helped})
    if side is None:
        raise PermissionDenied("只有帮扶双方或协会可以登记这项帮扶。")
    quantities = {"people_trained": people_trained, "days": days, "object_count": object_count,
                  "visitors": visitors, "money_yuan": money_yuan}
    if source_type == MANUAL:
        errors = manual_entry_errors(helper=helper, helped=helped, area=area, date=date, kind=kind, pairing=pairing,
                                     quantities=quantities, confirm_not_duplicate=confirm_not_duplicate)
    else:
        errors = _content_errors(helper=helper, helped=helped, area=area, date=date, pairing=pairing,
                                 quantities=quantities)
    if errors:
        raise ValidationError(errors)
    pending = not sources.counts_at_once(source_type, side=side)
    entry = LedgerEntry(
        helper=helper, helped=helped, pairing=pairing, source_type=source_type, source_id=source_id,
        source_label=source_label[:200], area=area, kind=kind.strip(), date=date, description=description.strip(),
        **quantities,
        confirmation=Confirmation.PENDING if pending else Confirmation.CONFIRMED,
        recorded_by=by, recorded_side=side,
        confirmed_at=None if pending else timezone.now(),
    )
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError("这项帮扶已经记入台账。") from None
    summary.change(before=None, after=entry)
    _attach_evidence(entry, by=by, file=evidence, link=evidence_link)
    audit(actor=by, action="登记台账", obj=entry, note=source_label or description[:100])
    if pending:
        _ask_other_side(entry)
    return entry


def _attach_evidence(entry: LedgerEntry, *, by, file=None, link: str = "") -> None:
    """The evidence given with a new entry, as its attachments: both checked before either is written (a refusal
    rolls the entry back and leaves no file), refusals said by the fields of `ledger_record`."""
    checked = []
    for field, given in (("evidence", {"file": file}), ("evidence_link", {"link": (link or "").strip()})):
        if any(given.values()):
            try:
                checked.append(attachment_new(owner=entry, by=by, kind=AttachmentKind.EVIDENCE, **given))
            except ValidationError as exc:
                raise ValidationError({field: exc.messages}) from None
    for attachment in checked:
        attachment_store(attachment=attachment, by=by, audited=False)  # part of 登记台账, audited once below


def may_record(user) -> bool:
    """Whether `user` may record help in the ledger: the association, or someone working at a museum (for help
    their museum gave or received, which `ledger_record` checks). The pages ask it before offering the form."""
    return user.has_perm("ledger.add_entry", user.museum if user.is_museum_member else None)


def _summary(entry: LedgerEntry) -> str:
    """The entry in one line, for notices: 2026年3月10日 山西博物院 → 安泽县博物馆，培训."""
    return f"{cn_date(entry.date)} {entry.helper.display_name} → {entry.helped.display_name}，{entry.kind}"


def _answered(entry: LedgerEntry) -> None:
    """The "please confirm" notices of an entry that no longer waits leave everyone's unread list."""
    mark_answered(key=f"ledger-confirm-{entry.pk}")


def _ask_other_side(entry: LedgerEntry) -> None:
    """Every active account of the other museum hears (in the platform and by e-mail) that an entry awaits it."""
    recorder, waiting = entry.recording_museum, entry.awaiting_museum
    if waiting is None:  # the association's entries count at once: nobody is asked
        return
    for user in User.objects.of_museum(waiting).filter(is_active=True):
        notify(
            user=user, key=f"ledger-confirm-{entry.pk}", email=True,
            title=f"{recorder.display_name}登记了帮扶台账（{entry.kind}，{entry.date.month}月{entry.date.day}日），请确认",
            body=(f"{cn_date(entry.date)} {entry.helper.display_name} → {entry.helped.display_name}，"
                  f"{entry.get_area_display()} · {entry.kind}。确认后计入统计；如有出入，请提出异议并说明理由。"),
            url=reverse("ledger:detail", args=[entry.pk]),
        )


def nobody_to_confirm(entry: LedgerEntry) -> bool:
    """A museum's entry awaits a museum that has no active account on the platform: nobody was told of it."""
    if entry.confirmation != Confirmation.PENDING or entry.awaiting_museum is None:
        return False
    return not User.objects.of_museum(entry.awaiting_museum).filter(is_active=True).exists()


def may_confirm(user, entry: LedgerEntry) -> bool:
    """Whether `user` may confirm or object to `entry` now: it awaits confirmation and the user is the other side
    (or the association). The same rule `ledger_confirm` enforces."""
    waiting = not LedgerEntry.workflow.source_error(entry, to=Confirmation.CONFIRMED)  # the states it declares
    if not waiting or not user.is_authenticated or not user.is_active:
        return False
    side = acting_side(user, entry)
    return side == ASSOCIATION or (side is not None and side != entry.recorded_side)


@transaction.atomic
def ledger_confirm(*, entry: LedgerEntry, by, accept: bool, objection: str = "") -> LedgerEntry:
    """The other side (or the association) confirms a manual entry, or objects to it with a reason."""
    entry = LedgerEntry.objects.select_for_update().select_related("helper", "helped").get(pk=entry.pk)
    side = acting_side(by, entry)
    if side is None or (side == entry.recorded_side and side != ASSOCIATION):
        raise PermissionDenied("台账记录需由另一方确认。")
    counted = summary.contribution(entry)
    # The "confirm" or "object" move of LedgerEntry.workflow (an objection needs its reason).
    transition(entry, to=Confirmation.CONFIRMED if accept else Confirmation.REJECTED, by=by, reason=objection,
               action="确认台账" if accept else "对台账提出异议", note=objection,
               set={"confirmed_by": by, "confirmed_at": timezone.now(),
                    "objection": "" if accept else objection.strip()[:300]})
    summary.change(before=counted, after=entry)
    _answered(entry)
    _tell_recorder(entry, by=by)
    return entry


def _tell_recorder(entry: LedgerEntry, *, by) -> None:
    """The person who recorded a manual entry hears whether it was confirmed or objected to."""
    recorder = entry.recorded_by
    if recorder is None or recorder.pk == getattr(by, "pk", None):
        return
    accepted = entry.confirmation == Confirmation.CONFIRMED
    who = by.museum.display_name if getattr(by, "museum_id", None) else "协会"
    summary = _summary(entry)
    notify(
        user=recorder, key=f"ledger-{'confirmed' if accepted else 'objection'}-{entry.pk}", email=not accepted,
        title=f"{who}已确认您登记的帮扶台账" if accepted else f"{who}对您登记的帮扶台账提出异议",
        body=summary if accepted else f"{summary}。异议：{entry.objection}",
        url=reverse("ledger:detail", args=[entry.pk]),
    )


# --- voiding, correcting, withdrawing ----------------------------------------------------------------------


def _locked(entry: LedgerEntry) -> LedgerEntry:
    return LedgerEntry.objects.select_for_update(of=("self",)).select_related("helper", "helped").get(pk=entry.pk)


def _reason(reason: str, *, what: str, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": f"请说明{what}的理由。"})
    return reason[:300]


def _tell_parties(entry: LedgerEntry, *, by, key: str, title: str, body: str) -> None:
    """The admins of both museums and the person who recorded the entry hear of a change made by someone else."""
    people = list(User.objects.filter(museum_id__in=[entry.helper_id, entry.helped_id], role="museum_admin",
                                      is_active=True))
    if entry.recorded_by_id and all(p.pk != entry.recorded_by_id for p in people):
        people += list(User.objects.filter(pk=entry.recorded_by_id))
    for person in people:
        if person.pk != getattr(by, "pk", None):
            notify(user=person, key=key, title=title, body=body, email=True,
                   url=reverse("ledger:detail", args=[entry.pk]))


def may_void(user, entry: LedgerEntry) -> bool:
    return not entry.is_ended and user.has_perm("ledger.void_entry", entry)


def may_correct(user, entry: LedgerEntry) -> bool:
    return not entry.is_ended and user.has_perm("ledger.correct_entry", entry)


def may_withdraw(user, entry: LedgerEntry) -> bool:
    """The side that recorded a manual entry may take it back while it is not confirmed (after an objection, or
    a slip it noticed itself)."""
    waiting = not LedgerEntry.workflow.source_error(entry, to=Confirmation.WITHDRAWN)  # the states it declares
    return waiting and user.has_perm("ledger.withdraw_entry", entry)


def _end(entry: LedgerEntry, *, by, status: str, reason: str, action: str) -> None:
    """Void or withdraw (a move of LedgerEntry.workflow), with who, when and why on the entry and in the log; the
    entry leaves every total of the summary."""
    counted = summary.contribution(entry)
    before = entry.get_confirmation_display()
    reason = (reason or "").strip()[:300]
    transition(entry, to=status, by=by, reason=reason, action=action,
               changes={"状态": [before, Confirmation(status).label]},
               set={"ended_by": by, "ended_at": timezone.now(), "end_reason": reason})
    summary.change(before=counted, after=entry)
    _answered(entry)


@transaction.atomic
def ledger_void(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    """The association voids an entry with a reason: it stays visible (已作废) and leaves every total."""
    entry = _locked(entry)
    require(by, "ledger.void_entry", entry)
    _end(entry, by=by, status=Confirmation.VOID, reason=reason, action="作废台账")
    reason = entry.end_reason
    _tell_parties(entry, by=by, key=f"ledger-void-{entry.pk}", title="协会作废了一条帮扶台账记录",
                  body=f"{_summary(entry)}。理由：{reason}。作废的记录不计入统计。")
    return entry


@transaction.atomic
def ledger_correct(*, entry: LedgerEntry, by, reason: str, **values: Any) -> LedgerEntry:
    """The association corrects an entry (date, area, kind, description, quantities) with a reason; the same
    checks as `ledger_record` apply and the change is audited field by field."""
    entry = _locked(entry)
    require(by, "ledger.correct_entry", entry)
    if entry.is_ended:
        raise ValidationError(f"这条记录{entry.get_confirmation_display()}，不能更正。")
    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"fields that cannot be corrected: {sorted(unknown)}")
    reason = _reason(reason, what="更正")
    pairing = Pairing.objects.filter(pk=entry.pairing_id).first() if entry.pairing_id else None
    errors = _area_and_date_errors(area=values.get("area", entry.area), date=values.get("date", entry.date),
                                   pairing=pairing) | quantity_errors(values)
    if errors:
        raise ValidationError(errors)
    before = snapshot(entry, CORRECTABLE)
    counted = summary.contribution(entry)
    for name, value in values.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry.full_clean()
    changes = diff(before, snapshot(entry, CORRECTABLE))
    if not changes:
        raise ValidationError("没有改动：请修改需要更正的内容。")
    entry.corrected_by, entry.corrected_at, entry.correction_reason = by, timezone.now(), reason
    entry.save()
    summary.change(before=counted, after=entry)  # moves its figures when the date, area or quantities changed
    labels = {f.name: str(f.verbose_name) for f in LedgerEntry._meta.fields}
    audit(actor=by, action="更正台账", obj=entry, note=reason,
          changes={labels[name]: change for name, change in changes.items()})
    _tell_parties(entry, by=by, key=f"ledger-corrected-{entry.pk}-{entry.corrected_at:%Y%m%d%H%M%S%f}",
                  title="协会更正了一条帮扶台账记录", body=f"{_summary(entry)}。理由：{reason}。")
    return entry


@transaction.atomic
def ledger_withdraw(*, entry: LedgerEntry, by, reason: str = "") -> LedgerEntry:
    """The side that recorded a manual entry withdraws it while unconfirmed (typically after an objection): it
    stays visible (已撤回) and never counts; the other side is told."""
    entry = _locked(entry)
    require(by, "ledger.withdraw_entry", entry)
    _end(entry, by=by, status=Confirmation.WITHDRAWN, reason=reason, action="撤回台账")
    reason = entry.end_reason
    recorder, waiting = entry.recording_museum, entry.awaiting_museum
    for user in User.objects.of_museum(waiting).filter(is_active=True) if waiting else ():
        notify(user=user, key=f"ledger-withdrawn-{entry.pk}", title=f"{recorder.display_name}撤回了一条帮扶台账记录",
               body=_summary(entry) + (f"。说明：{reason}" if reason else "。"),
               url=reverse("ledger:detail", args=[entry.pk]))
    return entry


# --- the limits --------------------------------------------------------------------------------------------


@transaction.atomic
def limits_update(*, by, values: Mapping[str, int]) -> QuantityLimits:
    """The association sets the most one entry may record of each quantity."""
    require(by, "ledger.manage_limits")
    unknown = set(values) - set(QUANTITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown limits: {sorted(unknown)}")
    limits = QuantityLimits.objects.select_for_update().filter(pk=1).first() or QuantityLimits(pk=1)
    before = snapshot(limits, QUANTITY_FIELDS)
    for name, value in values.items():
        setattr(limits, name, value)
    limits.updated_by = by
    limits.full_clean()
    limits.save()
    labels = {name: f"{label}上限" for name, label, *_ in QUANTITIES}
    changes = diff(before, snapshot(limits, QUANTITY_FIELDS))
    if changes:
        audit(actor=by, action="修改台账数量上限", obj=limits,
              changes={labels[name]: change for name, change in changes.items()})
    return limits
