"""对接 threads: a response opens a private thread; messages with attachments; both sides confirm the same terms;
both complete and rate each other; one ledger entry. Capacity of offers, who sees a thread, refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.core.models import Attachment
from bangfu.exchange.models import Message, PostStatus, Rating, Thread, ThreadStatus
from bangfu.exchange.services import post_create, post_expire, post_withdraw
from bangfu.exchange.threads import (
    live_thread_of,
    message_post,
    thread_close,
    thread_complete,
    thread_confirm_match,
    thread_start,
)
from bangfu.experts.services import expert_create, expert_update
from bangfu.ledger.models import LedgerEntry
from bangfu.notifications.models import Notification

from .factories import make_museum, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TERMS = "10月派 2 名修复人员到馆指导 3 天，差旅由山西博物院承担。"


def _pdf(name="方案.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _need(world, title="馆藏明代壁画残块的保护修复指导", **fields):
    return post_create(by=world.helped_admin, kind="need", area="conservation", title=title,
                       description="壁画残块起甲、酥碱，希望派员现场指导。", publish=True, **fields)


def _offer(world, capacity=2, **fields):
    return post_create(by=world.helper_admin, kind="offer", area="conservation", title="青铜器 X 射线探伤与成分检测",
                       description="文保实验室开放检测分析。", capacity=capacity, publish=True, **fields)


def _matched(world, post=None, responder=None, poster=None):
    post = post or _need(world)
    thread, _ = thread_start(post=post, by=responder or world.helper_admin, message="我们可以帮忙。")
    thread_confirm_match(thread=thread, by=poster or world.helped_admin, terms=TERMS)
    return thread_confirm_match(thread=thread, by=responder or world.helper_admin, terms=TERMS)


def _expert(world, *, museum=None):
    return expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院", museum=museum,
                         areas=["conservation"], user=world.expert)


# --- the full path --------------------------------------------------------------------------------------------


def test_a_need_goes_from_response_to_one_ledger_entry(world):
    need = _need(world)
    thread, created = thread_start(post=need, by=world.helper_staff, message="我院文保中心可派员指导。")
    assert created and thread.responder_museum == world.helper_museum and thread.poster_museum == world.helped_museum
    need.refresh_from_db()
    assert need.status == PostStatus.TALKS
    assert Notification.objects.filter(user=world.helped_admin, key=f"exchange-thread-{thread.pk}").exists()

    reply = message_post(thread=thread, by=world.helped_staff, body="残块照片见附件。", file=_pdf("照片说明.pdf"))
    assert reply.attachments.get().original_name == "照片说明.pdf"

    thread_confirm_match(thread=thread, by=world.helped_admin, terms=TERMS)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN and thread.poster_confirmed_at and not thread.responder_confirmed_at
    thread = thread_confirm_match(thread=thread, by=world.helper_admin, terms=TERMS)
    assert thread.status == ThreadStatus.MATCHED
    need.refresh_from_db()
    assert need.status == PostStatus.MATCHED

    thread_complete(thread=thread, by=world.helped_admin, score=5, comment="指导细致。")
    assert not LedgerEntry.objects.exists()
    thread = thread_complete(thread=thread, by=world.helper_admin, score="4", comment="配合积极。",
                             quantities={"people_trained": 6, "days": "3", "object_count": 12})
    assert thread.status == ThreadStatus.COMPLETED
    need.refresh_from_db()
    assert need.status == PostStatus.COMPLETED

    entry = LedgerEntry.objects.get()
    assert (entry.helper, entry.helped, entry.area) == (world.helper_museum, world.helped_museum, "conservation")
    assert (entry.people_trained, entry.days, entry.object_count) == (6, Decimal("3.0"), 12)
    assert (entry.source_type, entry.source_id, entry.source_label) == ("exchange.thread", thread.pk, "供需对接")
    assert entry.confirmation == "confirmed" and entry.description == need.title
    assert entry.source_url == reverse("exchange:thread", args=[thread.pk])
    assert sorted(Rating.objects.values_list("side", "score")) == [("poster", 5), ("responder", 4)]


def test_the_thread_page_shows_the_conversation_terms_ratings_and_ledger_link(world, login):
    thread = _matched(world)
    message_post(thread=thread, by=world.helped_admin, body="附件是库房平面图。", file=_pdf("库房平面图.pdf"))
    thread_complete(thread=thread, by=world.helped_admin, score=5, comment="非常专业")
    page = login(world.helper_staff).get(reverse("exchange:thread", args=[thread.pk])).content.decode()
    assert "附件是库房平面图。" in page and "库房平面图" in page and TERMS in page
    assert 'data-testid="complete-form"' in page and 'name="people_trained"' in page  # the helper states numbers
    assert 'data-testid="ratings"' not in page  # one side rated: not shown yet
    thread_complete(thread=thread, by=world.helper_staff, score=4, quantities={"days": 2})
    page = login(world.helped_staff).get(reverse("exchange:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="ratings"' in page and "非常专业" in page
    entry = LedgerEntry.objects.get()
    assert reverse("ledger:detail", args=[entry.pk]) in page
    assert "双方确认对接" in page  # the timeline


def test_the_helped_side_gets_no_quantity_fields(world, login):
    thread = _matched(world)
    page = login(world.helped_admin).get(reverse("exchange:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="complete-form"' in page and 'name="people_trained"' not in page


def test_responding_through_the_page_opens_the_thread_and_a_second_response_joins_it(world, login):
    need = _need(world)
    client = login(world.helper_admin)
    response = client.post(reverse("exchange:respond", args=[need.pk]), {"body": "我们可以派员指导。"})
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exchange:thread", args=[thread.pk])
    client = login(world.helper_staff)
    response = client.post(reverse("exchange:respond", args=[need.pk]), {"body": "补充：可带便携检测设备。"},
                           follow=True)
    assert Thread.objects.count() == 1 and thread.messages.count() == 2
    assert "已发到原来的对接中" in response.content.decode()


def test_a_refused_response_keeps_the_message_in_its_box_with_the_reason_beside_it(world, login):
    need = _need(world)
    client = login(world.helper_admin)
    long_text = "我们可以派员指导。" * 400  # over 3,000 characters
    response = client.post(reverse("exchange:respond", args=[need.pk]), {"body": long_text})
    page = response.content.decode()
    assert response.status_code == 400 and not Thread.objects.exists()
    assert "我们可以派员指导。我们可以派员指导。" in page and "invalid-feedback" in page and "3000" in page
    response = client.post(reverse("exchange:respond", args=[need.pk]), {"body": "  "})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()


def test_messages_confirmations_and_completion_through_the_pages(world, login):
    need = _need(world)
    thread, _ = thread_start(post=need, by=world.helper_admin, message="你好")
    helped, helper = login(world.helped_admin), None
    url = reverse("exchange:message", args=[thread.pk])
    assert helped.post(url, {"body": "请看附件", "file": _pdf()}).status_code == 302
    assert Attachment.objects.filter(exchange_message__thread=thread).count() == 1
    assert helped.post(reverse("exchange:confirm_match", args=[thread.pk]), {"terms": TERMS}).status_code == 302
    helper = login(world.helper_admin)
    assert helper.post(reverse("exchange:confirm_match", args=[thread.pk]), {"terms": TERMS}).status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.MATCHED
    response = helper.post(reverse("exchange:complete", args=[thread.pk]), {"score": "9", "people_trained": "3"})
    assert response.status_code == 400 and "请从列表中选择" in response.content.decode()
    assert helper.post(reverse("exchange:complete", args=[thread.pk]),
                       {"score": "5", "people_trained": "3", "days": "1.5"}).status_code == 302
    helped = login(world.helped_admin)
    assert helped.post(reverse("exchange:complete", args=[thread.pk]), {"score": "4"}).status_code == 302
    assert LedgerEntry.objects.get().days == Decimal("1.5")


def test_the_response_form_for_the_post_page_posts_to_respond_or_links_to_the_thread_under_way(world, rf):
    need = _need(world)
    assert live_thread_of(world.helper_staff, need) is None
    form = render_to_string("exchange/threads/_respond_form.html", {"post": need, "thread": None},
                            request=rf.get("/"))
    assert reverse("exchange:respond", args=[need.pk]) in form and 'name="body"' in form
    thread, _ = thread_start(post=need, by=world.helper_admin, message="你好")
    assert live_thread_of(world.helper_staff, need) == thread
    form = render_to_string("exchange/threads/_respond_form.html", {"post": need, "thread": thread})
    assert reverse("exchange:thread", args=[thread.pk]) in form and "继续对接" in form


# --- terms --------------------------------------------------------------------------------------------------


def test_the_other_side_cannot_confirm_different_terms_and_is_shown_the_confirmed_ones(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    thread_confirm_match(thread=thread, by=world.helped_admin, terms=TERMS)
    with pytest.raises(ValidationError) as refused:
        thread_confirm_match(thread=thread, by=world.helper_admin, terms="派 1 人指导 1 天。")
    assert TERMS in refused.value.message_dict["terms"][0]
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN and thread.responder_confirmed_at is None


def test_spacing_and_line_endings_do_not_make_terms_different(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    thread_confirm_match(thread=thread, by=world.helped_admin, terms="第一条  \r\n\r\n第二条")
    assert thread_confirm_match(thread=thread, by=world.helper_admin, terms="第一条\n第二条").status == "matched"


def test_the_first_side_may_change_its_terms_until_the_other_confirms(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    thread_confirm_match(thread=thread, by=world.helped_admin, terms="旧条件")
    thread_confirm_match(thread=thread, by=world.helped_staff, terms=TERMS)
    assert thread_confirm_match(thread=thread, by=world.helper_admin, terms=TERMS).status == "matched"


def test_terms_are_required(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    with pytest.raises(ValidationError) as refused:
        thread_confirm_match(thread=thread, by=world.helped_admin, terms="  ")
    assert "terms" in refused.value.message_dict


# --- capacity -------------------------------------------------------------------------------------------------


def test_an_offer_for_two_stays_open_after_one_match_and_closes_after_the_second(world):
    offer = _offer(world, capacity=2)
    second_museum = make_museum("安泽县文物馆", county="141026")
    second_admin = make_user("museum_admin", museum=second_museum)
    _matched(world, post=offer, responder=world.helped_admin, poster=world.helper_admin)
    offer.refresh_from_db()
    assert offer.status == PostStatus.TALKS and offer.is_open
    _matched(world, post=offer, responder=second_admin, poster=world.helper_admin)
    offer.refresh_from_db()
    assert offer.status == PostStatus.MATCHED


def test_a_full_offer_refuses_a_third_match_and_tells_the_waiting_thread(world):
    offer = _offer(world, capacity=1)
    waiting, _ = thread_start(post=offer, by=world.outsider_admin, message="我们也想要。")
    _matched(world, post=offer, responder=world.helped_admin, poster=world.helper_admin)
    assert waiting.messages.filter(side="system").exists()
    assert Notification.objects.filter(user=world.outsider_admin, key=f"exchange-full-{waiting.pk}").exists()
    with pytest.raises(ValidationError, match="名额"):  # not even a first confirmation that would lead nowhere
        thread_confirm_match(thread=waiting, by=world.outsider_admin, terms=TERMS)
    with pytest.raises(ValidationError, match="名额"):
        thread_confirm_match(thread=waiting, by=world.helper_admin, terms=TERMS)
    waiting.refresh_from_db()
    assert waiting.terms == "" and waiting.poster_confirmed_at is None and waiting.responder_confirmed_at is None


def test_a_thread_on_a_full_offer_shows_why_it_cannot_confirm_instead_of_the_form(world, login):
    offer = _offer(world, capacity=1)
    waiting, _ = thread_start(post=offer, by=world.outsider_admin, message="我们也想要。")
    _matched(world, post=offer, responder=world.helped_admin, poster=world.helper_admin)
    page = login(world.outsider_admin).get(reverse("exchange:thread", args=[waiting.pk])).content.decode()
    assert 'data-testid="post-full"' in page and 'data-testid="confirm-form"' not in page


def test_a_need_matched_with_one_museum_refuses_a_second_and_a_withdrawn_post_any(world):
    need = _need(world)
    waiting, _ = thread_start(post=need, by=world.outsider_admin, message="我们也能帮忙。")
    _matched(world, post=need)
    with pytest.raises(ValidationError, match="已与其他方确认对接"):
        thread_confirm_match(thread=waiting, by=world.outsider_admin, terms=TERMS)
    offer = _offer(world)
    thread, _ = thread_start(post=offer, by=world.helped_admin, message="你好")
    thread_confirm_match(thread=thread, by=world.helped_admin, terms=TERMS)
    post_withdraw(post=offer, by=world.helper_admin, reason="设备检修，暂停服务。")
    with pytest.raises(ValidationError, match="已撤回"):
        thread_confirm_match(thread=thread, by=world.helper_admin, terms=TERMS)


def test_an_offer_completes_when_every_place_is_completed(world):
    offer = _offer(world, capacity=2)
    other_admin = make_user("museum_admin", museum=make_museum("古县博物馆", county="141025"))
    first = _matched(world, post=offer, responder=world.helped_admin, poster=world.helper_admin)
    second = _matched(world, post=offer, responder=other_admin, poster=world.helper_admin)
    for thread, helped in ((first, world.helped_admin), (second, other_admin)):
        thread_complete(thread=thread, by=helped, score=5)
        thread_complete(thread=thread, by=world.helper_admin, score=5, quantities={"object_count": 4})
        offer.refresh_from_db()
    assert offer.status == PostStatus.COMPLETED
    assert LedgerEntry.objects.filter(helper=world.helper_museum).count() == 2


def test_closing_the_last_open_thread_publishes_the_post_again(world):
    need = _need(world)
    thread, _ = thread_start(post=need, by=world.helper_admin, message="你好")
    with pytest.raises(ValidationError):
        thread_close(thread=thread, by=world.helped_admin, reason=" ")
    thread_close(thread=thread, by=world.helped_admin, reason="已与其他单位对接。")
    need.refresh_from_db()
    assert need.status == PostStatus.PUBLISHED
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED and thread.close_reason == "已与其他单位对接。"


def test_closing_a_matched_thread_frees_the_need(world):
    thread = _matched(world)
    thread_close(thread=thread, by=world.helper_admin, reason="人员无法安排。")
    thread.post.refresh_from_db()
    assert thread.post.status == PostStatus.PUBLISHED


# --- refusals -------------------------------------------------------------------------------------------------


def test_messages_are_refused_in_a_closed_thread_and_leave_no_file(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    thread_close(thread=thread, by=world.helper_admin, reason="不合适。")
    with pytest.raises(ValidationError, match="不能再发送消息"):
        message_post(thread=thread, by=world.helped_admin, body="还在吗？", file=_pdf())
    assert not Attachment.objects.exists() and thread.messages.count() == 1


def test_a_message_with_a_bad_file_is_refused_whole(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    bad = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        message_post(thread=thread, by=world.helped_admin, body="附件", file=bad)
    assert "file" in refused.value.message_dict
    assert thread.messages.count() == 1 and not Attachment.objects.exists()


def test_a_rating_outside_one_to_five_is_refused_in_chinese(world):
    thread = _matched(world)
    for score in (0, 6, "abc", 4.5):
        with pytest.raises(ValidationError) as refused:
            thread_complete(thread=thread, by=world.helped_admin, score=score)
        assert refused.value.message_dict["score"] == ["评分请选择 1–5 分。"]
    assert not Rating.objects.exists()


def test_quantities_beyond_the_ledgers_limits_are_refused(world):
    thread = _matched(world)
    with pytest.raises(ValidationError) as refused:
        thread_complete(thread=thread, by=world.helper_admin, score=5,
                        quantities={"people_trained": 999_999_999, "days": "-1", "visitors": "1.5"})
    errors = refused.value.message_dict
    assert "协会设定" in errors["people_trained"][0] and "负数" in errors["days"][0]
    assert errors["visitors"] == ["请输入整数。"]


def test_completion_waits_for_the_match_and_happens_once_per_side(world):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    with pytest.raises(ValidationError, match="确认对接后"):
        thread_complete(thread=thread, by=world.helped_admin, score=5)
    thread = _matched(world, post=_need(world, title="另一项需求"))
    thread_complete(thread=thread, by=world.helped_admin, score=5)
    with pytest.raises(ValidationError, match="已经确认完成"):
        thread_complete(thread=thread, by=world.helped_staff, score=3)


def test_the_owner_cannot_respond_to_its_own_post(world):
    with pytest.raises(PermissionDenied):
        thread_start(post=_need(world), by=world.helped_staff, message="自己响应自己")


def test_the_first_message_is_required(world):
    with pytest.raises(ValidationError) as refused:
        thread_start(post=_need(world), by=world.helper_admin, message=" ")
    assert "body" in refused.value.message_dict and not Thread.objects.exists()


# --- who sees a thread ----------------------------------------------------------------------------------------


def test_only_the_parties_and_the_association_see_a_thread(world, login, client):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="仅双方可见的内容")
    other_expert = make_user("expert", username="other_expert")
    expert_create(by=world.admin, name="韩志远", organisation="大同市博物馆", areas=["research"], user=other_expert)
    url = reverse("exchange:thread", args=[thread.pk])
    for user in (world.helped_staff, world.helper_staff, world.admin):
        assert "仅双方可见的内容" in login(user).get(url).content.decode()
    for user in (world.outsider, world.outsider_admin, world.province_supervisor, other_expert):
        assert login(user).get(url).status_code == 404
        assert login(user).post(reverse("exchange:message", args=[thread.pk]), {"body": "x"}).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_association_sees_but_cannot_write(world, login):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    client = login(world.admin)
    assert client.post(reverse("exchange:message", args=[thread.pk]), {"body": "协会插话"}).status_code == 403
    assert 'data-testid="association-view"' in client.get(reverse("exchange:thread", args=[thread.pk])).content.decode()


def test_a_message_attachment_is_served_to_the_parties_only(world, login):
    thread, _ = thread_start(post=_need(world), by=world.helper_admin, message="你好")
    attachment = message_post(thread=thread, by=world.helper_admin, body="方案", file=_pdf()).attachments.get()
    url = reverse("attachment", args=[attachment.pk])
    assert login(world.helped_staff).get(url).status_code == 200
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.province_supervisor).get(url).status_code == 404


def test_the_list_shows_my_threads_with_counts_and_filters(world, login):
    need = _need(world)
    thread_start(post=need, by=world.helper_admin, message="你好")
    _matched(world, post=_need(world, title="讲解员培训"))
    client = login(world.helped_staff)
    page = client.get(reverse("exchange:threads")).content.decode()
    assert page.count('data-testid="thread-row"') == 2 and "对方：山西博物院" in page
    page = client.get(reverse("exchange:threads"), {"status": "matched"}).content.decode()
    assert page.count('data-testid="thread-row"') == 1 and "讲解员培训" in page
    assert login(world.outsider).get(reverse("exchange:threads")).content.decode().count(
        'data-testid="thread-row"') == 0
    assert login(world.admin).get(reverse("exchange:threads"), {"area": "conservation"}).content.decode().count(
        'data-testid="thread-row"') == 2


def test_the_list_reads_a_fixed_number_of_queries(world, login):
    client = login(world.helped_staff)
    _matched(world)
    before = _queries(client)
    for i in range(4):
        thread_start(post=_need(world, title=f"需求 {i}"), by=world.helper_admin, message="你好")
    assert _queries(client) == before


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("exchange:threads")).status_code == 200
    return len(queries.captured_queries)


# --- experts -------------------------------------------------------------------------------------------------


def test_an_expert_responds_to_a_need_and_the_help_counts_for_their_museum(world):
    expert = _expert(world, museum=world.helper_museum)
    need = _need(world)
    thread, _ = thread_start(post=need, by=world.expert, message="我可以做彩塑病害诊断。")
    assert thread.responder_expert == expert and thread.responder_museum is None
    assert Notification.objects.filter(user=world.helped_admin).exists()
    thread_confirm_match(thread=thread, by=world.expert, terms=TERMS)
    thread_confirm_match(thread=thread, by=world.helped_admin, terms=TERMS)
    thread_complete(thread=thread, by=world.helped_admin, score=5)
    thread_complete(thread=thread, by=world.expert, score=5, quantities={"days": 2})
    entry = LedgerEntry.objects.get()
    assert (entry.helper, entry.helped) == (world.helper_museum, world.helped_museum)
    assert entry.recorded_by.is_system  # the expert is no museum party: the platform records it


def test_an_expert_without_a_museum_completes_without_a_ledger_entry_and_the_thread_says_so(world):
    _expert(world, museum=None)
    thread = _matched(world, responder=world.expert)
    thread_complete(thread=thread, by=world.expert, score=5, quantities={"days": 2})
    thread = thread_complete(thread=thread, by=world.helped_admin, score=5)
    assert thread.status == ThreadStatus.COMPLETED and not LedgerEntry.objects.exists()
    assert "不记入帮扶台账" in Message.objects.filter(thread=thread, side="system").get().body


def test_an_expert_whose_profile_is_switched_off_no_longer_sees_their_threads(world, login):
    expert = _expert(world, museum=None)
    thread_start(post=_need(world), by=world.expert, message="专家的消息")
    assert Thread.objects.visible_to(world.expert).count() == 1
    expert_update(by=world.admin, expert=expert, data={"is_active": False})
    world.expert.refresh_from_db()
    assert not Thread.objects.visible_to(world.expert).exists()
    assert "专家的消息" not in login(world.expert).get(reverse("exchange:threads")).content.decode()


def test_an_expert_sees_their_thread_and_not_others(world, login):
    _expert(world, museum=None)
    mine, _ = thread_start(post=_need(world), by=world.expert, message="专家的消息")
    theirs, _ = thread_start(post=_need(world, title="另一项"), by=world.helper_admin, message="馆的消息")
    client = login(world.expert)
    assert client.get(reverse("exchange:thread", args=[mine.pk])).status_code == 200
    assert client.get(reverse("exchange:thread", args=[theirs.pk])).status_code == 404


# --- a post that leaves the exchange ------------------------------------------------------------------------


def test_withdrawing_a_post_closes_its_open_threads_with_a_note_and_tells_the_respondents(world, login):
    offer = _offer(world, capacity=2)
    waiting, _ = thread_start(post=offer, by=world.outsider_admin, message="我们也想要。")
    matched = _matched(world, post=offer, responder=world.helped_admin, poster=world.helper_admin)
    post_withdraw(post=offer, by=world.helper_admin, reason="设备检修，暂停服务。")
    waiting.refresh_from_db()
    matched.refresh_from_db()
    assert waiting.status == ThreadStatus.CLOSED and "设备检修" in waiting.close_reason
    note = waiting.messages.get(side="system")
    assert note.author.username and "已由发布方撤回" in note.body and "对接随之关闭" in note.body
    assert Notification.objects.filter(user=world.outsider_admin, key=f"exchange-left-{waiting.pk}").exists()
    assert matched.status == ThreadStatus.MATCHED
    assert "不受影响" in matched.messages.get(side="system").body
    assert Notification.objects.filter(user=world.helped_admin, key=f"exchange-left-{matched.pk}").exists()
    with pytest.raises(ValidationError, match="已关闭"):
        message_post(thread=waiting, by=world.outsider_admin, body="还在吗？")
    page = login(world.outsider_admin).get(reverse("exchange:thread", args=[waiting.pk])).content.decode()
    assert 'data-testid="post-left"' in page and "这条供给已撤回" in page and "设备检修" in page
    assert 'data-testid="message-form"' not in page
    # The respondents can still open the withdrawn post their thread links to; other museums cannot.
    post_url = reverse("exchange:detail", args=[offer.pk])
    assert login(world.outsider_admin).get(post_url).status_code == 200
    assert login(world.helped_staff).get(post_url).status_code == 200
    stranger = make_user("museum_staff", museum=make_museum("隰县博物馆", county="141031"))
    assert login(stranger).get(post_url).status_code == 404


def test_an_expired_post_closes_its_open_threads_and_the_matched_one_carries_on(world):
    from bangfu.accounts.models import system_user

    offer = _offer(world, capacity=2)
    waiting, _ = thread_start(post=offer, by=world.outsider_admin, message="我们也想要。")
    matched = _matched(world, post=offer, responder=world.helped_admin, poster=world.helper_admin)
    post_expire(post=offer, by=system_user())
    waiting.refresh_from_db()
    assert waiting.status == ThreadStatus.CLOSED
    assert "已到期下架" in waiting.messages.get(side="system").body
    assert Thread.objects.get(pk=matched.pk).status == ThreadStatus.MATCHED
    thread_complete(thread=matched, by=world.helped_admin, score=5)
    thread_complete(thread=matched, by=world.helper_admin, score=5, quantities={"object_count": 2})
    assert Thread.objects.get(pk=matched.pk).status == ThreadStatus.COMPLETED
    assert LedgerEntry.objects.filter(source_id=matched.pk).count() == 1


def test_a_first_confirmation_is_refused_once_the_post_left_the_exchange(world):
    need = _need(world)
    thread, _ = thread_start(post=need, by=world.helper_admin, message="我们可以帮忙。")
    post_withdraw(post=need, by=world.helped_admin, reason="已自行解决。")
    with pytest.raises(ValidationError, match="这条需求已撤回"):
        thread_confirm_match(thread=thread, by=world.helper_admin, terms=TERMS)
    assert Thread.objects.get(pk=thread.pk).responder_confirmed_at is None
