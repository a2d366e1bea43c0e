"""The exchange API: the public list and detail of posts (filters, relevance order, no contact details unless made
public), a post's matches, and new posts sent with a token through the same service as the pages."""

import datetime
import json
from unittest import mock

import pytest
from django.utils import timezone

from bangfu.api.services import token_create
from bangfu.exchange.matching import Match
from bangfu.exchange.models import ContactVisibility, ExchangeRules, Post, PostStatus
from bangfu.exchange.services import post_create
from bangfu.exchange.vocabulary import subtype_add, subtype_update
from bangfu.experts.services import expert_create

from .factories import division

pytestmark = pytest.mark.django_db
POSTS = "/api/exchange/posts"


def bearer(user) -> dict:
    _, raw = token_create(user=user, name="脚本")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, user, body: dict):
    return client.post(POSTS, json.dumps(body), content_type="application/json", **bearer(user))


def need(world, title="壁画修复指导", *, area="conservation", publish=True, **fields):
    return post_create(by=world.helped_admin, kind="need", area=area, title=title,
                       description=f"{title}：馆藏壁画起甲空鼓。", publish=publish, contact_name="李老师",
                       contact_phone="0357-5551234", **fields)


def offer(world, title="壁画修复培训", *, area="conservation", **fields):
    return post_create(by=world.helper_admin, kind="offer", area=area, title=title, description=f"{title}：可派专家。",
                       publish=True, capacity=3, **fields)


# --- reading -------------------------------------------------------------------------------------------------


def test_the_list_is_public_and_shows_published_posts_with_items_and_count(client, world):
    shown = need(world)
    offer(world)
    need(world, "草稿", publish=False)
    body = client.get(POSTS).json()
    assert body["count"] == 2 and {i["title"] for i in body["items"]} == {"壁画修复指导", "壁画修复培训"}
    item = next(i for i in body["items"] if i["id"] == shown.pk)
    assert {k: item[k] for k in ("kind", "area", "museum_id", "status", "expert_id", "capacity")} == {
        "kind": "need", "area": "conservation", "museum_id": world.helped_museum.pk, "status": "published",
        "expert_id": None, "capacity": 1}
    assert item["description"].startswith("壁画修复指导") and item["published_at"]


def test_the_list_filters_by_kind_area_city_and_status(client, world):
    need(world, "社教需求", area="education")
    offer(world, "社教供给", area="education")
    offer(world, "文保供给")
    titles = lambda **params: sorted(i["title"] for i in client.get(POSTS, params).json()["items"])  # noqa: E731
    assert titles(kind="offer") == ["文保供给", "社教供给"]
    assert titles(area="education", kind="need") == ["社教需求"]
    assert titles(city=world.helper_museum.city_id) == ["文保供给", "社教供给"]
    assert titles(status="matched") == []
    assert client.get(POSTS, {"status": "draft"}).status_code == 422  # only what the public may see


def test_empty_filters_mean_not_filtered_and_bad_values_are_still_refused(client, world):
    need(world)
    offer(world)
    body = client.get(POSTS + "?q=&kind=&area=&city=&status=").json()
    assert body["count"] == 2
    assert client.get(POSTS + "?kind=offer&area=&city=").json()["count"] == 1
    for bad in ("kind=both", "kind=%20", "area=nowhere", "city=abc", "city=0", "status=draft"):
        assert client.get(f"{POSTS}?{bad}").status_code == 422, bad


def test_the_list_paginates_with_limit_and_offset(client, world):
    for i in range(3):
        need(world, f"需求{i}")
    body = client.get(POSTS, {"limit": 2, "offset": 1}).json()
    assert body["count"] == 3 and len(body["items"]) == 2


def test_a_search_orders_by_relevance(client, world):
    ranked = [need(world, "社教"), need(world, "壁画")]
    with mock.patch("bangfu.exchange.api.search_posts",
                    side_effect=lambda qs, q: (qs.filter(pk__in=[p.pk for p in ranked]).order_by("title"), [q])) as s:
        body = client.get(POSTS, {"q": "壁画"}).json()
    assert s.call_args.args[1] == "壁画"
    assert [i["title"] for i in body["items"]] == sorted(["社教", "壁画"]) and body["count"] == 2


def test_contact_details_only_when_the_owner_made_them_public(client, world, login):
    hidden = need(world, "仅平台用户")
    public = need(world, "公开联系方式", contact_visibility=ContactVisibility.PUBLIC)
    items = {i["id"]: i for i in login(world.helper_staff).get(POSTS).json()["items"]}
    assert items[hidden.pk]["contact"] is None
    assert items[public.pk]["contact"] == {"name": "李老师", "phone": "0357-5551234", "email": ""}
    assert "0357-5551234" not in client.get(f"{POSTS}/{hidden.pk}").content.decode()


def test_a_draft_is_found_only_by_its_owner_and_the_association(client, world):
    draft = need(world, "草稿", publish=False)
    assert client.get(f"{POSTS}/{draft.pk}").status_code == 404
    assert client.get(f"{POSTS}/{draft.pk}", **bearer(world.outsider)).status_code == 404
    assert client.get(f"{POSTS}/{draft.pk}", **bearer(world.helped_staff)).json()["status"] == "draft"
    assert client.get(f"{POSTS}/{draft.pk}", **bearer(world.admin)).status_code == 200
    assert client.get(f"{POSTS}/999999").json() == {"detail": "未找到。"}


def test_the_list_query_count_does_not_grow_with_posts(client, world, django_assert_max_num_queries):
    need(world, regions=[division("141000")])
    with django_assert_max_num_queries(6) as few:
        client.get(POSTS)
    for i in range(5):
        offer(world, f"供给{i}", regions=[division("140100"), division("140200")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(POSTS)


# --- matches -------------------------------------------------------------------------------------------------


def test_matches_come_best_first_with_score_and_reasons(client, world):
    mine = need(world)
    best, other = offer(world, "壁画修复专家会诊"), offer(world, "青铜器修复")
    found = [Match(post=best, score=87.5, reasons=["共同词：壁画、修复", "结对馆"]),
             Match(post=other, score=40, reasons=["共同词：修复"])]
    with mock.patch("bangfu.exchange.matching.matches_for", return_value=found) as matches_for:
        body = client.get(f"{POSTS}/{mine.pk}/matches").json()
    assert matches_for.call_args.kwargs == {"limit": 20, "regions": True}
    assert [(m["post"]["id"], m["score"], m["reasons"]) for m in body["items"]] == [
        (best.pk, 87.5, ["共同词：壁画、修复", "结对馆"]), (other.pk, 40.0, ["共同词：修复"])]


def test_the_matches_of_a_post_the_caller_may_not_see_are_a_404(client, world):
    draft = need(world, publish=False)
    assert client.get(f"{POSTS}/{draft.pk}/matches").status_code == 404
    assert client.get(f"{POSTS}/{draft.pk}/matches", **bearer(world.helped_staff)).json() == {"items": []}


# --- writing -------------------------------------------------------------------------------------------------


def test_museum_staff_publish_a_need_for_their_museum_with_a_token(client, world):
    subtype = subtype_add(by=world.admin, area="conservation", name="壁画保护")
    until = timezone.localdate() + datetime.timedelta(days=60)
    response = send(client, world.helped_staff, {
        "kind": "need", "area": "conservation", "title": "壁画起甲修复", "description": "东西两壁起甲约 3 平方米",
        "subtype_id": subtype.pk, "until": until.isoformat(), "terms": "差旅由本馆承担",
        "regions": [division("141000").pk], "contact_phone": "0357-1", "contact_visibility": "public"})
    assert response.status_code == 201, response.json()
    body = response.json()
    post = Post.objects.get(pk=body["id"])
    assert (post.museum, post.created_by, post.status, post.subtype, post.until) == (
        world.helped_museum, world.helped_staff, PostStatus.PUBLISHED, subtype, until)
    assert body["region_ids"] == [division("141000").pk] and body["contact"]["phone"] == "0357-1"


def test_a_draft_when_publish_is_false_and_a_review_when_the_association_moderates(client, world):
    body = {"kind": "offer", "area": "people", "title": "跟班学习名额", "description": "每年 2 名"}
    assert send(client, world.helper_admin, body | {"publish": False}).json()["status"] == "draft"
    ExchangeRules.objects.update_or_create(pk=1, defaults={"moderation": True})
    assert send(client, world.helper_admin, body).json()["status"] == "pending"


def test_the_association_must_name_the_museum_it_posts_for(client, world):
    body = {"kind": "need", "area": "exhibition", "title": "基本陈列改造", "description": "纸质需求表录入"}
    refused = send(client, world.admin, body)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "museum_id", "message": "请选择发布的博物馆。"}]
    created = send(client, world.admin, body | {"museum_id": world.other_museum.pk})
    assert created.status_code == 201 and created.json()["museum_id"] == world.other_museum.pk
    assert send(client, world.admin, body | {"museum_id": 999999}).json()["errors"][0]["field"] == "museum_id"


def test_an_expert_posts_offers_only(client, world):
    expert_create(by=None, name="冯雅琴", organisation="山西考古研究院", areas=["conservation"], user=world.expert)
    body = {"kind": "offer", "area": "conservation", "title": "壁画保护咨询", "description": "线上会诊"}
    created = send(client, world.expert, body)
    assert created.status_code == 201 and created.json()["expert_id"] and created.json()["museum_id"] is None
    refused = send(client, world.expert, body | {"kind": "need"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kind"


def test_bad_input_is_refused_field_by_field(client, world):
    off = subtype_add(by=world.admin, area="conservation", name="已停用")
    subtype_update(by=world.admin, subtype=off, name="已停用", is_active=False)
    response = send(client, world.helped_staff, {
        "kind": "need", "area": "conservation", "title": "", "description": "说明", "capacity": 99})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"title", "capacity"}
    response = send(client, world.helped_staff, {
        "kind": "need", "area": "conservation", "title": "标题", "description": "说明",
        "regions": [division("140000").pk]})
    assert {e["field"] for e in response.json()["errors"]} == {"regions"}
    # A switched-off sub-type is refused by the service, as on the pages, and reported on the API's field.
    response = send(client, world.helped_staff, {
        "kind": "need", "area": "conservation", "title": "标题", "description": "说明", "subtype_id": off.pk})
    assert response.json()["errors"] == [{"field": "subtype_id", "message": "这个子类已停用，请选择其他子类。"}]
    past = send(client, world.helped_staff, {"kind": "need", "area": "conservation", "title": "标题",
                                             "description": "说明", "until": "2020-01-01"})
    assert past.json()["errors"] == [{"field": "until", "message": "日期不能早于今天。"}]
    assert not Post.objects.exists()


def test_posting_needs_a_token_and_a_role_that_may_post(client, world):
    body = {"kind": "need", "area": "conservation", "title": "标题", "description": "说明"}
    assert client.post(POSTS, json.dumps(body), content_type="application/json").status_code == 401
    assert send(client, world.province_supervisor, body).status_code == 403
    assert send(client, world.expert, body | {"kind": "offer"}).status_code == 403  # no expert-pool record
    other = send(client, world.helped_staff, body | {"museum_id": world.helper_museum.pk})
    assert other.status_code == 403 and other.json()["detail"] == "只能以本馆名义发布供需信息。"
    assert not Post.objects.exists()


def test_the_matches_take_the_same_queries_for_two_matches_as_for_twelve(client, world, django_assert_num_queries,
                                                                         django_assert_max_num_queries):
    mine = need(world)
    for i in range(14):
        offer(world, f"壁画修复培训{i}", regions=[division("140100"), division("141000")])
    client.get(f"{POSTS}/{mine.pk}/matches?limit=2")  # (the thesaurus and the sessions warm up)
    with django_assert_max_num_queries(20) as two:
        assert len(client.get(f"{POSTS}/{mine.pk}/matches?limit=2").json()["items"]) == 2
    with django_assert_num_queries(len(two.captured_queries)):
        items = client.get(f"{POSTS}/{mine.pk}/matches?limit=12").json()["items"]
    assert len(items) == 12
    assert all(sorted(i["post"]["region_ids"]) == sorted([division("140100").pk, division("141000").pk])
               for i in items)
