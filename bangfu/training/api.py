"""Training classes for machines, through the same services and access rules as the pages: the classes a user may
see and one class; a class created with an association token (published at once, with one session carrying its
hours); staff nominated with a museum admin's token (each person's state: accepted or waiting)."""

from __future__ import annotations

from datetime import date as date_type
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from bangfu.accounts.models import User
from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Day, Error, Id, Int, Text
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user, require

from . import services
from .models import Nomination, NominationState, Topic, TrainingClass

router = Router(tags=["培训班"])
MAX_ID = 2**63 - 1


class ClassOut(Schema):
    id: int
    title: str
    area: str = Field(description="业务方向：" + "、".join(f"{v} {label}" for v, label in Topic.choices))
    status: str = Field(description="draft 草稿、published 报名中、closed 报名截止、completed 已结业、cancelled 已取消")
    organiser: str
    host_id: int
    start: date_type
    end: date_type
    hours: Decimal = Field(description="总学时（各课程学时之和）")
    places: int
    places_per_museum: int = Field(description="每馆名额，0 表示不限")
    accepted: int = Field(description="已录取人数")

    @staticmethod
    def resolve_organiser(obj) -> str:
        return obj.organiser_name

    @staticmethod
    def resolve_hours(obj) -> Decimal:
        return getattr(obj, "total_hours", None) or Decimal("0")

    @staticmethod
    def resolve_accepted(obj) -> int:
        return getattr(obj, "n_accepted", 0)


class ClassIn(Schema):
    title: Text = Field(min_length=1, max_length=100)
    area: str = Field(description="业务方向：" + "、".join(Topic.values))
    start: Day
    end: Day
    hours: Decimal = Field(gt=0, le=744, description="总学时：按天平均分配，每天生成一次课程（9:00–17:00），"
                                                    "每天 0.5–24 学时；之后可在页面上细分课程表")
    places: Int = Field(ge=1, le=1000)
    places_per_museum: Int = Field(0, ge=0, le=1000)
    host_id: Id | None = Field(None, description="承办馆编号（台账中的帮扶方）；"
                                                "协会主办时可以不填，结业前在页面上指定")
    description: Text = Field("", max_length=5000)
    place: Text = Field("", max_length=100)
    deadline: Day | None = None


class Created(Schema):
    id: int


class NominationsIn(Schema):
    user_ids: list[Id] = Field(min_length=1, max_length=services.MAX_NOMINATIONS_AT_ONCE)


class NominationOut(Schema):
    user_id: int
    state: str = Field(description="accepted 已录取 或 waiting 候补")

    @staticmethod
    def resolve_user_id(obj) -> int:
        return obj.person_id


class NominationsOut(Schema):
    nominations: list[NominationOut]


@router.get("/classes", auth=required_auth, response={200: list[ClassOut], **UNAUTHENTICATED, **INVALID},
            summary="培训班列表",
            description="用户可见的培训班（已发布的所有人可见，草稿仅主办方）。分页返回 {items, count}。")
@paginate(Page)
def list_classes(request):
    visible = TrainingClass.objects.visible_to(request.user).values("pk")
    accepted = (Nomination.objects.filter(klass=OuterRef("pk"), state=NominationState.ACCEPTED)
                .values("klass").annotate(n=Count("pk")).values("n"))
    return (TrainingClass.objects.filter(pk__in=visible).select_related("organiser_museum").with_hours()
            .annotate(n_accepted=Coalesce(Subquery(accepted), 0)).order_by("-start", "-id"))


@router.get("/classes/{int:class_id}", auth=required_auth, response={200: ClassOut, **UNAUTHENTICATED, **NOT_FOUND},
            summary="培训班详情")
def get_class(request, class_id: int):
    klass = get_for_user(request.user, TrainingClass.objects.select_related("organiser_museum"),
                         view="training.view_class", pk=class_id)
    klass.total_hours = services.total_hours(klass)
    klass.n_accepted = klass.nominations.filter(state=NominationState.ACCEPTED).count()
    return klass


@router.post("/classes", auth=required_auth,
             response={201: Created, 403: Error, **UNAUTHENTICATED, **INVALID}, summary="发布培训班",
             description="协会（或大馆馆管理员）的令牌。培训班创建后即发布（报名中），每天生成一次课程，"
                         "总学时 hours 按天分配（最长 31 天）。可选 host_id 承办馆：协会主办时可以稍后"
                         "在页面上指定（结业前须指定）。")
def create_class(request, data: ClassIn):
    require(request.user, "training.add_class")
    if data.area not in Topic.values:
        raise ValidationError({"area": "未知的业务方向：" + "、".join(Topic.values)})
    host = None
    if data.host_id is not None:
        host = Museum.objects.filter(pk=data.host_id).first()
        if host is None:
            raise ValidationError({"host_id": f"没有编号为 {data.host_id} 的博物馆。"})
    klass = services.class_create_published(
        by=request.user, hours=data.hours, title=data.title, area=data.area, start=data.start, end=data.end,
        places=data.places, places_per_museum=data.places_per_museum, host=host, description=data.description,
        place=data.place or "待定", deadline=data.deadline)
    return Status(201, {"id": klass.pk})


@router.post("/classes/{int:class_id}/nominations", auth=required_auth,
             response={200: NominationsOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
             summary="推荐学员",
             description="馆管理员的令牌：推荐本馆人员 user_ids。名额内的录取（accepted），超出总名额或每馆名额的"
                         "进入候补（waiting），按顺序递补。非本馆人员返回 422 并列出其编号。")
def nominate(request, class_id: int, data: NominationsIn):
    klass = get_for_user(request.user, TrainingClass.objects.all(), view="training.view_class",
                         change="training.nominate", pk=class_id)
    ids = list(dict.fromkeys(data.user_ids))
    people = User.objects.in_bulk([i for i in ids if 0 < i <= MAX_ID])  # 10**30 is no one (SQLite cannot bind it)
    missing = [i for i in ids if i not in people]
    if missing:
        raise ValidationError({"user_ids": "只能推荐本馆在职人员：编号 " + "、".join(map(str, missing))
                                           + " 不是本馆人员。"})
    rows: list[Nomination] = services.nominate(klass=klass, by=request.user, people=[people[i] for i in ids])
    return {"nominations": rows}
