"""Pairing operations. The capacity rules hold under concurrency: every write that can add an open pairing locks
both museums' rows first (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers with IMMEDIATE
transactions), then counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.dates import term_errors
from bangfu.core.validation import join_messages
from bangfu.core.workflow import transition
from bangfu.museums.models import Museum
from bangfu.permissions import require
from bangfu.places.geo import great_circle_km

from .models import RULE_LIMITS, Pairing, PairingExclusion, PairingKind, PairingStatus, ProgrammeRules

AUDITED_FIELDS = ["helper", "helped", "kind", "is_primary", "status", "start_date", "end_date", "ended_reason", "note"]


def distance_between(a: Museum, b: Museum) -> float | None:
    if None in (a.lat, a.lng, b.lat, b.lng):
        return None
    return round(great_circle_km(a.lat, a.lng, b.lat, b.lng), 1)


def is_excluded(helper_id: int, helped_id: int) -> bool:
    a, b = sorted((helper_id, helped_id))
    return PairingExclusion.objects.filter(museum_a_id=a, museum_b_id=b).exists()


def _lock_museums(*museums: Museum) -> None:
    """Row locks on the museums, always in id order so two writers cannot deadlock."""
    list(Museum.objects.select_for_update().filter(pk__in=sorted(m.pk for m in museums)).order_by("pk")
         .values_list("pk", flat=True))


def check_capacity(*, helper: Museum, helped: Museum, is_primary: bool, exclude_pk: int | None = None) -> None:
    """The association's rules; call inside the transaction after `_lock_museums`."""
    rules = ProgrammeRules.current()
    open_pairings = Pairing.objects.open().exclude(pk=exclude_pk)
    taken = open_pairings.filter(helper=helper).count()
    if taken >= rules.max_helped_per_helper:
        raise ValidationError(
            f"{helper.name}已有 {taken} 家未结束的结对受援馆，达到上限 {rules.max_helped_per_helper} 家。")
    if is_primary:
        primaries = open_pairings.filter(helped=helped, is_primary=True).count()
        if primaries >= rules.max_primary_helpers_per_helped:
            raise ValidationError(
                f"{helped.name}已有主要帮扶方（上限 {rules.max_primary_helpers_per_helped} 家）。"
                "如需增加帮扶方，请取消“主要帮扶方”。")


def _party_errors(*, helper: Museum, helped: Museum, kind: str) -> dict[str, str]:
    if helper.pk == helped.pk:
        return {NON_FIELD_ERRORS: "帮扶方和受援方不能是同一家博物馆。"}
    errors = {}
    if not helper.is_helper:
        errors["helper"] = f"{helper.name}不是帮扶方（可在名录中由协会调整帮扶角色）。"
    if not helped.is_helped:
        errors["helped"] = f"{helped.name}不是受援方（可在名录中由协会调整帮扶角色）。"
    if kind == PairingKind.HEAD_BRANCH and helped.head_id != helper.pk:
        errors["kind"] = f"{helped.name}不是{helper.name}的分馆，不能按总分馆结对。"
    if is_excluded(helper.pk, helped.pk):
        errors[NON_FIELD_ERRORS] = "协会已设定这两家博物馆不结对。"
    return errors


@transaction.atomic
def pairing_create(
    *, by, helper: Museum, helped: Museum, start_date: datetime.date, end_date: datetime.date,
    kind: str = PairingKind.ONE_TO_ONE, is_primary: bool = True, source: str = "manual", note: str = "",
) -> Pairing:
    """Propose a pairing (the association). Refused, with every reason at once, when the museums cannot pair or the
    term is implausible (core.dates.term_errors); then when it would break the capacity rules."""
    require(by, "pairings.manage_pairings")
    errors = _party_errors(helper=helper, helped=helped, kind=kind) | term_errors(start=start_date, end=end_date)
    if errors:
        raise ValidationError(errors)
    _lock_museums(helper, helped)
    check_capacity(helper=helper, helped=helped, is_primary=is_primary)
    if Pairing.objects.open().filter(helper=helper, helped=helped).exists():
        raise ValidationError("这两家博物馆已有一个未结束的结对。")
    pairing = Pairing(
        helper=helper, helped=helped, kind=kind, is_primary=is_primary, start_date=start_date, end_date=end_date,
        source=source, note=note, created_by=by if getattr(by, "pk", None) else None,
        distance_km=distance_between(helper, helped),
    )
    pairing.full_clean()
    pairing.save()
    audit(actor=by, action="创建结对", obj=pairing, changes=diff({}, snapshot(pairing, AUDITED_FIELDS)))
    return pairing


@transaction.atomic
def pairing_set_status(*, pairing: Pairing, by, status: str, reason: str = "") -> Pairing:
    """Move a pairing along proposed → agreed → active → completed, or end it early with a reason: the moves
    declared on the model (`Pairing.workflow`), made by `core.workflow.transition`."""
    require(by, "pairings.manage_pairings")
    if status not in PairingStatus.values:
        raise ValidationError({"status": "未知的结对状态。"})
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    Pairing.workflow.require_source(pairing, to=status)
    before = snapshot(pairing, AUDITED_FIELDS)
    ended = {}
    if status == PairingStatus.ENDED and reason.strip():
        ended = {"ended_reason": reason.strip(),
                 "end_date": min(pairing.end_date, max(timezone.localdate(), pairing.start_date))}
    for key, value in ended.items():  # for the log's snapshot; the move itself sets them
        setattr(pairing, key, value)
    changes = diff(before, snapshot(pairing, AUDITED_FIELDS) | {"status": status})
    transition(pairing, to=status, by=by, reason=reason, action=f"结对{PairingStatus(status).label}", changes=changes,
               set=ended)
    return pairing


@transaction.atomic
def pairing_update(*, pairing: Pairing, by, data: dict) -> Pairing:
    """Change dates, kind, primary flag or note of an open pairing; the rules are checked again."""
    require(by, "pairings.manage_pairings")
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if not pairing.is_open:
        raise ValidationError("已结束的结对不能修改。")
    before = snapshot(pairing, AUDITED_FIELDS)
    old_start = pairing.start_date
    for key, value in data.items():
        setattr(pairing, key, value)
    errors = _party_errors(helper=pairing.helper, helped=pairing.helped, kind=pairing.kind) if "kind" in data else {}
    if "start_date" in data or "end_date" in data:
        errors |= term_errors(start=pairing.start_date, end=pairing.end_date,
                              check_start=pairing.start_date != old_start)
    if errors:
        raise ValidationError(errors)
    if data.get("is_primary"):
        _lock_museums(pairing.helper, pairing.helped)
        check_capacity(helper=pairing.helper, helped=pairing.helped, is_primary=True, exclude_pk=pairing.pk)
    pairing.full_clean()
    pairing.save()
    changes = diff(before, snapshot(pairing, AUDITED_FIELDS))
    if changes:
        audit(actor=by, action="修改结对", obj=pairing, changes=changes)
    return pairing


@transaction.atomic
def rules_update(*, by, data: dict) -> ProgrammeRules:
    """Change the association's pairing rules; each stays within RULE_LIMITS whoever calls (page, code, shell)."""
    require(by, "pairings.manage_pairings")
    unknown = set(data) - RULE_LIMITS.keys()
    if unknown:
        raise ValidationError(f"没有这些结对规则：{'、'.join(sorted(unknown))}。")
    rules = ProgrammeRules.current()
    fields = list(data)
    before = snapshot(rules, fields)
    for key, value in data.items():
        setattr(rules, key, value)
    if not (rules.distance_weight or rules.fit_weight):
        raise ValidationError({"distance_weight": "距离权重和供需匹配权重不能同时为 0，否则推荐没有依据。"})
    rules.full_clean()
    rules.save()
    audit(actor=by, action="修改结对规则", obj=rules, changes=diff(before, snapshot(rules, fields)))
    return rules


@transaction.atomic
def exclusion_add(*, by, museum_a: Museum, museum_b: Museum, reason: str = "") -> PairingExclusion:
    require(by, "pairings.manage_pairings")
    if museum_a.pk == museum_b.pk:
        raise ValidationError("请选择两家不同的博物馆。")
    a, b = sorted((museum_a, museum_b), key=lambda m: m.pk)
    exclusion, created = PairingExclusion.objects.get_or_create(
        museum_a=a, museum_b=b, defaults={"reason": reason, "created_by": by if getattr(by, "pk", None) else None})
    if created:
        audit(actor=by, action="设定不结对", obj=exclusion, note=reason)
    return exclusion


@transaction.atomic
def exclusion_remove(*, by, exclusion: PairingExclusion) -> None:
    require(by, "pairings.manage_pairings")
    audit(actor=by, action="取消不结对", obj=exclusion)
    exclusion.delete()


@dataclass
class AcceptResult:
    created: list[Pairing] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (which pairing, why)


def suggestions_accept(
    *, by, pairs: list[tuple[int, int]], start_date: datetime.date, end_date: datetime.date,
) -> AcceptResult:
    """Create the accepted suggestions as proposed pairings (source "suggestion").

    Each row is its own transaction through `pairing_create`, so the rules are checked row by row at the moment of
    writing: a row the rules now refuse (someone paired the museum meanwhile, the rules changed) is reported and
    the others are still created."""
    require(by, "pairings.manage_pairings")
    museums = Museum.objects.in_bulk({pk for pair in pairs for pk in pair})
    result = AcceptResult()
    for helper_id, helped_id in pairs:
        helper, helped = museums.get(helper_id), museums.get(helped_id)
        if helper is None or helped is None:
            result.refused.append((f"{helper_id} → {helped_id}", "博物馆不存在（可能已被删除）。"))
            continue
        try:
            pairing = pairing_create(by=by, helper=helper, helped=helped, start_date=start_date, end_date=end_date,
                                     source="suggestion", note="采纳系统推荐")
        except ValidationError as exc:
            result.refused.append((f"{helper.name} → {helped.name}", join_messages(exc.messages)))
        else:
            result.created.append(pairing)
    return result
