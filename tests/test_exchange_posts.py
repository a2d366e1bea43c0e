"""The exchange's posts: the lifecycle through the pages (moderation off and on), edits kept in the history, who may
post and edit what, a post from the registry in one step, the expiry job, who sees the contact details, and the
search page (the public board)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from bangfu.core.models import AuditEntry
from bangfu.exchange.models import ExchangeRules, Post, PostStatus, Subtype, Thread
from bangfu.exchange.services import (
    post_create,
    post_from_registry,
    post_update,
    post_withdraw,
    rules_update,
)
from bangfu.exchange.tasks import expire_posts
from bangfu.experts.services import expert_create
from bangfu.notifications.models import Notification
from bangfu.places.models import Division

from .exchange_access_posts import registry_row

pytestmark = pytest.mark.django_db

NEED = {"area": "conservation", "title": "馆藏壁画修复指导", "description": "明代壁画起甲酥碱，需要专家现场指导。"}


def _need(world, *, by=None, publish=True, **fields):
    return post_create(by=by or world.helped_admin, kind="need", **(NEED | fields), publish=publish)


def _form(**fields):
    return {"kind": "need", "area": "conservation", "title": "彩塑病害检测",
            "description": "馆藏彩塑出现裂隙和颜料脱落。", "contact_visibility": "signed_in",
            "action": "publish"} | fields


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="bangfu.accounts.backends.AccountBackend")
    return client


@pytest.fixture
def expert_profile(world):
    return expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院", areas=["conservation"],
                         user=world.expert)


# --- the lifecycle ------------------------------------------------------------------------------------------


def test_a_museum_publishes_a_need_at_once_when_the_association_does_not_review(world):
    response = _client(world.helped_admin).post(reverse("exchange:create"), _form())
    post = Post.objects.get(title="彩塑病害检测")
    assert response.status_code == 302 and response["Location"] == reverse("exchange:detail", args=[post.pk])
    assert post.status == PostStatus.PUBLISHED and post.museum == world.helped_museum and post.published_at
    assert post.city_id == world.helped_museum.city_id  # the museum's city when none is chosen
    assert "彩塑病害检测" in _client().get(reverse("exchange:search")).content.decode()


def test_a_draft_saved_from_the_form_stays_private_until_published(world):
    _client(world.helped_staff).post(reverse("exchange:create"), _form(action="draft"))
    post = Post.objects.get(title="彩塑病害检测")
    assert post.status == PostStatus.DRAFT
    assert "彩塑病害检测" not in _client().get(reverse("exchange:search")).content.decode()
    assert _client().get(reverse("exchange:detail", args=[post.pk])).status_code == 404
    assert _client(world.outsider).get(reverse("exchange:detail", args=[post.pk])).status_code == 404
    assert _client(world.helped_admin).get(reverse("exchange:detail", args=[post.pk])).status_code == 200

    _client(world.helped_admin).post(reverse("exchange:publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert _client().get(reverse("exchange:detail", args=[post.pk])).status_code == 200


def test_with_moderation_on_a_post_waits_for_the_association_and_is_public_once_approved(world):
    rules_update(by=world.admin, moderation=True)
    page = _client(world.helped_admin).get(reverse("exchange:create")).content.decode()
    assert "提交审核" in page
    _client(world.helped_admin).post(reverse("exchange:create"), _form())
    post = Post.objects.get(title="彩塑病害检测")
    assert post.status == PostStatus.PENDING and post.published_at is None
    assert "彩塑病害检测" not in _client().get(reverse("exchange:search")).content.decode()
    review = _client(world.admin).get(reverse("exchange:review")).content.decode()
    assert "彩塑病害检测" in review

    assert _client(world.helped_admin).post(reverse("exchange:approve", args=[post.pk])).status_code == 403
    _client(world.admin).post(reverse("exchange:approve", args=[post.pk]), {"next": "review"})
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at
    assert "彩塑病害检测" in _client().get(reverse("exchange:search")).content.decode()


def test_the_association_returns_a_post_with_a_reason_which_its_owner_reads(world):
    rules_update(by=world.admin, moderation=True)
    post = _need(world)
    assert post.status == PostStatus.PENDING
    admin = _client(world.admin)
    admin.post(reverse("exchange:return", args=[post.pk]), {"reason": ""})
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING  # no reason, no return
    admin.post(reverse("exchange:return", args=[post.pk]), {"reason": "请写明壁画面积和病害位置"})
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT and post.close_reason == "请写明壁画面积和病害位置"
    page = _client(world.helped_staff).get(reverse("exchange:detail", args=[post.pk])).content.decode()
    assert "请写明壁画面积和病害位置" in page


def test_the_owner_is_told_when_the_association_returns_or_approves_a_post(world):
    from bangfu.exchange.services import post_approve, post_publish, post_return
    from bangfu.notifications.models import Notification

    rules_update(by=world.admin, moderation=True)
    post = _need(world)
    post_return(post=post, by=world.admin, reason="请写明壁画面积")
    told = Notification.objects.filter(user=world.helped_staff).order_by("id")
    assert told.last().title.startswith("供需信息被退回修改") and "请写明壁画面积" in told.last().body
    post_publish(post=post, by=world.helped_staff)
    post_approve(post=post, by=world.admin)
    assert told.last().title.startswith("供需信息已通过审核并公开")
    assert not Notification.objects.filter(user=world.helper_staff, title__contains="审核").exists()


def test_moderation_is_switched_by_the_association_only_and_audited(world):
    admin = _client(world.admin)
    admin.post(reverse("exchange:review"), {"moderation": "on"})
    assert ExchangeRules.current().moderation is True
    assert AuditEntry.objects.filter(action="开启发布审核").exists()
    admin.post(reverse("exchange:review"), {"moderation": "off"})
    assert ExchangeRules.current().moderation is False
    assert _client(world.helped_admin).post(reverse("exchange:review"), {"moderation": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        rules_update(by=world.helped_admin, moderation=True)
    assert ExchangeRules.current().moderation is False


def test_the_associations_own_posts_need_no_review(world):
    rules_update(by=world.admin, moderation=True)
    post = _need(world, by=world.admin, museum=world.helped_museum)
    assert post.status == PostStatus.PUBLISHED and post.created_by == world.admin


def test_edits_after_publishing_are_kept_in_the_history(world):
    post = _need(world)
    response = _client(world.helped_admin).post(reverse("exchange:edit", args=[post.pk]), _form(
        title="馆藏壁画与彩塑修复指导", description=post.description, area="conservation", action="save"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "馆藏壁画与彩塑修复指导"
    entry = AuditEntry.objects.for_object(post).get(action="修改已发布的供需信息")
    assert entry.changes["title"] == ["馆藏壁画修复指导", "馆藏壁画与彩塑修复指导"]
    page = _client(world.helped_admin).get(reverse("exchange:detail", args=[post.pk])).content.decode()
    assert "修改已发布的供需信息" in page and "馆藏壁画修复指导 → 馆藏壁画与彩塑修复指导" in page


def test_bad_input_is_answered_beside_the_fields_in_chinese(world):
    other_area = Subtype.objects.filter(area="education").first()
    response = _client(world.helped_admin).post(reverse("exchange:create"), _form(
        title="", subtype=other_area.pk, until="2020-01-01"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写标题。" in page
    assert not Post.objects.exists()
    response = _client(world.helped_admin).post(reverse("exchange:create"), _form(subtype=other_area.pk,
                                                                                 until="2020-01-01"))
    page = response.content.decode()
    assert "子类不属于所选领域。" in page and "日期不能早于今天。" in page
    assert not Post.objects.exists()


def test_withdrawing_needs_a_reason(world):
    post = _need(world)
    owner = _client(world.helped_admin)
    response = owner.post(reverse("exchange:withdraw", args=[post.pk]), {"reason": "  "}, follow=True)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and "撤回时请说明原因。" in response.content.decode()
    with pytest.raises(ValidationError):
        post_withdraw(post=post, by=world.helped_admin, reason="")
    owner.post(reverse("exchange:withdraw", args=[post.pk]), {"reason": "已由省博协调解决"})
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN and post.close_reason == "已由省博协调解决"
    assert "馆藏壁画修复指导" not in _client().get(reverse("exchange:search")).content.decode()
    assert _client(world.helped_admin).get(reverse("exchange:edit", args=[post.pk])).status_code == 302


# --- who may post and edit ------------------------------------------------------------------------------------


def test_an_outsider_cannot_edit_or_withdraw_a_post(world):
    post = _need(world)
    draft = _need(world, publish=False, title="未发布的草稿")
    outsider = _client(world.outsider_admin)
    assert outsider.get(reverse("exchange:edit", args=[post.pk])).status_code == 403
    assert outsider.post(reverse("exchange:edit", args=[post.pk]), _form(title="改掉")).status_code == 403
    assert outsider.post(reverse("exchange:withdraw", args=[post.pk]), {"reason": "x"}).status_code == 403
    assert outsider.get(reverse("exchange:edit", args=[draft.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        post_update(post=post, by=world.outsider_admin, data={"title": "改掉"})
    post.refresh_from_db()
    assert post.title == NEED["title"] and post.status == PostStatus.PUBLISHED


def test_a_museum_user_cannot_post_for_another_museum(world):
    with pytest.raises(PermissionDenied):
        _need(world, by=world.helped_admin, museum=world.other_museum)
    # The page has no museum field for museum staff: a forged one is ignored, the post is their own museum's.
    _client(world.helped_staff).post(reverse("exchange:create"), _form(museum=world.other_museum.pk))
    assert Post.objects.get(title="彩塑病害检测").museum == world.helped_museum
    assert not Post.objects.filter(museum=world.other_museum).exists()


def test_the_association_posts_for_the_museum_it_picks(world):
    page = _client(world.admin).get(reverse("exchange:create")).content.decode()
    assert 'name="museum"' in page and "data-search-select" in page
    response = _client(world.admin).post(reverse("exchange:create"), _form())
    assert response.status_code == 400 and "请选择发布的博物馆。" in response.content.decode()
    _client(world.admin).post(reverse("exchange:create"), _form(museum=world.other_museum.pk))
    assert Post.objects.get(title="彩塑病害检测").museum == world.other_museum


def test_an_expert_may_post_offers_only(world, expert_profile):
    with pytest.raises(ValidationError) as refused:
        post_create(by=world.expert, kind="need", **NEED)
    assert refused.value.message_dict["kind"] == ["专家只能发布供给信息。"]
    page = _client(world.expert).get(reverse("exchange:create") + "?kind=need").content.decode()
    assert "发布供给" in page and "可服务馆数" in page and "专家只能发布供给信息。" in page
    _client(world.expert).post(reverse("exchange:create"), _form(kind="offer", capacity="4",
                                                                 title="壁画修复现场指导"))
    offer = Post.objects.get(title="壁画修复现场指导")
    assert offer.kind == "offer" and offer.expert == expert_profile and offer.museum is None and offer.capacity == 4
    assert _client(world.expert).get(reverse("exchange:mine")).content.decode().count('data-testid="post"') == 1


def test_the_form_labels_follow_the_kind_of_post(world):
    need = _client(world.helped_admin).get(reverse("exchange:create") + "?kind=need").content.decode()
    offer = _client(world.helper_admin).get(reverse("exchange:create") + "?kind=offer").content.decode()
    assert "希望完成日期" in need and "预算" in need and "可服务馆数" not in need
    assert "可提供至" in offer and "费用条件" in offer and "可服务馆数" in offer
    assert 'data-area-select="id_area"' in need and '<optgroup label="文物保护">' in need


# --- from the registry ------------------------------------------------------------------------------------------


def test_a_registry_need_becomes_a_draft_in_one_step_and_not_twice(world):
    row = registry_row(world.helped_museum, by=world.helped_admin, kind="need", area="exhibition",
                       text="希望引进一个成熟的巡回展览。并培训本馆讲解员")
    mine = _client(world.helped_staff).get(reverse("exchange:mine")).content.decode()
    assert reverse("exchange:from_registry", args=[row.pk]) in mine

    response = _client(world.helped_staff).post(reverse("exchange:from_registry", args=[row.pk]))
    post = Post.objects.get(from_registry=row)
    assert response["Location"] == reverse("exchange:edit", args=[post.pk])
    assert post.status == PostStatus.DRAFT and post.kind == "need" and post.area == "exhibition"
    assert post.title == "【需求】展览策划：希望引进一个成熟的巡回展览"
    assert post.description == "希望引进一个成熟的巡回展览。并培训本馆讲解员"
    assert post.museum == world.helped_museum

    again = _client(world.helped_staff).post(reverse("exchange:from_registry", args=[row.pk]), follow=True)
    assert again.redirect_chain[-1][0] == reverse("exchange:detail", args=[post.pk])
    assert "这项登记已转为供需信息" in again.content.decode()
    assert Post.objects.filter(from_registry=row).count() == 1
    mine = _client(world.helped_staff).get(reverse("exchange:mine")).content.decode()
    assert reverse("exchange:from_registry", args=[row.pk]) not in mine and "已转为" in mine

    # Nobody else learns of the draft by trying.
    outsider = _client(world.outsider_admin).post(reverse("exchange:from_registry", args=[row.pk]))
    assert outsider.status_code == 403
    post_withdraw(post=post, by=world.helped_admin, reason="重新整理")  # closed: the row may be posted again
    assert post_from_registry(museum_area=row, by=world.helped_admin).pk != post.pk


def test_a_registry_offer_keeps_its_capacity_and_only_the_museums_staff_post_it(world):
    row = registry_row(world.helper_museum, by=world.helper_admin, kind="offer", area="people", text="", capacity=3)
    assert _client(world.outsider).post(reverse("exchange:from_registry", args=[row.pk])).status_code == 403
    post = post_from_registry(museum_area=row, by=world.helper_staff)
    assert (post.kind, post.capacity, post.title) == ("offer", 3, "【供给】人才培养")
    assert "请补充说明" in post.description


# --- the expiry job -------------------------------------------------------------------------------------------


def test_the_expiry_job_takes_posts_past_their_date_off_and_tells_their_owners(world, expert_profile):
    today = timezone.localdate()
    due = _need(world, until=today + datetime.timedelta(days=3))
    offer = post_create(by=world.expert, kind="offer", area="conservation", title="专家会诊",
                        description="可提供会诊。", until=today + datetime.timedelta(days=3), publish=True)
    later = _need(world, title="明年的需求", until=today + datetime.timedelta(days=30))
    draft = _need(world, title="草稿", publish=False, until=today + datetime.timedelta(days=3))
    with freeze_time(today + datetime.timedelta(days=5)):
        result = expire_posts.call()
        assert expire_posts.call() == {"expired": 0, "notified": 0}  # run twice: nothing more
    assert result["expired"] == 2
    for post, status in ((due, "expired"), (offer, "expired"), (later, "published"), (draft, "draft")):
        post.refresh_from_db()
        assert post.status == status
    told = set(Notification.objects.filter(key=f"exchange-expired-{due.pk}").values_list("user__username", flat=True))
    assert told == {"helped_admin", "helped_staff"}
    assert Notification.objects.filter(key=f"exchange-expired-{offer.pk}", user=world.expert).exists()
    entry = AuditEntry.objects.for_object(due).get(to_status="expired")
    assert entry.actor.is_system


# --- contact details ------------------------------------------------------------------------------------------


def _phone_shown(client, post) -> bool:
    return "0351-7654321" in client.get(reverse("exchange:detail", args=[post.pk])).content.decode()


@pytest.mark.parametrize(("visibility", "anonymous", "signed_in", "respondent"), [
    ("public", True, True, True),
    ("signed_in", False, True, True),
    ("parties", False, False, True),
])
def test_contact_details_are_shown_as_the_owner_chose(world, visibility, anonymous, signed_in, respondent):
    post = _need(world, contact_phone="0351-7654321", contact_visibility=visibility)
    assert _phone_shown(_client(), post) is anonymous
    assert _phone_shown(_client(world.outsider), post) is signed_in
    assert _phone_shown(_client(world.helped_staff), post)  # the owner
    assert _phone_shown(_client(world.admin), post)  # the association
    # A respondent: the helper museum's thread on the post. (Built directly: the threads' service is the
    # threads part's; the rule under test reads threads only.)
    Thread.objects.create(post=post, poster_museum=world.helped_museum, responder_museum=world.helper_museum,
                          started_by=world.helper_admin)
    assert _phone_shown(_client(world.helper_staff), post) is respondent
    assert _phone_shown(_client(world.outsider), post) is signed_in
    # Never on the search page.
    assert "0351-7654321" not in _client(world.admin).get(reverse("exchange:search")).content.decode()


# --- the search page ------------------------------------------------------------------------------------------


@pytest.fixture
def board(world):
    taiyuan = Division.objects.get(code="140100")
    linfen = Division.objects.get(code="141000")
    posts = {
        "mural": _need(world, title="壁画修复指导", city=linfen),
        "tour": post_create(by=world.helper_admin, kind="offer", area="exhibition", title="晋国青铜器巡展",
                            description="成熟展览可巡展到县级博物馆。", city=taiyuan, capacity=3, publish=True),
        "school": post_create(by=world.helped_admin, kind="need", area="education", title="研学课程",
                              description="为县城小学设计研学课程。", publish=True,
                              subtype=Subtype.objects.get(area="education", name="研学课程")),
        "draft": _need(world, title="秘密草稿", publish=False),
    }
    withdrawn = _need(world, title="撤回的需求")
    post_withdraw(post=withdrawn, by=world.helped_admin, reason="不需要了")
    posts["withdrawn"] = withdrawn
    return posts


def _titles(params: dict, user=None) -> set[str]:
    response = _client(user).get(reverse("exchange:search"), params)
    assert response.status_code == 200
    return {p.title for p in response.context["page"].object_list}


def test_the_search_page_lists_published_posts_to_everyone_and_never_drafts(world, board):
    everyone = {"壁画修复指导", "晋国青铜器巡展", "研学课程"}
    assert _titles({}) == everyone
    assert _titles({}, world.admin) == everyone  # the association's review is elsewhere
    assert _titles({}, world.helped_admin) == everyone  # its own draft too
    assert _titles({"status": "draft"}) == everyone  # not a status the board offers


def test_the_search_page_filters_by_kind_area_subtype_city_status_and_date(world, board):
    assert _titles({"kind": "offer"}) == {"晋国青铜器巡展"}
    assert _titles({"area": "conservation"}) == {"壁画修复指导"}
    assert _titles({"subtype": Subtype.objects.get(area="education", name="研学课程").pk}) == {"研学课程"}
    assert _titles({"city": Division.objects.get(code="140100").pk}) == {"晋国青铜器巡展"}
    assert _titles({"status": "published", "kind": "need"}) == {"壁画修复指导", "研学课程"}
    assert _titles({"status": "completed"}) == set()
    today = timezone.localdate()
    assert _titles({"since": str(today)}) == {"壁画修复指导", "晋国青铜器巡展", "研学课程"}
    assert _titles({"before": str(today)}) == set()
    assert _titles({"since": "not-a-date", "city": "²", "subtype": "99999999999999"}) == {
        "壁画修复指导", "晋国青铜器巡展", "研学课程"}


def test_the_search_page_counts_posts_by_area_under_the_other_filters(world, board):
    response = _client().get(reverse("exchange:search"), {"kind": "need", "area": "education"})
    counts = {area: n for area, _, n in response.context["area_counts"]}
    assert counts["conservation"] == 1 and counts["education"] == 1 and counts["exhibition"] == 0


def test_the_htmx_results_fragment_holds_the_results_only(world, board):
    response = _client().get(reverse("exchange:search"), {"kind": "offer"}, headers={
        "HX-Request": "true", "HX-Target": "results"})
    page = response.content.decode()
    assert "晋国青铜器巡展" in page and "<html" not in page and 'id="filters"' not in page


def test_the_post_buttons_are_for_those_who_may_post(world, expert_profile):
    need, offer = reverse("exchange:create") + "?kind=need", reverse("exchange:create") + "?kind=offer"
    museum = _client(world.helped_staff).get(reverse("exchange:search")).content.decode()
    assert need in museum and offer in museum
    expert = _client(world.expert).get(reverse("exchange:search")).content.decode()
    assert need not in expert and offer in expert
    for user in (None, world.province_supervisor):
        page = _client(user).get(reverse("exchange:search")).content.decode()
        assert need not in page and offer not in page


def test_the_search_pages_query_count_does_not_grow_with_its_rows(world, django_assert_num_queries):
    client = _client(world.helped_staff)
    client.get(reverse("exchange:search"))  # the session, the user and the rules' row are read once first
    _need(world, title="第一条")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("exchange:search"))
    for n in range(12):
        post_create(by=world.helper_admin, kind="offer", area="creative", title=f"文创合作 {n}",
                    description="联合开发县域特色文创产品。", city=Division.objects.get(code="140100"), publish=True)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("exchange:search"))
    assert len(response.context["page"].object_list) == 13


def test_my_posts_list_every_status_drafts_first_with_counts(world):
    _need(world, title="已发布")
    _need(world, title="草稿一", publish=False)
    post_withdraw(post=_need(world, title="撤回"), by=world.helped_admin, reason="不需要了")
    response = _client(world.helped_staff).get(reverse("exchange:mine"))
    titles = [p.title for p in response.context["page"].object_list]
    assert titles[0] == "草稿一" and set(titles) == {"已发布", "草稿一", "撤回"}
    counts = {v: n for v, _, n in response.context["status_counts"]}
    assert counts == {"draft": 1, "published": 1, "withdrawn": 1}
    only = _client(world.helped_staff).get(reverse("exchange:mine"), {"status": "withdrawn"})
    assert [p.title for p in only.context["page"].object_list] == ["撤回"]
    assert list(_client(world.outsider).get(reverse("exchange:mine")).context["page"].object_list) == []


# --- attachments ----------------------------------------------------------------------------------------------


def test_the_owner_attaches_and_removes_files_while_the_post_is_open(world):
    post = _need(world)
    owner = _client(world.helped_staff)
    owner.post(reverse("exchange:attachment_add", args=[post.pk]),
               {"link": "https://example.org/mural", "caption": "壁画现状"})
    link = post.attachments.get()
    assert link.caption == "壁画现状"
    assert "壁画现状" in _client().get(reverse("exchange:detail", args=[post.pk])).content.decode()
    outsider = _client(world.outsider)
    assert outsider.post(reverse("exchange:attachment_add", args=[post.pk]), {"link": "https://x.org"}).status_code \
        == 403
    assert outsider.post(reverse("exchange:attachment_remove", args=[link.pk])).status_code == 403
    bad = owner.post(reverse("exchange:attachment_add", args=[post.pk]), {"caption": "空的"})
    assert bad.status_code == 400 and "请上传一个文件或填写一个链接" in bad.content.decode()

    post_withdraw(post=post, by=world.helped_admin, reason="不需要了")
    owner.post(reverse("exchange:attachment_remove", args=[link.pk]))
    assert post.attachments.count() == 1  # a closed post keeps its files
    closed = owner.post(reverse("exchange:attachment_add", args=[post.pk]), {"link": "https://example.org/2"})
    assert closed.status_code == 400 and post.attachments.count() == 1


def test_the_owner_removes_an_attachment(world):
    post = _need(world)
    owner = _client(world.helped_admin)
    owner.post(reverse("exchange:attachment_add", args=[post.pk]), {"link": "https://example.org/mural"})
    owner.post(reverse("exchange:attachment_remove", args=[post.attachments.get().pk]))
    assert post.attachments.count() == 0
    assert AuditEntry.objects.for_object(post).filter(action__startswith="删除").exists()


# --- fixes after review ----------------------------------------------------------------------------------------

TERMS = "派 2 名专家到馆检测 3 天，差旅由发布方承担。"


def _offer(world, capacity, **fields):
    return post_create(by=world.helper_admin, kind="offer", area="conservation", title="青铜器 X 射线探伤与成分检测",
                       description="文保实验室开放检测分析。", capacity=capacity, publish=True, **fields)


def _match(world, offer, responder):
    from bangfu.exchange.threads import thread_confirm_match, thread_start

    thread, _ = thread_start(post=offer, by=responder, message="我们需要检测。")
    thread_confirm_match(thread=thread, by=responder, terms=TERMS)
    return thread_confirm_match(thread=thread, by=world.helper_admin, terms=TERMS)


def test_raising_a_full_offers_capacity_reopens_it_for_responses(world):
    offer = _offer(world, capacity=1)
    _match(world, offer, world.helped_admin)
    offer.refresh_from_db()
    assert offer.status == PostStatus.MATCHED
    post_update(post=offer, by=world.helper_admin, data={"capacity": 3})
    offer.refresh_from_db()
    assert offer.status == PostStatus.TALKS and offer.is_open
    assert world.outsider_admin.has_perm("exchange.respond_post", offer)


def test_lowering_an_offers_capacity_to_the_places_taken_makes_it_matched_and_tells_the_waiting(world):
    from bangfu.exchange.threads import thread_start

    from .factories import make_museum, make_user

    offer = _offer(world, capacity=3)
    _match(world, offer, world.helped_admin)
    _match(world, offer, make_user("museum_admin", museum=make_museum("古县博物馆", county="141025")))
    waiting, _ = thread_start(post=offer, by=world.outsider_admin, message="我们也想要。")
    post_update(post=offer, by=world.helper_admin, data={"capacity": 2})
    offer.refresh_from_db()
    assert offer.status == PostStatus.MATCHED
    assert waiting.messages.filter(side="system", body__contains="名额已满").exists()
    assert Notification.objects.filter(user=world.outsider_admin, key=f"exchange-full-{waiting.pk}").exists()


def test_an_offers_capacity_cannot_drop_below_the_museums_already_matched(world):
    from .factories import make_museum, make_user

    offer = _offer(world, capacity=3)
    _match(world, offer, world.helped_admin)
    _match(world, offer, make_user("museum_admin", museum=make_museum("古县博物馆", county="141025")))
    with pytest.raises(ValidationError) as refused:
        post_update(post=offer, by=world.helper_admin, data={"capacity": 1})
    assert refused.value.message_dict == {"capacity": ["已有 2 家确认对接，可服务馆数不能少于 2。"]}
    offer.refresh_from_db()
    assert offer.capacity == 3 and offer.status == PostStatus.TALKS


def test_with_moderation_on_a_changed_title_or_description_waits_for_the_review_again(world):
    rules_update(by=world.admin, moderation=True)
    post = _need(world, by=world.admin, museum=world.helped_museum)  # published at once: the association's own
    assert post.status == PostStatus.PUBLISHED
    post_update(post=post, by=world.helped_admin, data={"terms": "预算 2 万元"})
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.terms == "预算 2 万元"
    assert AuditEntry.objects.filter(action="修改已发布的供需信息", object_id=post.pk).count() == 1
    client = _client(world.helped_admin)
    response = client.post(reverse("exchange:edit", args=[post.pk]),
                           _form(title="馆藏壁画修复指导（含彩绘）", description=post.description, action="save"),
                           follow=True)
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING
    assert "需经协会重新审核" in response.content.decode()
    assert Notification.objects.filter(user=world.helped_staff, title__contains="重新审核").exists()
    assert post.pk not in {p.pk for p in Post.objects.published()}
    assert AuditEntry.objects.filter(action="修改后重新提交审核", object_id=post.pk).exists()


def test_the_associations_edits_stay_published_with_moderation_on(world):
    rules_update(by=world.admin, moderation=True)
    post = _need(world, by=world.admin, museum=world.helped_museum)
    post_update(post=post, by=world.admin, data={"title": "馆藏壁画修复指导（协会修改）"})
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_a_post_in_talks_approved_again_goes_back_to_talks_keeping_its_date(world):
    from bangfu.exchange.services import post_approve
    from bangfu.exchange.threads import thread_confirm_match, thread_start

    post = _need(world)
    published_at = Post.objects.get(pk=post.pk).published_at
    thread, _ = thread_start(post=post, by=world.helper_admin, message="我们可以帮忙。")
    rules_update(by=world.admin, moderation=True)
    post_update(post=post, by=world.helped_admin, data={"description": "明代壁画起甲酥碱，急需专家指导。"})
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING
    page = _client(world.helper_admin).get(reverse("exchange:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="post-pending"' in page and 'data-testid="message-form"' in page
    with pytest.raises(ValidationError, match="待审核"):
        thread_confirm_match(thread=thread, by=world.helper_admin, terms=TERMS)
    post_approve(post=post, by=world.admin)
    post.refresh_from_db()
    assert post.status == PostStatus.TALKS and post.published_at == published_at


def test_a_museum_whose_thread_closed_may_respond_again_from_the_page(world):
    from bangfu.exchange.threads import thread_close, thread_start

    post = _need(world)
    thread, _ = thread_start(post=post, by=world.helper_admin, message="我们可以帮忙。")
    client = _client(world.helper_admin)
    assert 'data-testid="respond-form"' not in client.get(reverse("exchange:detail", args=[post.pk])).content.decode()
    thread_close(thread=thread, by=world.helped_admin, reason="已与其他单位商量。")
    page = client.get(reverse("exchange:detail", args=[post.pk])).content.decode()
    assert 'data-testid="respond-form"' in page and 'data-testid="continue-thread"' not in page


def test_editing_a_post_keeps_its_switched_off_sub_type_but_a_new_choice_of_one_is_refused(world):
    from bangfu.exchange.vocabulary import subtype_add, subtype_update

    kept = subtype_add(by=world.admin, area="conservation", name="壁画揭取")
    post = _need(world, subtype=kept)
    subtype_update(by=world.admin, subtype=kept, name="壁画揭取", is_active=False)
    client = _client(world.helped_admin)
    page = client.get(reverse("exchange:edit", args=[post.pk])).content.decode()
    assert f'<option value="{kept.pk}" selected>壁画揭取（已停用）</option>' in page
    client.post(reverse("exchange:edit", args=[post.pk]),
                _form(title="壁画揭取指导", subtype=kept.pk, action="save"))
    post.refresh_from_db()
    assert post.subtype_id == kept.pk and post.title == "壁画揭取指导"
    other = _need(world, title="另一条需求")
    with pytest.raises(ValidationError) as refused:
        post_update(post=other, by=world.helped_admin, data={"subtype": kept})
    assert refused.value.message_dict == {"subtype": ["这个子类已停用，请选择其他子类。"]}
    with pytest.raises(ValidationError, match="已停用"):
        _need(world, title="新的需求", subtype=kept)


def test_a_draft_past_its_date_is_not_published_or_approved(world):
    from bangfu.exchange.services import post_approve, post_publish

    with freeze_time(timezone.localdate() - datetime.timedelta(days=10)):
        draft = _need(world, publish=False, until=timezone.localdate() + datetime.timedelta(days=3))
        rules_update(by=world.admin, moderation=True)
        pending = _need(world, title="待审核的需求", until=timezone.localdate() + datetime.timedelta(days=3))
    assert pending.status == PostStatus.PENDING
    for act in (lambda: post_publish(post=draft, by=world.helped_admin),
                lambda: post_approve(post=pending, by=world.admin)):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.message_dict == {"until": ["有效期已过，请修改后再发布。"]}
    assert Post.objects.get(pk=draft.pk).status == PostStatus.DRAFT
    assert Post.objects.get(pk=pending.pk).status == PostStatus.PENDING


def test_the_draft_banner_names_the_supervisor_and_a_parties_only_contact_says_how_to_see_it(world):
    draft = _need(world, publish=False)
    page = _client(world.helped_admin).get(reverse("exchange:detail", args=[draft.pk])).content.decode()
    assert "草稿：只有发布方、协会和主管单位能看到。" in page
    post = _need(world, title="仅对接方可见", contact_visibility="parties", contact_phone="0351-1234567")
    page = _client().get(reverse("exchange:detail", args=[post.pk])).content.decode()
    assert "联系方式仅对对接方可见，响应后可以看到。" in page and "0351-1234567" not in page
    assert "仅对平台用户可见" not in page


def test_a_search_without_any_searchable_word_says_so_and_lists_everything(world):
    _need(world)
    page = Client().get(reverse("exchange:search"), {"q": "的！"}).content.decode()
    assert "中没有可以检索的词" in page and "按相关程度排列" not in page


def test_an_unknown_city_in_the_search_is_ignored_like_other_bad_values(world):
    _need(world)
    page = Client().get(reverse("exchange:search"), {"city": "999999"}).content.decode()
    assert 'data-testid="result-count">共 1 条' in page
