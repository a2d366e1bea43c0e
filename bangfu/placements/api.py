"""Placements for machines: a helped museum's admin requests a placement (`POST /api/placements`, the same service
and rules as the page: the association's 3–6 month rule refused with 422 naming it), and the placements a token's
user may see (list and one)."""

from datetime import date as date_type

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from bangfu.accounts.models import User
from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, MAX_ID, NOT_FOUND, UNAUTHENTICATED, Day, Error, Ref, Text
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user, require

from .models import Placement, PlacementKind, PlacementStatus
from .services import placement_request

router = Router(tags=["跟班学习"])


class PlacementIn(Schema):
    host_id: int = Field(ge=1, le=MAX_ID, description="接收馆（帮扶馆）编号")
    person_id: int = Field(ge=1, le=MAX_ID, description="派出人员的账号编号（本馆在职馆员）")
    kind: Text = Field(max_length=20, description="study 跟班学习，secondment 挂职锻炼")
    start: Day = Field(description="开始日期（ISO）")
    end: Day = Field(description="结束日期（ISO）；期限须符合协会规则（默认 3–6 个月）")
    department: Text = Field("", max_length=100, description="接收部门")
    goals: Text = Field("", max_length=3000, description="学习目标与计划")
    mentor_id: int | None = Field(None, ge=1, le=MAX_ID, description="建议的指导老师（接收馆人员的账号编号）")


class Created(Schema):
    id: int


class PlacementOut(Schema):
    id: int
    sending: Ref = Field(description="派出馆")
    host: Ref = Field(description="接收馆")
    person: Ref = Field(description="派出人员")
    mentor: Ref | None = Field(None, description="指导老师")
    kind: str = Field(description="study 跟班学习，secondment 挂职锻炼")
    department: str
    start: date_type
    end: date_type
    status: str
    grade: str = Field(description="结业考核：excellent、good、pass、fail；未结业为空")
    pairing_id: int | None

    @staticmethod
    def resolve_person(obj) -> dict:
        return {"id": obj.person_id, "name": obj.person.display_name}

    @staticmethod
    def resolve_mentor(obj) -> dict | None:
        return {"id": obj.mentor_id, "name": obj.mentor.display_name} if obj.mentor_id else None


class PlacementFilters(Schema):
    status: Text | None = Field(None, max_length=20, description="状态，如 in_progress")


def _get(model, pk, field: str, message: str):
    found = model.objects.filter(pk=pk).first() if pk else None
    if pk and found is None:
        raise ValidationError({field: message})
    return found


@router.post("", auth=required_auth, response={201: Created, 403: Error, **UNAUTHENTICATED, **INVALID},
             summary="申请跟班学习或挂职锻炼",
             description="以令牌所属博物馆（派出馆）馆管理员的名义申请：派出人员须为本馆在职馆员，接收馆不能是本馆。"
                         "期限须符合协会规则（默认 3–6 个月：结束日期在开始日期满 3 个月至满 6 个月之间），"
                         "不符合时返回 422，说明中写明规则（如“3–6 个月”）。馆员令牌返回 403。")
def create_placement(request, data: PlacementIn):
    user = request.user
    require(user, "placements.request_placement")
    if data.kind not in PlacementKind.values:
        raise ValidationError({"kind": "方式须为 study（跟班学习）或 secondment（挂职锻炼）。"})
    host = _get(Museum, data.host_id, "host_id", "没有这个接收馆。")
    person = _get(User, data.person_id, "person_id", "没有这个派出人员。")
    mentor = _get(User, data.mentor_id, "mentor_id", "没有这个指导老师。")
    if person.museum_id != user.museum_id:
        raise ValidationError({"person_id": "派出人员须为本馆在职馆员。"})
    try:
        placement = placement_request(by=user, host=host, person=person, kind=data.kind, start=data.start,
                                      end=data.end, department=data.department,
                                      goals=data.goals or "（通过接口申请，计划待补充）", mentor=mentor)
    except ValidationError as exc:
        renamed = {"host": "host_id", "person": "person_id", "mentor": "mentor_id"}
        raise ValidationError({renamed.get(k, k): v for k, v in exc.message_dict.items()}) from None
    return Status(201, {"id": placement.pk})


@router.get("", auth=required_auth, response={200: list[PlacementOut], **UNAUTHENTICATED, **INVALID},
            summary="跟班学习与挂职锻炼",
            description="令牌用户可见的安排（本馆派出或接收的；协会全部；主管单位辖区内的）。分页返回 {items, count}。")
@paginate(Page)
def list_placements(request, filters: Query[PlacementFilters]):
    rows = Placement.objects.visible_to(request.user).select_related("sending", "host", "person", "mentor")
    if filters.status in PlacementStatus.values:
        rows = rows.filter(status=filters.status)
    return rows.order_by("-start", "-id")


@router.get("/{int:placement_id}", auth=required_auth,
            response={200: PlacementOut, **UNAUTHENTICATED, **NOT_FOUND}, summary="一项跟班学习或挂职锻炼",
            description="双方博物馆、协会和主管单位可读；其他人返回 404。")
def get_placement(request, placement_id: int):
    return get_for_user(request.user, Placement.objects.select_related("sending", "host", "person", "mentor"),
                        view="placements.view_placement", pk=placement_id)
