"""Exhibitions for machines: the touring marketplace and an exhibition's calendar (public), a stop request sent
with a token of the venue museum's staff, and a stop for its parties — through the same services and reads as the
pages (a refusal names the rule broken: the colliding stop, the window, the minimum run)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.core.params import parse_int
from bangfu.permissions import get_for_user

from . import selectors
from .api_schemas import StopIn, StopOut, TouringDetailOut, TouringFilters, TouringOut
from .models import TouringExhibition, TourStop
from .services import stop_request

router = Router(tags=["展览"])


@router.get("/touring", response={200: list[TouringOut], **UNAUTHENTICATED, **INVALID}, summary="巡展列表",
            description="已发布、可预约的巡展，无需认证；可按主题词、出展馆所在市、展厅面积上限和某月有空档筛选。"
                        "分页返回 {items, count}。")
@paginate(Page)
def list_touring(request, filters: Query[TouringFilters]):
    rows = selectors.marketplace(q=filters.q or "", city=parse_int(filters.city or ""),
                                 max_area=parse_int(filters.max_area or ""),
                                 month=selectors.month_bounds(filters.month) if filters.month else None)
    return rows.select_related("museum").prefetch_related("windows").order_by("-updated_at", "-id")


@router.get("/touring/{int:touring_id}", response={200: TouringDetailOut, **UNAUTHENTICATED, **NOT_FOUND},
            summary="巡展详情与档期",
            description="已发布的巡展任何人可读；草稿和已下架的只有出展馆、协会和主管单位可读。"
                        "calendar 为档期上的站点：公众只见已确认和已结束的站点，"
                        "出展馆、协会和主管单位还能看到待确认的申请。")
def get_touring(request, touring_id: int):
    exhibition = get_for_user(request.user, TouringExhibition.objects.select_related("museum"),
                              view="exhibitions.view_touring", pk=touring_id)
    exhibition.calendar = list(selectors.calendar_stops(exhibition, request.user))
    return exhibition


@router.post("/touring/{int:touring_id}/stops", auth=required_auth,
             response={201: StopOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID}, summary="申请接展",
             description="以令牌所属博物馆的名义申请一个巡展站点。展期须在可预约档期内、不短于最短展期，"
                         "连同布展和撤展运输占用的日期不能与其他站点重叠（同时提交的申请也不会重复预约）；"
                         "不符合时返回 422 并说明原因。")
def create_stop(request, touring_id: int, data: StopIn):
    exhibition = get_for_user(request.user, TouringExhibition.objects.select_related("museum"),
                              view="exhibitions.view_touring", change="exhibitions.request_stop", pk=touring_id)
    stop = stop_request(exhibition=exhibition, venue=request.user.museum, by=request.user, start=data.start,
                        end=data.end, note=data.note)
    return Status(201, TourStop.objects.select_related("owner", "venue").get(pk=stop.pk))


@router.get("/stops/{int:stop_id}", auth=required_auth, response={200: StopOut, **UNAUTHENTICATED, **NOT_FOUND},
            summary="巡展站点",
            description="站点的双方（出展馆、接展馆）、协会和主管单位可读；其他人返回 404。")
def get_stop(request, stop_id: int):
    return get_for_user(request.user, TourStop.objects.select_related("owner", "venue"),
                        view="exhibitions.view_stop", pk=stop_id)
