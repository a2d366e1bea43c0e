"""Conservation for machines (read only): the labs' service catalogue and one service request for its parties, the
association and the supervisors — the same reads and access rules as the pages (outsiders 404)."""

from datetime import date as date_type

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Ref, Text
from bangfu.core.params import MAX_TEXT_PARAM
from bangfu.permissions import get_for_user

from .models import LabService, ServiceKind, ServiceRequest
from .services import object_count

router = Router(tags=["文物保护"])


class ServiceFilters(Schema):
    q: Text | None = Field(None, max_length=MAX_TEXT_PARAM, description="服务名称、方法或馆名中的词，如 XRF")
    kind: Text | None = Field(None, max_length=20, description="服务类别：testing、plan 或 guidance")


class ServiceOut(Schema):
    id: int
    museum: Ref
    kind: str = Field(description="testing 检测分析、plan 保护修复方案设计、guidance 现场指导")
    name: str
    methods: list[str] = Field(description="方法，如 XRF、拉曼")
    description: str
    destructive_possible: bool = Field(description="可能需要有损取样（须经文物所属馆馆管理员批准）")
    contact: str

    @staticmethod
    def resolve_methods(obj) -> list[str]:
        return obj.method_list


class RequestOut(Schema):
    id: int
    service_id: int
    lab: Ref
    museum: Ref = Field(description="申请馆")
    status: str
    method: str
    destructive: bool
    approved_at: str | None = Field(None, description="有损取样的批准时间（ISO 8601）")
    objects: int = Field(description="文物件数（平台藏品与手工填写的合计）")
    sample_count: int
    delivered_on: date_type | None
    satisfaction: int | None

    @staticmethod
    def resolve_approved_at(obj) -> str | None:
        return obj.approved_at.isoformat() if obj.approved_at else None

    @staticmethod
    def resolve_objects(obj) -> int:
        return object_count(obj)


@router.get("/services", auth=required_auth, response={200: list[ServiceOut], **UNAUTHENTICATED, **INVALID},
            summary="实验室服务目录", description="正在提供的实验室服务；可按词和类别筛选。分页返回 {items, count}。")
@paginate(Page)
def list_services(request, filters: Query[ServiceFilters]):
    rows = LabService.objects.active().select_related("museum")
    if filters.kind in ServiceKind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(methods__icontains=filters.q)
                           | Q(museum__name__icontains=filters.q))
    return rows.order_by("museum_id", "kind", "pk")


@router.get("/requests/{int:request_id}", auth=required_auth,
            response={200: RequestOut, **UNAUTHENTICATED, **NOT_FOUND}, summary="实验室服务申请",
            description="申请的双方（实验室所属馆、申请馆）、协会和主管单位可读；其他人返回 404。")
def get_request(request, request_id: int):
    return get_for_user(request.user, ServiceRequest.objects.select_related("lab", "museum"),
                        view="conservation.view_request", pk=request_id)
