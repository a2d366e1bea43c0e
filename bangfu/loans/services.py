"""Writes of a loan: one function per step, the same for the pages, the API, the demo and the tests. Each takes
the acting user (`by`), checks who may act (`require`), enforces the rules of `law.RULES` as the association keeps
them in `LoanRule`, moves the status with `core.workflow.transition` (who, when, why in the loan's timeline) and
tells the other side after commit. Refusals are ValidationError {field: Chinese message naming the rule}.

Helper "loans-core" implements the bodies; the signatures are the contract the pages and the API are written
against."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction

from .models import ConditionCheck, Loan, LoanFiling, LoanItem


@transaction.atomic
def loan_request(*, by, lender, objects: Iterable, purpose: str, venue: str, start: datetime.date,
                 end: datetime.date, opening: datetime.date | None = None, kind: str = "loan",
                 exhibition_title: str = "") -> Loan:
    """The borrower's staff (`by`) ask `lender` for `objects` (CollectionObjects the lender offers). Refused: an
    object not the lender's, not offered, without a collection record (Art. 58), in poor condition / fragile /
    under treatment (notice), a period over the term (Art. 56), a 一级文物 whose loans would add up to more than the
    chained cap (notice; every loan not declined/withdrawn/cancelled counts), start after end, no objects."""
    raise NotImplementedError


def rule_warnings(loan: Loan, *, today: datetime.date | None = None) -> list[str]:
    """What the rules say without refusing: fewer than `filing_lead_days` working days left to file before the
    opening (博物馆条例 Art. 31)…"""
    raise NotImplementedError


@transaction.atomic
def loan_review_item(*, item: LoanItem, by, fit: bool, note: str = "") -> LoanItem:
    """The lender judges one object fit or unfit (an unfit one needs a note; it is dropped from the loan)."""
    raise NotImplementedError


@transaction.atomic
def loan_finish_review(*, loan: Loan, by) -> Loan:
    """The lender finishes the object review: every object judged, at least one fit; on to the expert review when
    a fit object needs one (一级文物, `expert_review_grade1`), else to the facility review."""
    raise NotImplementedError


@transaction.atomic
def loan_expert_review(*, loan: Loan, by, experts: str, date: datetime.date, opinion: str,
                       verdicts: Mapping[int, tuple[bool, str]]) -> Loan:
    """The lender records the experts' review: names, date, opinion and a verdict per object under review
    ({item id: (fit, note)}); objects found unfit are dropped; at least one object must remain."""
    raise NotImplementedError


@transaction.atomic
def loan_facility_review(*, loan: Loan, by, security: str, fire: str, climate: str, note: str) -> Loan:
    """The lender accepts the borrower's facility (security, fire, climate) → filing. (To refuse: loan_decline.)"""
    raise NotImplementedError


def required_filings(loan: Loan) -> list[dict]:
    """The filings and approvals the loan needs, from the rules: [{"authority": "competent"|"provincial"|
    "national", "name": "主管部门"|"省级文物行政部门"|"国家文物局", "kind": "filing"|"approval", "label":
    "报主管部门备案", "rule": code, "source": citation, "done": LoanFiling | None}]."""
    raise NotImplementedError


@transaction.atomic
def loan_record_filing(*, loan: Loan, by, authority: str, kind: str, document_number: str, date: datetime.date,
                       authority_name: str = "") -> LoanFiling:
    """Either side records one filing or approval (document number, date); when every required one is recorded
    the loan moves on to the agreement."""
    raise NotImplementedError


@transaction.atomic
def loan_sign(*, loan: Loan, by, number: str, signed_on: datetime.date) -> Loan:
    """Either side records the signed agreement → insurance and transport."""
    raise NotImplementedError


@transaction.atomic
def loan_set_transport(*, loan: Loan, by, insurer: str, policy_number: str, insured_amount: Decimal | None,
                       courier: str, crates: int | None, note: str = "") -> Loan:
    """Either side records insurance and transport (editable until dispatch)."""
    raise NotImplementedError


@transaction.atomic
def loan_condition_check(*, item: LoanItem, by, direction: str, condition: str, checked_on: datetime.date,
                         examiner: str, notes: str = "", new_damage: bool = False) -> ConditionCheck:
    """An outgoing (before dispatch) or incoming (on return) condition report of one object; an incoming one
    that differs from the outgoing one (condition, new damage) is flagged `differs` and the lender told. Photos
    are attachments of the check (`core.attachments`)."""
    raise NotImplementedError


@transaction.atomic
def loan_dispatch(*, loan: Loan, by, date: datetime.date) -> Loan:
    """The lender dispatches: insurance and transport recorded, an outgoing report for every object in the loan."""
    raise NotImplementedError


@transaction.atomic
def loan_receive(*, loan: Loan, by, date: datetime.date) -> Loan:
    """The borrower confirms the objects arrived → on loan."""
    raise NotImplementedError


@transaction.atomic
def loan_return(*, loan: Loan, by, items: Iterable[LoanItem] | None = None, date: datetime.date) -> Loan:
    """The lender records objects back (all when `items` is None), each with its incoming report → returning,
    or returned when none is left away."""
    raise NotImplementedError


@transaction.atomic
def loan_close(*, loan: Loan, by) -> Loan:
    """The lender closes a returned loan: one ledger entry (source `loans.loan`: objects lent, lender helped the
    borrower in exhibitions)."""
    raise NotImplementedError


@transaction.atomic
def loan_decline(*, loan: Loan, by, reason: str) -> Loan:
    raise NotImplementedError


@transaction.atomic
def loan_withdraw(*, loan: Loan, by, reason: str) -> Loan:
    raise NotImplementedError


@transaction.atomic
def loan_cancel(*, loan: Loan, by, reason: str) -> Loan:
    raise NotImplementedError


def next_actions(loan: Loan, user) -> list[dict]:
    """What `user` may do next on the loan: [{"action": name, "label": Chinese, "side": "lender"|"borrower"|
    "either"}], the same names as `POST /api/loans/{id}/actions/{action}`."""
    raise NotImplementedError


def object_loan_days(obj) -> int:
    """The days an object has been (or is booked to be) on loan, over every loan that is not void."""
    raise NotImplementedError
