"""The loans API: the loans a user sees, one loan as both sides see it (status, objects, the filings the law
requires, what the user may do next, the rules' warnings), a new request with a token of the borrower's staff, and
every workflow step as `POST /api/loans/{id}/actions/{action}` — through the same services as the pages (the same
permissions, rules and messages naming the rule broken)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user, require

from . import services as s
from .api_schemas import ActionIn, LoanFilters, LoanIn, LoanListOut, LoanOut
from .models import Direction, Loan, LoanItem

router = Router(tags=["借展"])

# The service's field names → the API's (a refusal is reported on the field the client sent).
API_FIELDS = {"lender": "lender_id", "agreement_number": "number"}


def _api_errors(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({API_FIELDS.get(field, field): messages for field, messages in exc.message_dict.items()})


def loan_detail(loan: Loan, user) -> dict:
    """The loan as GET /api/loans/{id} answers it (a fixed number of queries)."""
    loan = (Loan.objects.select_related("lender", "borrower")
            .prefetch_related("items__obj", "items__checks", "filings").get(pk=loan.pk))
    objects = []
    for item in loan.items.all():
        checks = {c.direction: c for c in item.checks.all()}
        outgoing, incoming = checks.get(Direction.OUTGOING), checks.get(Direction.INCOMING)
        objects.append({
            "id": item.pk, "object_id": item.obj_id, "name": item.obj.name,
            "registration_number": item.obj.registration_number, "grade": item.obj.grade, "review": item.review,
            "expert_verdict": item.expert_verdict, "in_loan": item.in_loan,
            "outgoing_condition": outgoing.condition if outgoing else None,
            "incoming_condition": incoming.condition if incoming else None,
            "differs": bool(incoming and incoming.differs), "returned_on": item.returned_on})
    filings = [{**{k: f[k] for k in ("authority", "name", "kind", "label", "rule", "source")},
                "done": f["done"] is not None, "document_number": f["done"].document_number if f["done"] else None,
                "date": f["done"].date if f["done"] else None} for f in s.required_filings(loan)]
    return {
        "id": loan.pk, "status": loan.status, "status_label": loan.get_status_display(), "kind": loan.kind,
        "lender_id": loan.lender_id, "lender": loan.lender.display_name, "borrower_id": loan.borrower_id,
        "borrower": loan.borrower.display_name, "exhibition_title": loan.exhibition_title, "purpose": loan.purpose,
        "venue": loan.venue, "start": loan.start, "end": loan.end, "opening": loan.opening_date, "objects": objects,
        "required_filings": filings, "next_actions": [a["action"] for a in s.next_actions(loan, user)],
        "warnings": [*s.rule_warnings(loan), *filter(None, [s.shortfall_warning(loan)])],
    }


@router.get("", auth=required_auth, response={200: list[LoanListOut], **UNAUTHENTICATED, **INVALID},
            summary="借展列表",
            description="当前用户可见的借展：博物馆工作人员看本馆借入和借出的，协会看全部，主管单位看辖区内的。"
                        "可按方向（side）、状态筛选，overdue=true 只列逾期未归还的。"
                        "最新申请的在前，分页返回 {items, count}。")
@paginate(Page)
def list_loans(request, filters: Query[LoanFilters]):
    user = request.user
    # The museums prefetched for the page (one more query): SQLite would join them to every row before sorting.
    loans = Loan.objects.visible_to(user).prefetch_related("lender", "borrower").with_object_count()
    museum_id = getattr(user, "museum_id", None)
    if filters.side == "in":
        loans = loans.filter(borrower_id=museum_id)
    elif filters.side == "out":
        loans = loans.filter(lender_id=museum_id)
    if filters.status:
        loans = loans.filter(status=filters.status)
    if filters.overdue:
        loans = loans.overdue(timezone.localdate())
    return loans.order_by("-pk")  # newest first: ids grow with the requests (the primary key's index)


@router.get("/{int:loan_id}", auth=required_auth, response={200: LoanOut, **UNAUTHENTICATED, **NOT_FOUND},
            summary="借展详情",
            description="出借方、借入方、协会和双方辖区的主管单位可见，其他人返回 404。"
                        "required_filings 为按规则须办理的备案或审批（主管部门、国家文物局、省级文物行政部门），"
                        "next_actions 为当前用户可以进行的操作。")
def get_loan(request, loan_id: int):
    loan = get_for_user(request.user, Loan.objects.all(), view="loans.view_loan", pk=loan_id)
    return loan_detail(loan, request.user)


@router.post("", auth=required_auth, response={201: LoanOut, 403: Error, **UNAUTHENTICATED, **INVALID},
             summary="申请借展",
             description="以令牌所属的借入馆工作人员身份申请借用另一家博物馆开放借展的藏品。规则不允许时（期限超过36个月、"
                         "未建档、状况不佳或修复中、一级文物累计借展超过36个月等）返回 422，errors 逐项说明并写明依据。"
                         "不是博物馆工作人员返回 403。")
def create_loan(request, data: LoanIn):
    lender = Museum.objects.filter(pk=data.lender_id).first()
    if lender is None:
        raise ValidationError({"lender_id": "没有这个博物馆。"})
    try:
        loan = s.loan_request(by=request.user, lender=lender, objects=data.objects, purpose=data.purpose,
                              venue=data.venue, start=data.start, end=data.end, opening=data.opening, kind=data.kind,
                              exhibition_title=data.exhibition_title)
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return Status(201, loan_detail(loan, request.user))


def _item(loan: Loan, item_id: int | None, field: str = "item_id") -> LoanItem:
    if item_id is None:
        raise ValidationError({field: "请指明借展藏品（item_id）。"})
    item = loan.items.filter(pk=item_id).first()
    if item is None:
        raise ValidationError({field: "本借展没有这件藏品。"})
    return item


def _need(value, field: str, message: str):
    if value is None or value == "":
        raise ValidationError({field: message})
    return value


def _review_item(loan, by, d: ActionIn):
    fit = _need(d.fit, "fit", "请说明是否适宜出借（fit）。")
    s.loan_review_item(item=_item(loan, d.item_id), by=by, fit=fit, note=d.note)


def _expert_review(loan, by, d: ActionIn):
    s.loan_expert_review(loan=loan, by=by, experts=d.experts, date=_need(d.date, "date", "请填写专家评估日期。"),
                         opinion=d.opinion, verdicts={v.item_id: (v.fit, v.note) for v in d.verdicts})


def _file(loan, by, d: ActionIn):
    s.loan_record_filing(loan=loan, by=by, authority=_need(d.authority, "authority", "请选择机关。"),
                         kind=_need(d.kind, "kind", "请选择备案或批准。"), document_number=d.document_number,
                         date=_need(d.date, "date", "请填写备案审批日期。"), authority_name=d.authority_name)


def _condition_check(loan, by, d: ActionIn):
    s.loan_condition_check(item=_item(loan, d.item_id), by=by,
                           direction=_need(d.direction, "direction", "请选择出馆点交或归还点交。"),
                           condition=_need(d.condition, "condition", "请选择保存状态。"),
                           checked_on=_need(d.checked_on, "checked_on", "请填写点交日期。"), examiner=d.examiner,
                           notes=d.notes, new_damage=d.new_damage)


def _return(loan, by, d: ActionIn):
    items = None if d.item_ids is None else [_item(loan, pk, "item_ids") for pk in d.item_ids]
    s.loan_return(loan=loan, by=by, items=items, date=_need(d.date, "date", "请填写归还日期。"))


ACTIONS: dict[str, Callable] = {
    "review_item": _review_item,
    "finish_review": lambda loan, by, d: s.loan_finish_review(loan=loan, by=by),
    "expert_review": _expert_review,
    "facility_review": lambda loan, by, d: s.loan_facility_review(
        loan=loan, by=by, security=d.security, fire=d.fire, climate=d.climate, note=d.note),
    "file": _file,
    "sign": lambda loan, by, d: s.loan_sign(loan=loan, by=by, number=d.number,
                                            signed_on=_need(d.signed_on, "signed_on", "请填写协议签订日期。")),
    "transport": lambda loan, by, d: s.loan_set_transport(
        loan=loan, by=by, insurer=d.insurer, policy_number=d.policy_number, insured_amount=d.insured_amount,
        courier=d.courier, crates=d.crates, note=d.note),
    "condition_check": _condition_check,
    "dispatch": lambda loan, by, d: s.loan_dispatch(loan=loan, by=by, date=_need(d.date, "date", "请填写发运日期。")),
    "receive": lambda loan, by, d: s.loan_receive(loan=loan, by=by, date=_need(d.date, "date", "请填写接收日期。")),
    "return": _return,
    "close": lambda loan, by, d: s.loan_close(loan=loan, by=by),
    "decline": lambda loan, by, d: s.loan_decline(loan=loan, by=by, reason=d.reason),
    "withdraw": lambda loan, by, d: s.loan_withdraw(loan=loan, by=by, reason=d.reason),
    "cancel": lambda loan, by, d: s.loan_cancel(loan=loan, by=by, reason=d.reason),
}
assert set(ACTIONS) == set(s.ACTIONS)


@router.post("/{int:loan_id}/actions/{action}", auth=required_auth,
             response={200: LoanOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
             summary="借展流程操作",
             description="action 为 next_actions 中的名称：review_item {item_id, fit, note}、finish_review、"
                         "expert_review {experts, date, opinion, verdicts: [{item_id, fit, note}]}、"
                         "facility_review {security, fire, climate, note}、file {authority, kind, document_number, "
                         "date, authority_name}、sign {number, signed_on}、transport {insurer, policy_number, "
                         "insured_amount, courier, crates, note}、condition_check {item_id, direction, condition, "
                         "checked_on, examiner, notes, new_damage}、dispatch {date}、receive {date}、"
                         "return {item_ids?, date}、close、decline / withdraw / cancel {reason}。"
                         "成功返回借展详情；看不到这份借展或没有这个操作返回 404；"
                         "不是该由这一方进行的操作返回 403；当前状态不允许或规则不允许返回 422，并说明原因。")
def act(request, loan_id: int, action: str, data: ActionIn | None = None):
    if action not in ACTIONS:
        raise Http404("没有这个借展操作。")
    loan = get_for_user(request.user, Loan.objects.all(), view="loans.view_loan", pk=loan_id)
    require(request.user, s.action_permission(action), loan)
    try:
        ACTIONS[action](loan, request.user, data or ActionIn())
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return loan_detail(loan, request.user)
