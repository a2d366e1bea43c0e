"""The exchange for machines: the public board's posts (searchable as on the pages), one post, its ranked matches,
and new posts sent with a token — through the same service as the pages (`post_create`: the same permissions,
checks and publication, the association's review included). Contact details only where the owner made them public."""

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user
from bangfu.places.models import Division

from . import matching
from .api_schemas import MatchFilters, MatchList, PostFilters, PostIn, PostOut
from .models import Post, Subtype
from .search import search_posts
from .services import post_create

router = Router(tags=["供需对接"])

# The service's field names → the API's (a refusal is reported on the field the client sent).
API_FIELDS = {"museum": "museum_id", "expert": "museum_id", "subtype": "subtype_id", "city": "city_id"}


def _posts():
    return Post.objects.with_owner().prefetch_related("regions")


@router.get("/posts", response={200: list[PostOut], **UNAUTHENTICATED, **INVALID}, summary="供需信息列表",
            description="公开的需求和供给（已发布、对接中、已对接、已完成），无需认证。可按类型、领域、所在市、状态筛选；"
                        "给出 q 时为中文全文检索，按相关度排序，否则最新发布的在前。分页返回 {items, count}。"
                        "联系方式仅在发布方设定对所有人公开时返回。")
@paginate(Page)
def list_posts(request, filters: Query[PostFilters]):
    posts = _posts().published()
    for param, lookup in (("kind", "kind"), ("area", "area"), ("city", "city_id"), ("status", "status")):
        value = getattr(filters, param)
        if value:
            posts = posts.filter(**{lookup: value})
    if filters.q:
        posts, _terms = search_posts(posts, filters.q)
        return posts
    return posts.order_by("-published_at", "-id")


@router.get("/posts/{int:post_id}", response={200: PostOut, **UNAUTHENTICATED, **NOT_FOUND}, summary="供需信息详情",
            description="公开的信息任何人可读；草稿、待审核、已撤回或已过期的信息只有发布方、协会和主管单位可读（需令牌或登录）。")
def get_post(request, post_id: int):
    return get_for_user(request.user, _posts(), view="exchange.view_post", pk=post_id)


@router.get("/posts/{int:post_id}/matches", response={200: MatchList, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
            summary="供需信息的匹配结果",
            description="需求的匹配供给、供给的匹配需求，最合适的在前，每条附匹配度（0–100）和理由（共同词、距离、"
                        "结对关系、剩余名额）。只列开放中的信息。")
def post_matches(request, post_id: int, filters: Query[MatchFilters]):
    post = get_for_user(request.user, Post.objects.with_owner(), view="exchange.view_post", pk=post_id)
    found = matching.matches_for(post, limit=filters.limit, regions=True)
    return {"items": [{"post": m.post, "score": m.score, "reasons": m.reasons} for m in found]}


@router.post("/posts", auth=required_auth,
             response={201: PostOut, 403: Error, **UNAUTHENTICATED, **INVALID}, summary="发布供需信息",
             description="以令牌所属用户的身份发布：博物馆工作人员为本馆发布需求或供给，专家发布自己的供给；"
                         "协会必须用 museum_id 指明代哪家博物馆发布（如收集的纸质需求）。"
                         "默认立即发布（协会开启审核时进入待审核），publish 为 false 时保存为草稿。"
                         "参数有误时返回 422 并逐项说明；无权发布的角色返回 403。")
def create_post(request, data: PostIn):
    values = data.dict(exclude={"museum_id", "subtype_id", "regions", "publish"})
    errors = {}
    museum = subtype = None
    if data.museum_id is not None:
        museum = Museum.objects.filter(pk=data.museum_id).first()
        if museum is None:
            errors["museum_id"] = "没有这个博物馆。"
    if data.subtype_id is not None:  # a switched-off one is refused by the service (as on the pages)
        subtype = Subtype.objects.filter(pk=data.subtype_id).first()
        if subtype is None:
            errors["subtype_id"] = "没有这个子类。"
    regions = list(Division.objects.filter(pk__in=set(data.regions), level__in=("city", "county")))
    if len(regions) != len(set(data.regions)):
        errors["regions"] = "服务地区只能是山西省的市或县（区）的编号。"
    if errors:
        raise ValidationError(errors)
    try:
        post = post_create(by=request.user, museum=museum, subtype=subtype, regions=regions, publish=data.publish,
                           **values)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({API_FIELDS.get(field, field): messages
                               for field, messages in exc.error_dict.items()}) from None
    return Status(201, _posts().get(pk=post.pk))
