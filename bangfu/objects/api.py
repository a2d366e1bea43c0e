"""The object registry for machines: a museum's objects sent with a token of its staff (the same service as the
pages: the same permissions and checks), the list of what the caller may see, one object."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.permissions import get_for_user

from .api_schemas import ObjectFilters, ObjectIn, ObjectOut
from .models import CollectionObject
from .services import object_create

router = Router(tags=["藏品"])


def _objects(request):
    return CollectionObject.objects.visible_to(request.user).select_related("museum")


@router.get("", auth=required_auth, response={200: list[ObjectOut], **UNAUTHENTICATED, **INVALID}, summary="藏品列表",
            description="需令牌或登录。调用者可以看到的藏品：其他馆可供借展的藏品，以及本馆（协会和主管单位：辖区内）的全部藏品。"
                        "可按收藏单位、级别、是否可借展筛选。分页返回 {items, count}。")
@paginate(Page)
def list_objects(request, filters: Query[ObjectFilters]):
    objects = _objects(request)
    if filters.museum:
        objects = objects.filter(museum_id=int(filters.museum))
    if filters.grade:
        objects = objects.filter(grade=filters.grade)
    if filters.offered is not None:
        objects = objects.filter(offered=filters.offered)
    return objects.order_by("museum_id", "registration_number", "id")


@router.get("/{int:object_id}", auth=required_auth, response={200: ObjectOut, **UNAUTHENTICATED, **NOT_FOUND},
            summary="藏品详情",
            description="需令牌或登录。可借展的藏品登录用户可读；"
                        "其余只有本馆、协会和辖区主管单位可读，其他人得到 404。")
def get_object(request, object_id: int):
    return get_for_user(request.user, CollectionObject.objects.select_related("museum"),
                        view="objects.view_object", pk=object_id)


@router.post("", auth=required_auth, response={201: ObjectOut, 403: Error, **UNAUTHENTICATED, **INVALID},
             summary="登记藏品",
             description="以令牌所属用户的身份为其所在博物馆登记一件藏品（仅博物馆工作人员；协会和主管单位不能代登记）。"
                         "参数有误时返回 422 并逐项说明，总登记号在本馆已存在时指明 registration_number。")
def create_object(request, data: ObjectIn):
    obj = object_create(museum=request.user.museum, by=request.user, **data.dict())
    return Status(201, CollectionObject.objects.select_related("museum").get(pk=obj.pk))
