"""The expert pool (public; contact details for signed-in users): the experts module's router, /api/experts."""

from django.db.models import Prefetch
from ninja import Query, Router
from ninja.pagination import paginate

from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED
from bangfu.experts.models import Expert
from bangfu.permissions import get_for_user
from bangfu.places.models import Division

from .api_schemas import ExpertDetail, ExpertFilters, ExpertOut

router = Router(tags=["专家"])


def _experts():
    return Expert.objects.active().prefetch_related(
        "specialties", Prefetch("regions", queryset=Division.objects.only("code", "name"))
    )


@router.get("", response={200: list[ExpertOut], **UNAUTHENTICATED, **INVALID}, summary="专家列表",
            operation_id="bangfu_api_routers_experts_list_experts",
            description="在库专家；可按关键词、专业领域和可前往的市筛选，分页返回 {items, count}。")
@paginate(Page)
def list_experts(request, filters: Query[ExpertFilters]):
    experts = _experts().search(filters.q)
    if filters.area:
        experts = experts.with_area(filters.area)
    if filters.region:
        city = Division.objects.filter(code=filters.region).first()
        experts = experts.serving(city) if city else experts.none()
    return experts.order_by("pinyin_initials", "id")


@router.get("/{int:expert_id}", response={200: ExpertDetail, **UNAUTHENTICATED, **NOT_FOUND}, summary="专家详情",
            operation_id="bangfu_api_routers_experts_get_expert",
            description="联系方式仅对登录用户（或持令牌）返回。")
def get_expert(request, expert_id: int):
    return get_for_user(request.user, _experts().select_related("museum"), view="experts.view_expert",
                        pk=expert_id)
