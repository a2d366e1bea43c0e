"""The assistance ledger for machines: the entries the token's user may see, and manual entries recorded through
the same service as the page (`ledger_record`: the same permissions, limits and confirmation by the other side)."""

from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.ledger import selectors
from bangfu.ledger.models import Confirmation, LedgerEntry
from bangfu.ledger.selectors import default_pairing
from bangfu.ledger.services import ledger_record
from bangfu.museums.models import Museum
from bangfu.pairings.models import Pairing
from bangfu.permissions import get_for_user

from .api_schemas import LedgerEntryIn, LedgerEntryOut, LedgerFilters

router = Router(tags=["帮扶台账"], auth=required_auth)


@router.get("", response={200: list[LedgerEntryOut], **UNAUTHENTICATED, **INVALID}, summary="台账记录列表",
            operation_id="bangfu_api_routers_ledger_list_entries",
            description="当前用户可见的台账记录（协会全部、主管单位其辖区、博物馆本馆参与的），最新在前；"
                        "可按年度、领域、状态筛选，分页返回 {items, count}。默认只列已确认的记录。")
@paginate(Page)
def list_entries(request, filters: Query[LedgerFilters]):
    # The ledger page's filters; its default state (confirmed, what counts) is "" there, "confirmed" here.
    state = "" if filters.state == Confirmation.CONFIRMED else filters.state
    chosen = selectors.LedgerFilters(year=filters.year, area=filters.area or "", state=state)
    return chosen.apply(LedgerEntry.objects.visible_to(request.user).with_parties().prefetch_related("evidence"))


@router.post("", response={201: LedgerEntryOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
             summary="登记平台外帮扶",
             operation_id="bangfu_api_routers_ledger_create_entry",
             description="帮扶双方博物馆的工作人员或协会登记一条平台外完成的帮扶。博物馆登记的记录等待对方确认"
                         "（对方会收到通知），协会登记的直接计入。数量受协会设定的单条上限约束，超出时返回 422。")
def create_entry(request, data: LedgerEntryIn):
    user = request.user
    helper = Museum.objects.filter(pk=data.helper_id).first()
    helped = Museum.objects.filter(pk=data.helped_id).first()
    if helper is None or helped is None:
        raise Http404("没有这个博物馆。")
    pairing = None
    if data.pairing_id is not None:
        pairing = get_for_user(user, Pairing.objects.with_parties(), view="pairings.view_pairing",
                               pk=data.pairing_id)
    values = data.dict(exclude={"helper_id", "helped_id", "pairing_id"})
    entry = ledger_record(by=user, helper=helper, helped=helped,
                          pairing=pairing or default_pairing(helper=helper, helped=helped), **values)
    return Status(201, LedgerEntry.objects.with_parties().prefetch_related("evidence").get(pk=entry.pk))
