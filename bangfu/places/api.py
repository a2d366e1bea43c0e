"""Administrative divisions (public): the router the places module adds to the API under /api/divisions."""

from django.http import Http404
from ninja import Path, Query, Router

from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Code
from bangfu.places.models import Division

from .api_schemas import DivisionFilters, DivisionList, DivisionOut

router = Router(tags=["行政区划"])


@router.get("", response={200: DivisionList, **UNAUTHENTICATED, **INVALID}, summary="行政区划列表",
            operation_id="bangfu_api_routers_divisions_list_divisions",
            description="省、市、县三级行政区划及其中心点坐标；不分页（全省约 130 条）。")
def list_divisions(request, filters: Query[DivisionFilters]):
    divisions = Division.objects.select_related("parent")
    if filters.level:
        divisions = divisions.filter(level=filters.level)
    if filters.parent:
        divisions = divisions.filter(parent__code=filters.parent)
    items = list(divisions)
    return {"items": items, "count": len(items)}


@router.get("/{code}", response={200: DivisionOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID}, summary="行政区划详情",
            operation_id="bangfu_api_routers_divisions_get_division",
            description="按六位区划代码查询；代码格式不正确时返回 422，没有该区划时返回 404。")
def get_division(request, code: Path[Code]):
    division = Division.objects.select_related("parent").filter(code=code).first()
    if division is None:
        raise Http404(f"没有区划代码为 {code} 的行政区划。")
    return division
