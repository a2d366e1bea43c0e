"""The museum registry (public; contact details for signed-in users): the museums module's router, /api/museums."""

from django.db.models import Prefetch
from ninja import Query, Router
from ninja.pagination import paginate

from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user

from .api_schemas import MuseumDetail, MuseumFilters, MuseumOut

router = Router(tags=["博物馆"])

ORDERINGS = {
    "name": ["pinyin", "id"],
    "-visitors": ["-visitors_10k", "pinyin", "id"],
    "-collections": ["-collections", "pinyin", "id"],
    "grade": ["grade_rank", "pinyin", "id"],
}


def filter_museums(museums, f: MuseumFilters):
    museums = museums.search(f.q)
    for param, lookup in (("city", "city__code"), ("county", "county__code"), ("province", "province"),
                          ("grade", "grade"), ("ownership", "ownership"), ("role", "programme_role"),
                          ("needs_review", "needs_review")):
        value = getattr(f, param)
        if value is not None and value != "":
            museums = museums.filter(**{lookup: value})
    return museums.order_by(*ORDERINGS[f.ordering])


@router.get("", response={200: list[MuseumOut], **UNAUTHENTICATED, **INVALID}, summary="博物馆列表",
            operation_id="bangfu_api_routers_museums_list_museums",
            description="可按名称或拼音搜索、按所在地、等级、所有制、帮扶角色筛选，分页返回 {items, count}。")
@paginate(Page)
def list_museums(request, filters: Query[MuseumFilters]):
    return filter_museums(Museum.objects.with_places(), filters)


@router.get("/{int:museum_id}", response={200: MuseumDetail, **UNAUTHENTICATED, **NOT_FOUND}, summary="博物馆详情",
            operation_id="bangfu_api_routers_museums_get_museum",
            description="含各领域的需求与可提供的帮扶、总馆与分馆；联系方式仅对登录用户（或持令牌）返回。")
def get_museum(request, museum_id: int):
    museums = Museum.objects.with_places().select_related("head").prefetch_related(
        "areas", Prefetch("branches", queryset=Museum.objects.only("id", "head_id"))
    )
    return get_for_user(request.user, museums, view="museums.view_museum", pk=museum_id)
