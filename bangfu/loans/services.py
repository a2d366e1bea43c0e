"""Writes of a loan: one function per step, the same for the pages, the API, the demo and the tests. Each takes
the acting user (`by`), checks who may act (`require`), enforces the rules of `law.RULES` as the association keeps
them in `LoanRule`, moves the status with `core.workflow.transition` (who, when, why in the loan's timeline) and
tells the other side after commit. Refusals are ValidationError {field: Chinese message naming the rule}.

Who acts (`rules.py`): the lender's staff review the objects, record the experts' review, accept the facility,
dispatch, record the return and close (`loans.lender_act`); the borrower's staff request, confirm the arrival and
withdraw (`loans.borrower_act`); either side records filings, the agreement, insurance and transport and condition
reports (`loans.party_act`). The association acts for no side; it may only cancel a loan (`loans.cancel_loan`), as
the programme's supervisor of the rules.

Periods: a loan's days are its agreed period, start and end included (`Loan.days`). "N months" is calendar months:
a loan of at most 36 months starting 2026-03-15 ends by 2029-03-14 (`add_months(start, N) - 1 day`); the chained
cap of N months is the number of days from the first counted loan's start to the same date N months later."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bangfu.accounts.models import User, system_user
from bangfu.accounts.selectors import museum_staff
from bangfu.core.areas import Area
from bangfu.core.audit import audit, diff
from bangfu.core.dates import add_months, cn_date
from bangfu.core.workdays import latest_day_before, working_days_between
from bangfu.core.workflow import transition
from bangfu.ledger.selectors import default_pairing
from bangfu.ledger.services import ledger_record
from bangfu.museums.models import Ownership
from bangfu.notifications.services import notify
from bangfu.objects.models import UNLENDABLE_CONDITIONS, CollectionObject, Condition, ObjectGrade
from bangfu.parties import acting_side
from bangfu.permissions import require

from . import law
from .models import (
    MAX_INSURED_YUAN,
    OUT_STATUSES,
    PREPARING_STATUSES,
    VOID_STATUSES,
    Authority,
    ConditionCheck,
    Direction,
    ExpertVerdict,
    FilingKind,
    ItemReview,
    Loan,
    LoanFiling,
    LoanItem,
    LoanKind,
    LoanRule,
    LoanStatus,
)
from .rules import BORROWER, LENDER

LEDGER_SOURCE = "loans.loan"
MAX_OBJECTS = 200          # one loan's objects: an exhibition's worth, far beyond a real loan
MAX_LEAD_YEARS = 5         # a loan is asked for at most five years ahead (later dates are typing mistakes)
MAX_REASON = 500
NOT_OFFERED = "所选藏品不存在或未开放借展。"
CONDITION_RANK = {Condition.GOOD: 0, Condition.FAIR: 1, Condition.POOR: 2, Condition.UNDER_TREATMENT: 3}


# --- the rules as the association keeps them -----------------------------------------------------------------


def rules_in_force() -> dict[str, LoanRule]:
    """{code: LoanRule} of every rule of `law.RULES`: the association's row, or (a row deleted or not yet seeded)
    an unsaved one with the law's defaults. One query: a service reads it once per call and passes it on."""
    rows = {rule.code: rule for rule in LoanRule.objects.filter(code__in=law.RULE_CODES)}
    for order, default in enumerate(law.RULES):
        if default.code not in rows:
            rows[default.code] = LoanRule(code=default.code, title=default.title, text=default.text,
                                          source=default.source, value=default.value, unit=default.unit,
                                          enabled=default.enabled, order=order)
    return rows


def _value(rule: LoanRule) -> int:
    """A rule's number, the law's default when the association left it empty."""
    if rule.value is not None:
        return rule.value
    default = next((r.value for r in law.RULES if r.code == rule.code), None)
    return default or 0


def cite(rule: LoanRule) -> str:
    """The rule's source as a message ends with it: （《文物保护法》（2024年修订）第五十六条）."""
    return f"（{rule.source}）" if rule.source else f"（{rule.title}）"


def term_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a term of `months` calendar months from `start` (start + N months − 1 day)."""
    later = add_months(start, months)
    return later if later == datetime.date.max else later - datetime.timedelta(days=1)


def cap_days(first_start: datetime.date, months: int) -> int:
    """The chained cap in days: from the first counted loan's start to the same date `months` months later (36
    months from 2026-01-01 is 1,096 days). A single loan of exactly the maximum term fills it exactly."""
    return (add_months(first_start, months) - first_start).days


def _chain_applies(obj, rules: Mapping[str, LoanRule]) -> bool:
    if not rules["chain_cap"].enabled:
        return False
    return obj.grade == ObjectGrade.FIRST or rules["chain_cap_all_grades"].enabled


def counted_periods(obj, *, exclude: Loan | None = None) -> list[tuple[datetime.date, datetime.date]]:
    """The agreed periods of the object's loans that count (not declined, withdrawn or cancelled, the object not
    dropped from them as unfit)."""
    items = (LoanItem.objects.filter(obj=obj).exclude(loan__status__in=VOID_STATUSES)
             .exclude(review=ItemReview.UNFIT).exclude(expert_verdict=ExpertVerdict.UNFIT))
    if exclude is not None and exclude.pk:
        items = items.exclude(loan=exclude)
    return list(items.values_list("loan__start", "loan__end"))


def object_loan_days(obj) -> int:
    """The days an object has been (or is booked to be) on loan, over every loan that is not void: each loan's
    agreed period, start and end included."""
    return sum((end - start).days + 1 for start, end in counted_periods(obj))


# --- telling the sides ----------------------------------------------------------------------------------------


def side_users(loan: Loan, side: str) -> list[User]:
    return museum_staff(loan.lender_id if side == LENDER else loan.borrower_id)


def loan_url(loan: Loan) -> str:
    try:
        return reverse("loans:detail", args=[loan.pk])
    except NoReverseMatch:  # the pages are not mounted (yet): the API's record
        return f"/api/loans/{loan.pk}"


def _tell(loan: Loan, side: str, *, key: str, title: str, body: str = "") -> None:
    """Notify one side's staff after commit (once per key and user)."""
    def send():
        url = loan_url(loan)
        for user in side_users(loan, side):
            notify(user=user, key=key, title=title, body=body, url=url, email=True)
    transaction.on_commit(send)


def _other(side: str | None) -> list[str]:
    """The sides to tell when `side` acted: the other one, or both when the association acted."""
    if side == LENDER:
        return [BORROWER]
    if side == BORROWER:
        return [LENDER]
    return [LENDER, BORROWER]


def _title(loan: Loan) -> str:
    return f"借展 {loan.lender.display_name} → {loan.borrower.display_name}"


def _announce(loan: Loan, by, *, what: str, body: str = "") -> None:
    side = acting_side(by, loan)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    for other in _other(side):
        _tell(loan, other, key=f"loan-{loan.pk}-{stamp}-{other}", title=f"{_title(loan)}：{what}", body=body)


# --- helpers ---------------------------------------------------------------------------------------------------


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update(of=("self",)).select_related("lender", "borrower").get(pk=loan.pk)


def _in_loan(loan: Loan) -> list[LoanItem]:
    return [i for i in loan.items.select_related("obj").order_by("pk") if i.in_loan]


def _text(value, field: str, *, limit: int, required: str = "") -> str:
    """A stripped text, refused when required and empty or too long (the model validators check control
    characters on save through full_clean)."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: f"不能超过 {limit} 个字。"})
    return text


def _not_future(day: datetime.date | None, field: str, what: str) -> datetime.date:
    if day is None:
        raise ValidationError({field: f"请填写{what}。"})
    if day > timezone.localdate():
        raise ValidationError({field: f"{what}不能晚于今天。"})
    return day


def _clean(obj, fields: Iterable[str]) -> None:
    """The model's own checks of the fields a step writes (lengths, control characters, limits)."""
    fields = set(fields)
    exclude = [f.name for f in obj._meta.fields if f.name not in fields]
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": f"原因不能超过 {MAX_REASON} 个字。"})
    return text


# --- the request and its rules ---------------------------------------------------------------------------------


def period_errors(*, start, end, rules: Mapping[str, LoanRule], today: datetime.date) -> dict[str, str]:
    """What is wrong with a loan's period: order, a start in the past or absurdly far, the maximum term."""
    if start is None or end is None:
        return {"start" if start is None else "end": "请填写借展起止日期。"}
    if start < today:
        return {"start": "借展起始日不能早于今天。"}
    if start > add_months(today, 12 * MAX_LEAD_YEARS):
        return {"start": f"借展起始日不能晚于{MAX_LEAD_YEARS}年之后（请检查年份）。"}
    if end < start:
        return {"end": "借展截止日不能早于起始日。"}
    rule = rules["max_term"]
    months = _value(rule)
    if rule.enabled and end > term_end(start, months):
        return {"end": f"借展期限不得超过{months}个月，本次最晚至{cn_date(term_end(start, months))}{cite(rule)}。"}
    return {}


def lendability_errors(obj, *, rules: Mapping[str, LoanRule]) -> list[str]:
    """Why the object as it is now may not be lent at all, whatever the period: no collection record (Art. 58),
    poor condition / under treatment / fragile (notice). Checked at the request, again when the lender finishes
    the review (an object fit then must still be lendable) and at dispatch."""
    name = str(obj)
    errors = []
    record = rules["record_required"]
    if record.enabled and not obj.has_record:
        errors.append(f"{name}未建立藏品档案，不得出借{cite(record)}。")
    condition = rules["condition"]
    if condition.enabled:
        if obj.condition in UNLENDABLE_CONDITIONS:
            errors.append(f"{name}保存状态为“{obj.get_condition_display()}”，不得出借{cite(condition)}。")
        if obj.fragile:
            errors.append(f"{name}运输易损，不得出借{cite(condition)}。")
    return errors


def object_errors(obj, *, lender, start, end, rules: Mapping[str, LoanRule], loan: Loan | None = None) -> list[str]:
    """Why one object may not be lent for this period (each message names the rule and its source)."""
    name = str(obj)
    if obj.museum_id != lender.pk:
        return [f"{name}不是出借方的藏品。"]
    if not (obj.offered and obj.is_active):
        return [f"{name}未开放借展。"]
    errors = lendability_errors(obj, rules=rules)
    if start is None or end is None or end < start:
        return errors
    periods = counted_periods(obj, exclude=loan)
    overlapping = [p for p in periods if p[0] <= end and start <= p[1]]
    if overlapping:
        first = min(overlapping)
        errors.append(f"{name}在{cn_date(first[0])}至{cn_date(first[1])}已有借展，与本次期限重叠。")
    chain = rules["chain_cap"]
    if _chain_applies(obj, rules):
        months = _value(chain)
        first_start = min([start, *(p[0] for p in periods)])
        limit = cap_days(first_start, months)
        used = sum((e - s).days + 1 for s, e in periods)
        days = (end - start).days + 1
        if used + days > limit:
            errors.append(f"{name}累计借展期限不得超过{months}个月（{limit}天）：已计入{used}天，本次{days}天"
                          f"{cite(chain)}。")
    return errors


def _kind_errors(*, kind: str, lender, borrower, rules: Mapping[str, LoanRule]) -> dict[str, str]:
    if kind not in LoanKind.values:
        return {"kind": "借展方式只能是借用（loan）或交换（exchange）。"}
    rule = rules["exchange_approval"]
    if kind == LoanKind.EXCHANGE and rule.enabled and (
            lender.ownership != Ownership.STATE or borrower.ownership != Ownership.STATE):
        return {"kind": f"交换馆藏文物仅限国有文物收藏单位之间{cite(rule)}。"}
    return {}


@transaction.atomic
def loan_request(*, by, lender, objects: Iterable, purpose: str, venue: str, start: datetime.date,
                 end: datetime.date, opening: datetime.date | None = None, kind: str = "loan",
                 exhibition_title: str = "", today: datetime.date | None = None) -> Loan:
    """The borrower's staff (`by`) ask `lender` for `objects` (CollectionObjects the lender offers). Refused: an
    object not among the lender's offered, active ones (one message naming nothing: `NOT_OFFERED`), without a
    collection record (Art. 58), in poor condition / fragile / under treatment (notice), a period over the term
    (Art. 56), a 一级文物 whose loans would add up to more than the chained cap (notice; every loan not
    declined/withdrawn/cancelled counts), start after end, no objects.
    Every refusal comes at once, by field (`lender`, `objects`, `start`, `end`, `opening`, `kind`, texts).
    `today` is for the demo and tests (default: today)."""
    require(by, "loans.request_loan")
    borrower = by.museum
    today = today or timezone.localdate()
    rules = rules_in_force()
    errors: dict[str, list[str] | str] = {}
    if lender is None:
        raise ValidationError({"lender": "请选择出借方。"})
    if lender.pk == borrower.pk:
        raise ValidationError({"lender": "出借方必须是其他博物馆。"})
    if not getattr(lender, "is_active", True):
        errors["lender"] = "出借方已停用。"
    errors |= _kind_errors(kind=kind, lender=lender, borrower=borrower, rules=rules)
    errors |= period_errors(start=start, end=end, rules=rules, today=today)
    if opening is not None and start and end and not (start <= opening <= end):
        errors["opening"] = "开展日期应在借展期限之内。"
    ids = []
    for obj in objects or ():
        pk = getattr(obj, "pk", obj)
        if pk not in ids:
            ids.append(pk)
    if not ids:
        errors["objects"] = "请至少选择一件藏品。"
    elif len(ids) > MAX_OBJECTS:
        errors["objects"] = f"一次借展最多 {MAX_OBJECTS} 件藏品。"
    else:
        # Locked: two requests for one object queue here, so the chained cap holds under concurrency.
        # Only the lender's offered objects are looked up: any other id (another museum's, unoffered, unknown)
        # gets one message naming nothing, so a request cannot reveal what a museum does not offer.
        found = {o.pk: o for o in CollectionObject.objects.offered().filter(museum=lender)
                 .select_for_update().filter(pk__in=[pk for pk in ids if isinstance(pk, int)])}
        messages = [] if len(found) == len(ids) else [NOT_OFFERED]
        good_period = not ({"start", "end"} & set(errors))
        for pk in ids:
            if pk in found:
                messages += object_errors(found[pk], lender=lender, start=start if good_period else None,
                                          end=end, rules=rules)
        if messages:
            errors["objects"] = messages
    loan = Loan(kind=kind, lender=lender, borrower=borrower, purpose=(purpose or "").strip(),
                venue=(venue or "").strip(), start=start, end=end, opening=opening,
                exhibition_title=(exhibition_title or "").strip(), requested_by=by)
    try:
        _clean(loan, ["purpose", "venue", "exhibition_title"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    loan.save()
    LoanItem.objects.bulk_create([LoanItem(loan=loan, obj=found[pk]) for pk in ids])
    audit(actor=by, action="申请借展", obj=loan, note=f"{len(ids)} 件藏品，{start}—{end}")
    _tell(loan, LENDER, key=f"loan-{loan.pk}-requested", title=f"{borrower.display_name}申请借展本馆藏品",
          body=f"{len(ids)} 件藏品，{cn_date(start)}至{cn_date(end)}，{loan.venue}")
    return loan


def rule_warnings(loan: Loan, *, today: datetime.date | None = None) -> list[str]:
    """What the rules say without refusing: fewer than `filing_lead_days` working days left to file before the
    opening (博物馆条例 Art. 31, Chinese working days with the year's holidays and make-up days), the objects still
    away after the agreed end. No lead warning for an opening more than `MAX_LEAD_YEARS` ahead."""
    today = today or timezone.localdate()
    rules = rules_in_force()
    warnings = []
    lead = rules["filing_lead_days"]
    opening = loan.opening_date
    # An opening more than MAX_LEAD_YEARS ahead is far beyond any filing lead (and counting working days to it
    # would take a while): no warning.
    if (lead.enabled and loan.status in (*PREPARING_STATUSES, LoanStatus.DISPATCHED) and opening is not None
            and opening <= add_months(today, 12 * MAX_LEAD_YEARS)):
        days = _value(lead)
        left = working_days_between(today, opening)
        if left < days:
            last = latest_day_before(opening, days)
            if opening <= today:
                warnings.append(f"开展日期（{cn_date(opening)}）已到，展览应在开展前{days}个工作日报主管部门备案"
                                f"{cite(lead)}。")
            else:
                warnings.append(f"距开展（{cn_date(opening)}）仅剩{left}个工作日，不足{days}个工作日：展览应最迟于"
                                f"{cn_date(last)}报主管部门备案，请尽快办理{cite(lead)}。")
    if loan.status in OUT_STATUSES and loan.end < today:
        warnings.append(f"借展已于{cn_date(loan.end)}到期，藏品尚未全部归还（逾期{(today - loan.end).days}天）。")
    return warnings


# --- the lender's reviews --------------------------------------------------------------------------------------


@transaction.atomic
def loan_review_item(*, item: LoanItem, by, fit: bool, note: str = "") -> LoanItem:
    """The lender judges one object fit or unfit (an unfit one needs a note; it is dropped from the loan)."""
    loan = _locked(item.loan)
    require(by, "loans.lender_act", loan)
    if loan.status != LoanStatus.REQUESTED:
        raise ValidationError(f"借展当前为“{loan.get_status_display()}”，藏品审查已结束。")
    note = _text(note, "note", limit=300, required="" if fit else "不宜出借必须说明原因。")
    item = LoanItem.objects.select_for_update().select_related("obj").get(pk=item.pk, loan=loan)
    if fit:
        errors = lendability_errors(item.obj, rules=rules_in_force())
        if errors:
            raise ValidationError({"fit": [*errors, "请判为不宜出借并说明原因。"]})
    item.review = ItemReview.FIT if fit else ItemReview.UNFIT
    item.review_note = note
    _clean(item, ["review_note"])
    item.save(update_fields=["review", "review_note"])
    audit(actor=by, action="审查藏品", obj=loan,
          note=f"{item.obj}：{item.get_review_display()}{'，' + note if note else ''}")
    return item


@transaction.atomic
def loan_finish_review(*, loan: Loan, by, send_to_experts: Iterable[int] = ()) -> Loan:
    """The lender finishes the object review: every object judged, at least one fit, every fit one still lendable
    as it is now (`lendability_errors`: refused naming the object and the rule, to be judged unfit); on to the
    expert review when a fit object needs one (一级文物 by its current grade, `expert_review_grade1`), else to
    the facility review. `send_to_experts`: ids
    of other fit items the lender also wants the experts to judge."""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.FACILITY_REVIEW, name="to_facility")
    items = list(loan.items.select_related("obj"))
    if any(i.review == ItemReview.PENDING for i in items):
        raise ValidationError("还有藏品未审查：请逐件判断是否适宜出借。")
    fit = [i for i in items if i.review == ItemReview.FIT]
    if not fit:
        raise ValidationError("没有适宜出借的藏品：请拒绝出借并说明原因。")
    rules = rules_in_force()
    # The objects as they are now (their record, condition or grade may have changed since the request).
    unlendable = [e for i in fit for e in lendability_errors(i.obj, rules=rules)]
    if unlendable:
        raise ValidationError([*unlendable, "请将这些藏品判为不宜出借后再完成审查。"])
    rule = rules["expert_review_grade1"]
    extra = {int(x) for x in send_to_experts}
    experts = [i for i in fit if (rule.enabled and i.obj.grade == ObjectGrade.FIRST) or i.pk in extra]
    if experts:
        LoanItem.objects.filter(pk__in=[i.pk for i in experts]).update(expert_verdict=ExpertVerdict.PENDING)
        transition(loan, to=LoanStatus.EXPERT_REVIEW, by=by, name="to_expert",
                   note=f"{len(fit)} 件适宜出借，{len(experts)} 件送专家评估{cite(rule) if rule.enabled else ''}")
        _announce(loan, by, what="藏品审查完成，送专家评估")
    else:
        transition(loan, to=LoanStatus.FACILITY_REVIEW, by=by, name="to_facility", note=f"{len(fit)} 件适宜出借")
        _announce(loan, by, what="藏品审查完成，进入场馆评估")
    return loan


@transaction.atomic
def loan_expert_review(*, loan: Loan, by, experts: str, date: datetime.date, opinion: str,
                       verdicts: Mapping[int, tuple[bool, str]]) -> Loan:
    """The lender records the experts' review: names, date, opinion and a verdict per object under review
    ({item id: (fit, note)}); objects found unfit are dropped; at least one object must remain."""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.FACILITY_REVIEW, name="expert_done")
    experts = _text(experts, "experts", limit=200, required="请填写评估专家。")
    opinion = _text(opinion, "opinion", limit=5000, required="请填写专家评估意见。")
    date = _not_future(date, "date", "专家评估日期")
    pending = {i.pk: i for i in loan.items.select_related("obj").filter(expert_verdict=ExpertVerdict.PENDING)}
    given = {int(k): v for k, v in (verdicts or {}).items()}
    unknown = set(given) - set(pending)
    if unknown:
        raise ValidationError({"verdicts": "只能对送专家评估的藏品给出意见。"})
    missing = [str(i.obj) for pk, i in pending.items() if pk not in given]
    if missing:
        raise ValidationError({"verdicts": f"请给出每件送评藏品的评估意见：{'、'.join(missing)}。"})
    for pk, (fit, note) in given.items():
        item = pending[pk]
        note = _text(note, "verdicts", limit=300, required="" if fit else f"{item.obj}不宜展陈运输必须说明原因。")
        item.expert_verdict = ExpertVerdict.FIT if fit else ExpertVerdict.UNFIT
        item.expert_note = note
        _clean(item, ["expert_note"])
    others_fit = loan.items.filter(review=ItemReview.FIT).exclude(pk__in=list(pending)).exists()
    if not others_fit and not any(i.expert_verdict == ExpertVerdict.FIT for i in pending.values()):
        raise ValidationError({"verdicts": "专家认为所有藏品都不宜出借：请拒绝出借并说明原因。"})
    for item in pending.values():
        item.save(update_fields=["expert_verdict", "expert_note"])
    loan.expert_names, loan.expert_date, loan.expert_opinion = experts, date, opinion
    _clean(loan, ["expert_names", "expert_opinion"])
    dropped = [str(i.obj) for i in pending.values() if i.expert_verdict == ExpertVerdict.UNFIT]
    transition(loan, to=LoanStatus.FACILITY_REVIEW, by=by, name="expert_done",
               set={"expert_names": experts, "expert_date": date, "expert_opinion": opinion},
               note=f"专家：{experts}" + (f"；不宜出借：{'、'.join(dropped)}" if dropped else ""))
    _announce(loan, by, what="专家评估完成", body=opinion[:200])
    return loan


@transaction.atomic
def loan_facility_review(*, loan: Loan, by, security: str, fire: str, climate: str, note: str) -> Loan:
    """The lender accepts the borrower's facility (security, fire, climate) → filing; straight on to the agreement
    when the rules require no filing at all. (To refuse: loan_decline.)"""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.FILING, name="facility_done")
    values = {
        "facility_security": _text(security, "security", limit=5000, required="请填写安防条件。"),
        "facility_fire": _text(fire, "fire", limit=5000, required="请填写消防条件。"),
        "facility_climate": _text(climate, "climate", limit=5000, required="请填写温湿度与光照条件。"),
        "facility_note": _text(note, "note", limit=5000, required="请填写场馆评估结论。"),
    }
    for field, value in values.items():
        setattr(loan, field, value)
    try:
        _clean(loan, values)
    except ValidationError as exc:
        raise ValidationError({field.removeprefix("facility_"): m for field, m in exc.message_dict.items()}) from None
    transition(loan, to=LoanStatus.FILING, by=by, name="facility_done", set=values, note=values["facility_note"])
    if not required_filings(loan):
        why = ("出借方为非国有文物收藏单位，无需法定备案或审批" if loan.lender.ownership != Ownership.STATE
               else "按现行规则无需备案或审批")
        transition(loan, to=LoanStatus.AGREEMENT, by=by, name="filed", note=why)
    _announce(loan, by, what="场馆评估通过，请办理备案审批")
    return loan


# --- filings ------------------------------------------------------------------------------------------------------


def _filing(authority: str, kind: str, rule: LoanRule, done: Mapping) -> dict:
    name = Authority(authority).label
    return {"authority": authority, "name": name, "kind": kind, "label": f"报{name}{FilingKind(kind).label}",
            "rule": rule.code, "source": rule.source, "done": done.get((authority, kind))}


def required_filings(loan: Loan, *, rules: Mapping[str, LoanRule] | None = None) -> list[dict]:
    """The filings and approvals the loan needs, from the rules: [{"authority": "competent"|"provincial"|
    "national", "name": "主管部门"|"省级文物行政部门"|"国家文物局", "kind": "filing"|"approval", "label":
    "报主管部门备案", "rule": code, "source": citation, "done": LoanFiling | None}].

    Arts. 56 and 57 concern state-owned collections (国有馆藏文物): a non-state lender's loan needs no statutory
    filing or approval ([]; the loan page and the rules page say so). Otherwise: an exchange, provincial approval
    and national filing (Art. 57; with `exchange_approval` switched off, the ordinary Art. 56 filing of a loan
    below). A loan to a state-owned borrower: filing with the competent authority, and with 国家文物局 when a
    一级文物 is among the objects still in the loan (Art. 56); a non-state borrower: approval instead, by both when
    a 一级文物 is included (Art. 56)."""
    if loan.lender.ownership != Ownership.STATE:
        return []
    rules = rules or rules_in_force()
    done = {(f.authority, f.kind): f for f in loan.filings.all()}
    items = [i for i in loan.items.all() if i.in_loan]
    grade1 = any(i.obj.grade == ObjectGrade.FIRST for i in items) if items else False
    result = []
    if loan.kind == LoanKind.EXCHANGE and rules["exchange_approval"].enabled:
        rule = rules["exchange_approval"]
        result += [_filing(Authority.PROVINCIAL, FilingKind.APPROVAL, rule, done),
                   _filing(Authority.NATIONAL, FilingKind.FILING, rule, done)]
    elif loan.borrower.ownership == Ownership.STATE:
        if rules["competent_filing"].enabled:
            result.append(_filing(Authority.COMPETENT, FilingKind.FILING, rules["competent_filing"], done))
        if grade1 and rules["national_filing_grade1"].enabled:
            result.append(_filing(Authority.NATIONAL, FilingKind.FILING, rules["national_filing_grade1"], done))
    elif rules["private_approval"].enabled:
        result.append(_filing(Authority.COMPETENT, FilingKind.APPROVAL, rules["private_approval"], done))
        if grade1:
            result.append(_filing(Authority.NATIONAL, FilingKind.APPROVAL, rules["private_approval"], done))
    return result


@transaction.atomic
def loan_record_filing(*, loan: Loan, by, authority: str, kind: str, document_number: str, date: datetime.date,
                       authority_name: str = "") -> LoanFiling:
    """Either side records one filing or approval (document number, date); when every required one is recorded
    the loan moves on to the agreement."""
    loan = _locked(loan)
    require(by, "loans.party_act", loan)
    if loan.status != LoanStatus.FILING:
        raise ValidationError(f"借展当前为“{loan.get_status_display()}”，不能登记备案审批。")
    needed = required_filings(loan)
    wanted = next((f for f in needed if f["authority"] == authority and f["kind"] == kind), None)
    if wanted is None:
        listed = "、".join(f["label"] for f in needed) or "无"
        raise ValidationError({"authority": f"本借展无需此项备案审批；需要的是：{listed}。"})
    if wanted["done"] is not None:
        raise ValidationError({"authority": f"{wanted['label']}已经登记（文号 {wanted['done'].document_number}）。"})
    filing = LoanFiling(loan=loan, authority=authority, kind=kind, recorded_by=by,
                        authority_name=(authority_name or "").strip(),
                        document_number=_text(document_number, "document_number", limit=60, required="请填写文号。"),
                        date=_not_future(date, "date", "备案审批日期"))
    _clean(filing, ["authority_name", "document_number"])
    filing.save()
    audit(actor=by, action="登记备案审批", obj=loan, note=f"{wanted['label']}：{filing.document_number}")
    if all(f["done"] is not None or f is wanted for f in needed):
        transition(loan, to=LoanStatus.AGREEMENT, by=by, name="filed", note="备案审批已全部登记")
        _announce(loan, by, what="备案审批完成，请签订借展协议")
    else:
        _announce(loan, by, what=f"已登记{wanted['label']}")
    return filing


# --- agreement, transport, condition reports -------------------------------------------------------------------


@transaction.atomic
def loan_sign(*, loan: Loan, by, number: str, signed_on: datetime.date) -> Loan:
    """Either side records the signed agreement → insurance and transport."""
    loan = _locked(loan)
    require(by, "loans.party_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.TRANSPORT, name="sign")
    number = _text(number, "number", limit=60, required="请填写协议编号。")
    signed_on = _not_future(signed_on, "signed_on", "协议签订日期")
    loan.agreement_number = number
    try:
        _clean(loan, ["agreement_number"])
    except ValidationError as exc:
        raise ValidationError({"number": exc.message_dict["agreement_number"]}) from None
    transition(loan, to=LoanStatus.TRANSPORT, by=by, name="sign",
               set={"agreement_number": number, "agreement_signed_on": signed_on}, note=f"协议编号 {number}")
    _announce(loan, by, what="借展协议已签订，请安排保险运输")
    return loan


@transaction.atomic
def loan_set_transport(*, loan: Loan, by, insurer: str, policy_number: str, insured_amount: Decimal | None,
                       courier: str, crates: int | None, note: str = "") -> Loan:
    """Either side records insurance and transport (editable until dispatch)."""
    loan = _locked(loan)
    require(by, "loans.party_act", loan)
    if loan.status != LoanStatus.TRANSPORT:
        raise ValidationError(f"借展当前为“{loan.get_status_display()}”：签订协议后、发运前才能登记保险运输。")
    if insured_amount is not None:
        try:
            insured_amount = Decimal(str(insured_amount))
        except (InvalidOperation, ValueError):
            raise ValidationError({"insured_amount": "保险金额必须是数字。"}) from None
        if not insured_amount.is_finite() or insured_amount < 0 or insured_amount > MAX_INSURED_YUAN:
            raise ValidationError({"insured_amount": f"保险金额应在 0 到 {MAX_INSURED_YUAN:,} 元之间。"})
        insured_amount = insured_amount.quantize(Decimal("0.01"))
    if crates is not None and not (0 <= int(crates) <= 10_000):
        raise ValidationError({"crates": "包装箱数应在 0 到 10000 之间。"})
    values = {"insurer": _text(insurer, "insurer", limit=100), "policy_number": _text(policy_number, "policy_number",
                                                                                    limit=60),
              "insured_amount": insured_amount, "courier": _text(courier, "courier", limit=100), "crates": crates,
              "transport_note": _text(note, "note", limit=5000)}
    for field, value in values.items():
        setattr(loan, field, value)
    try:
        _clean(loan, values)
    except ValidationError as exc:
        raise ValidationError({("note" if f == "transport_note" else f): m
                               for f, m in exc.message_dict.items()}) from None
    loan.save(update_fields=[*values, "updated_at"])
    audit(actor=by, action="登记保险运输", obj=loan,
          note=f"保险公司 {values['insurer'] or '—'}，保单 {values['policy_number'] or '—'}，"
               f"承运 {values['courier'] or '—'}")
    _announce(loan, by, what="保险运输信息已更新")
    return loan


def insurance_shortfall(loan: Loan) -> Decimal | None:
    """How much the insured amount falls short of the objects' insurance values (None when it does not)."""
    if loan.insured_amount is None:
        return None
    total = sum((i.obj.insurance_value or Decimal(0)) for i in _in_loan(loan))
    return total - loan.insured_amount if total > loan.insured_amount else None


def shortfall_warning(loan: Loan) -> str | None:
    """The warning of an insured amount below the objects' insurance values, while insurance may still be changed
    (before dispatch); shown in the transport step and in the API's `warnings`. Not a refusal: the sides agree
    the cover."""
    if loan.status != LoanStatus.TRANSPORT:
        return None
    short = insurance_shortfall(loan)
    if short is None:
        return None
    return (f"保险金额（{loan.insured_amount:,.2f} 元）低于借展藏品的保险估值合计，相差 {short:,.2f} 元："
            f"请核对保单是否足额投保。")


def _museum_side(loan: Loan, user) -> str | None:
    """The side of the loan whose museum `user` works at (None: the association, a supervisor, an outsider)."""
    museum_id = getattr(user, "museum_id", None)
    if museum_id is None:
        return None
    return LENDER if museum_id == loan.lender_id else BORROWER if museum_id == loan.borrower_id else None


SIDE_NAMES = {LENDER: "出借方", BORROWER: "借入方"}


def may_correct_check(check: ConditionCheck, by) -> bool:
    """Whether `by` may correct a recorded condition report: only the side that recorded it (the other side, the
    association or a supervisor may not overwrite it)."""
    loan = check.item.loan
    side = _museum_side(loan, check.recorded_by)
    return side is not None and side == _museum_side(loan, by) and by.has_perm("loans.party_act", loan)


@transaction.atomic
def loan_condition_check(*, item: LoanItem, by, direction: str, condition: str, checked_on: datetime.date,
                         examiner: str, notes: str = "", new_damage: bool = False) -> ConditionCheck:
    """An outgoing (before dispatch, the loan in transport) or incoming (the object away and not yet returned)
    condition report of one object still in the loan. One report per object and direction: recorded again, it
    is a correction, allowed only to the side that recorded it (the other side's second report is refused: a
    report the two sides disagree on is settled between them, not overwritten) until the step it prepares is
    taken; the correction is audited with what changed. An incoming one that differs from the outgoing one (a
    worse condition, new damage) is flagged `differs` and the lender told; once flagged it stays flagged (a
    correction never clears it). Photos are attachments of the check (`core.attachments`)."""
    loan = _locked(item.loan)
    require(by, "loans.party_act", loan)
    item = LoanItem.objects.select_for_update().select_related("obj").get(pk=item.pk, loan=loan)
    if not item.in_loan:
        raise ValidationError({"item_id": f"{item.obj}已不在本次借展中。"})
    if direction == Direction.OUTGOING:
        if loan.status != LoanStatus.TRANSPORT:
            raise ValidationError({"direction": "出馆点交只能在发运前（保险运输阶段）登记。"})
    elif direction == Direction.INCOMING:
        if loan.status not in (LoanStatus.ON_LOAN, LoanStatus.RETURNING) or item.returned_on is not None:
            raise ValidationError({"direction": "归还点交只能在藏品借出、尚未归还时登记。"})
    else:
        raise ValidationError({"direction": "点交方向只能是出馆（outgoing）或归还（incoming）。"})
    if condition not in Condition.values:
        raise ValidationError({"condition": "请选择保存状态。"})
    existing = item.checks.select_related("recorded_by").filter(direction=direction).first()
    if existing is not None:
        existing.item = item
        item.loan = loan
        if not may_correct_check(existing, by):
            recorder = SIDE_NAMES.get(_museum_side(loan, existing.recorded_by), "另一方")
            raise ValidationError({"direction": f"该件藏品的{Direction(direction).label}记录已登记（{recorder}"
                                                f"登记），只能由登记的一方更正；如有异议请与对方协商。"})
    outgoing = item.checks.filter(direction=Direction.OUTGOING).first()
    differs = False
    if direction == Direction.INCOMING:
        worse = outgoing is not None and CONDITION_RANK[condition] > CONDITION_RANK[outgoing.condition]
        differs = bool(new_damage) or worse
    was_flagged = existing is not None and existing.differs
    before = None if existing is None else {
        "保存状态": existing.get_condition_display(), "新增损伤": existing.new_damage,
        "点交日期": str(existing.checked_on), "点交人": existing.examiner, "状况描述": existing.notes}
    check = existing or ConditionCheck(item=item, direction=direction)
    check.condition, check.new_damage, check.differs = condition, bool(new_damage), differs or was_flagged
    check.checked_on = _not_future(checked_on, "checked_on", "点交日期")
    check.examiner = _text(examiner, "examiner", limit=60, required="请填写点交人。")
    check.notes = _text(notes, "notes", limit=5000)
    check.recorded_by = by
    _clean(check, ["notes", "examiner"])
    check.save()
    summary = f"{item.obj}：{check.get_condition_display()}" + ("，与出馆时不一致" if check.differs else "")
    if before is None:
        audit(actor=by, action=f"{check.get_direction_display()}记录", obj=loan, note=summary)
    else:
        audit(actor=by, action=f"更正{check.get_direction_display()}记录", obj=loan, note=summary,
              changes=diff(before, {"保存状态": check.get_condition_display(), "新增损伤": check.new_damage,
                                    "点交日期": str(check.checked_on), "点交人": check.examiner,
                                    "状况描述": check.notes}))
    if differs and not was_flagged:
        _tell(loan, LENDER, key=f"loan-{loan.pk}-differs-{check.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
              title=f"{_title(loan)}：{item.obj}归还时状况与出馆时不一致",
              body=f"出馆时：{outgoing.get_condition_display() if outgoing else '未记录'}；归还时："
                   f"{check.get_condition_display()}{'，发现新增损伤' if new_damage else ''}。{check.notes[:150]}")
    return check


# --- the objects travel ---------------------------------------------------------------------------------------


@transaction.atomic
def loan_dispatch(*, loan: Loan, by, date: datetime.date) -> Loan:
    """The lender dispatches: insurance and transport recorded, an outgoing report for every object in the loan,
    none of them found poor / under treatment at the outgoing report nor now unlendable (`lendability_errors`),
    each refusal naming the object and the rule."""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.DISPATCHED, name="dispatch")
    date = _not_future(date, "date", "发运日期")
    if not (loan.insurer and loan.policy_number and loan.courier):
        raise ValidationError("发运前请登记保险公司、保单号和承运单位。")
    items = _in_loan(loan)
    outgoing = {c.item_id: c for c in ConditionCheck.objects.filter(item__in=items, direction=Direction.OUTGOING)}
    missing = [str(i.obj) for i in items if i.pk not in outgoing]
    if missing:
        raise ValidationError(f"发运前请为每件藏品登记出馆点交记录：{'、'.join(missing)}。")
    rules = rules_in_force()
    condition = rules["condition"]
    refused = []
    for item in items:
        report = outgoing[item.pk]
        if condition.enabled and report.condition in UNLENDABLE_CONDITIONS:
            refused.append(f"{item.obj}出馆点交时保存状态为“{report.get_condition_display()}”，不得出借"
                           f"{cite(condition)}。")
        refused += lendability_errors(item.obj, rules=rules)
    if refused:
        raise ValidationError([*dict.fromkeys(refused), "请取消借展，或与借入方商定后另行申请。"])
    transition(loan, to=LoanStatus.DISPATCHED, by=by, name="dispatch", set={"dispatched_on": date},
               note=f"{len(items)} 件藏品")
    _announce(loan, by, what=f"藏品已于{cn_date(date)}发运，到达后请确认接收")
    return loan


@transaction.atomic
def loan_receive(*, loan: Loan, by, date: datetime.date) -> Loan:
    """The borrower confirms the objects arrived → on loan."""
    loan = _locked(loan)
    require(by, "loans.borrower_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.ON_LOAN, name="receive")
    date = _not_future(date, "date", "接收日期")
    if loan.dispatched_on and date < loan.dispatched_on:
        raise ValidationError({"date": "接收日期不能早于发运日期。"})
    transition(loan, to=LoanStatus.ON_LOAN, by=by, name="receive", set={"received_on": date})
    _announce(loan, by, what=f"藏品已于{cn_date(date)}到达借入方")
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, by, items: Iterable[LoanItem] | None = None, date: datetime.date) -> Loan:
    """The lender records objects back (all still away when `items` is None), each with its incoming report →
    returning, or returned when none is left away."""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.RETURNED, name="return_all")
    date = _not_future(date, "date", "归还日期")
    if loan.received_on and date < loan.received_on:
        raise ValidationError({"date": "归还日期不能早于接收日期。"})
    away = {i.pk: i for i in _in_loan(loan) if i.returned_on is None}
    if items is None:
        chosen = list(away.values())
    else:
        ids = {getattr(i, "pk", i) for i in items}
        if not ids:
            raise ValidationError({"item_ids": "请选择归还的藏品。"})
        if ids - set(away):
            raise ValidationError({"item_ids": "只能归还本次借展中尚未归还的藏品。"})
        chosen = [away[pk] for pk in sorted(ids)]
    checked = set(ConditionCheck.objects.filter(item__in=chosen, direction=Direction.INCOMING)
                  .values_list("item_id", flat=True))
    missing = [str(i.obj) for i in chosen if i.pk not in checked]
    if missing:
        raise ValidationError({"item_ids": f"归还前请为每件藏品登记归还点交记录：{'、'.join(missing)}。"})
    LoanItem.objects.filter(pk__in=[i.pk for i in chosen]).update(returned_on=date)
    names = "、".join(str(i.obj) for i in chosen)
    if len(chosen) == len(away):
        transition(loan, to=LoanStatus.RETURNED, by=by, name="return_all", set={"returned_on": date},
                   note=f"归还：{names}"[:500])
        _announce(loan, by, what="藏品已全部归还")
    elif loan.status == LoanStatus.ON_LOAN:
        transition(loan, to=LoanStatus.RETURNING, by=by, name="return_part", note=f"归还：{names}"[:500])
        _announce(loan, by, what=f"部分藏品已归还：{names}"[:150])
    else:
        audit(actor=by, action="部分归还", obj=loan, note=f"归还：{names}"[:500])
        _announce(loan, by, what=f"部分藏品已归还：{names}"[:150])
    return loan


@transaction.atomic
def loan_close(*, loan: Loan, by) -> Loan:
    """The lender closes a returned loan: one ledger entry (source `loans.loan`: the objects lent, the lender
    helped the borrower in exhibitions, kind 借展 or 文物交换, in the two museums' open pairing if they have one)."""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    Loan.workflow.require_source(loan, to=LoanStatus.CLOSED, name="close")
    today = timezone.localdate()
    transition(loan, to=LoanStatus.CLOSED, by=by, name="close", set={"closed_on": today})
    items = _in_loan(loan)
    pairing = default_pairing(helper=loan.lender, helped=loan.borrower)
    if pairing is not None and pairing.start_date > today:
        pairing = None
    writer = by if acting_side(by, {"helper": loan.lender, "helped": loan.borrower}) else system_user()
    title = f"《{loan.exhibition_title}》" if loan.exhibition_title else loan.venue
    ledger_record(by=writer, helper=loan.lender, helped=loan.borrower, pairing=pairing, area=Area.LOAN,
                  kind="文物交换" if loan.kind == LoanKind.EXCHANGE else "借展", date=today,
                  description=f"借展{title}：{len(items)} 件藏品，{cn_date(loan.start)}至{cn_date(loan.end)}"[:1000],
                  source_type=LEDGER_SOURCE, source_id=loan.pk, source_label=f"借展 {loan.pk}",
                  object_count=len(items))
    _announce(loan, by, what="借展已结束并记入帮扶台账")
    return loan


# --- ending early ------------------------------------------------------------------------------------------------


@transaction.atomic
def loan_decline(*, loan: Loan, by, reason: str) -> Loan:
    """The lender refuses the loan (before the filing is done), with a reason."""
    loan = _locked(loan)
    require(by, "loans.lender_act", loan)
    reason = _reason(reason)
    transition(loan, to=LoanStatus.DECLINED, by=by, name="decline", reason=reason)
    _announce(loan, by, what="出借方拒绝出借", body=reason[:200])
    return loan


@transaction.atomic
def loan_withdraw(*, loan: Loan, by, reason: str) -> Loan:
    """The borrower withdraws the request before the objects leave, with a reason."""
    loan = _locked(loan)
    require(by, "loans.borrower_act", loan)
    reason = _reason(reason)
    transition(loan, to=LoanStatus.WITHDRAWN, by=by, name="withdraw", reason=reason)
    _announce(loan, by, what="借入方撤回申请", body=reason[:200])
    return loan


@transaction.atomic
def loan_cancel(*, loan: Loan, by, reason: str) -> Loan:
    """Either side (or the association, e.g. on the authority's refusal) cancels a loan being filed, agreed or
    prepared for transport, with a reason."""
    loan = _locked(loan)
    require(by, "loans.cancel_loan", loan)
    reason = _reason(reason)
    transition(loan, to=LoanStatus.CANCELLED, by=by, name="cancel", reason=reason)
    _announce(loan, by, what="借展已取消", body=reason[:200])
    return loan


# --- what comes next ------------------------------------------------------------------------------------------

ACTION_LABELS = {
    "review_item": "审查藏品", "finish_review": "完成藏品审查", "expert_review": "登记专家评估",
    "facility_review": "场馆评估", "file": "登记备案审批", "sign": "登记借展协议", "transport": "登记保险运输",
    "condition_check": "点交记录", "dispatch": "点交发运", "receive": "确认接收", "return": "登记归还",
    "close": "结束借展", "decline": "拒绝出借", "withdraw": "撤回申请", "cancel": "取消借展",
}
# action → (side, statuses)
ACTIONS = {
    "review_item": (LENDER, (LoanStatus.REQUESTED,)),
    "finish_review": (LENDER, (LoanStatus.REQUESTED,)),
    "expert_review": (LENDER, (LoanStatus.EXPERT_REVIEW,)),
    "facility_review": (LENDER, (LoanStatus.FACILITY_REVIEW,)),
    "file": ("either", (LoanStatus.FILING,)),
    "sign": ("either", (LoanStatus.AGREEMENT,)),
    "transport": ("either", (LoanStatus.TRANSPORT,)),
    "condition_check": ("either", (LoanStatus.TRANSPORT, LoanStatus.ON_LOAN, LoanStatus.RETURNING)),
    "dispatch": (LENDER, (LoanStatus.TRANSPORT,)),
    "receive": (BORROWER, (LoanStatus.DISPATCHED,)),
    "return": (LENDER, (LoanStatus.ON_LOAN, LoanStatus.RETURNING)),
    "close": (LENDER, (LoanStatus.RETURNED,)),
    "decline": (LENDER, tuple(Loan.workflow.move("decline").source)),
    "withdraw": (BORROWER, tuple(Loan.workflow.move("withdraw").source)),
    "cancel": ("either", tuple(Loan.workflow.move("cancel").source)),
}
PERMS = {LENDER: "loans.lender_act", BORROWER: "loans.borrower_act", "either": "loans.party_act"}
ENDING_ACTIONS = ("decline", "withdraw", "cancel")  # they end a loan; the steps forward are the others


def _waiting() -> dict[str, tuple[str, tuple[str, ...]]]:
    by_status: dict[str, list[str]] = {}
    for action, (_, statuses) in ACTIONS.items():
        if action not in ENDING_ACTIONS:
            for status in statuses:
                by_status.setdefault(status, []).append(action)
    return {status: (next(iter(sides)) if len(sides := {ACTIONS[a][0] for a in actions}) == 1 else "either",
                     tuple(actions)) for status, actions in by_status.items()}


# status → (whose move: "lender" | "borrower" | "either", the actions forward): read from `ACTIONS`, the one
# definition of who does what when (the list's "next step" column and the home pages' "waiting for you" read it).
WAITING = _waiting()


def action_permission(action: str) -> str:
    """The permission an action needs (cancel: the parties and the association)."""
    return "loans.cancel_loan" if action == "cancel" else PERMS[ACTIONS[action][0]]


def next_actions(loan: Loan, user) -> list[dict]:
    """What `user` may do next on the loan: [{"action": name, "label": Chinese, "side": "lender"|"borrower"|
    "either"}], the same names as `POST /api/loans/{id}/actions/{action}`, in the workflow's order."""
    result = []
    for action, (side, statuses) in ACTIONS.items():
        if loan.status in statuses and user.has_perm(action_permission(action), loan):
            result.append({"action": action, "label": ACTION_LABELS[action], "side": side})
    return result


@transaction.atomic
def rule_update(*, rule: LoanRule, by, title: str, source: str, enabled: bool, value: int | None) -> LoanRule:
    """The association changes a rule's title, source, value or whether it applies (audited)."""
    require(by, "loans.manage_rules")
    rule = LoanRule.objects.select_for_update().get(pk=rule.pk)
    if rule.value is not None and (value is None or value < 1):
        raise ValidationError({"value": "请填写大于 0 的数值。"})
    before = {"规则": rule.title, "依据": rule.source, "执行": rule.enabled, "数值": rule.value}
    rule.title, rule.source, rule.enabled = title, source, enabled
    if rule.value is not None:
        rule.value = value
    rule.full_clean()
    rule.save()
    changes = diff(before, {"规则": rule.title, "依据": rule.source, "执行": rule.enabled, "数值": rule.value})
    if changes:
        audit(actor=by, action="修改借展规则", obj=rule, changes=changes)
    return rule
