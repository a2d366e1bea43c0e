"""Subscriptions to new posts: adding and removing them, and who is told of a new post (through the background
task, once, never the post's own people), with the home panel's count of new posts."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.accounts.services import user_set_active
from bangfu.exchange.models import ExchangeRules, Subscription
from bangfu.exchange.services import post_approve, post_create, post_publish
from bangfu.exchange.subscriptions import MAX_SUBSCRIPTIONS, subscribers_of, subscription_add, subscription_remove
from bangfu.exchange.tasks import notify_subscribers
from bangfu.notifications.models import Notification

from .factories import division, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the services leave for after the commit (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def need(world, committed):
    """Publishes a need of the helped museum, as its admin, and runs the after-commit work (the task)."""
    def publish(world, *, area="conservation", publish=True, regions=(), **fields):
        with committed():
            return post_create(by=world.helped_admin, kind="need", area=area,
                               title=fields.pop("title", "壁画修复指导"),
                               description="馆藏壁画起甲空鼓，需要修复方案指导。", regions=regions,
                               publish=publish, **fields)
    return publish


def told(user, post) -> int:
    return Notification.objects.filter(user=user, key=f"exchange-post-{post.pk}").count()


# --- adding and removing -----------------------------------------------------------------------------------


def test_a_user_subscribes_on_the_page_and_sees_the_subscription_listed(login, world):
    client = login(world.helper_staff)
    response = client.post(reverse("exchange:subscriptions"),
                           {"kind": "need", "area": "conservation", "region": division("141000").pk})
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=world.helper_staff)
    assert (subscription.kind, subscription.area, subscription.region.code) == ("need", "conservation", "141000")
    body = client.get(reverse("exchange:subscriptions")).content.decode()
    assert "临汾市" in body and "文物保护" in body


def test_the_same_subscription_twice_is_refused_in_chinese(login, world):
    subscription_add(by=world.helper_staff, kind="offer", area="")
    with pytest.raises(ValidationError, match="已经订阅"):
        subscription_add(by=world.helper_staff, kind="offer", area="")
    body = login(world.helper_staff).post(reverse("exchange:subscriptions"), {"kind": "offer", "area": ""})
    assert "您已经订阅了“供给 · 全部领域 · 全省”" in body.content.decode()
    assert Subscription.objects.filter(user=world.helper_staff).count() == 1


def test_a_user_may_hold_at_most_twenty_subscriptions(world):
    areas = ["", "exhibition", "loan", "conservation", "creative", "education", "research"]
    combos = [(k, a) for k in ("", "need", "offer") for a in areas][:MAX_SUBSCRIPTIONS]
    for kind, area in combos:
        subscription_add(by=world.expert, kind=kind, area=area)
    with pytest.raises(ValidationError, match="最多订阅 20 项"):
        subscription_add(by=world.expert, kind="offer", area="people")


def test_a_region_must_be_a_city(world):
    with pytest.raises(ValidationError) as refused:
        subscription_add(by=world.helper_staff, region=division("141026"))
    assert refused.value.message_dict == {"region": ["地区请选择一个市。"]}


def test_a_user_removes_their_own_subscription_but_not_anothers(login, world):
    mine = subscription_add(by=world.helper_staff, area="people")
    theirs = subscription_add(by=world.outsider, area="people")
    client = login(world.helper_staff)
    assert client.post(reverse("exchange:subscription_remove", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("exchange:subscription_remove", args=[mine.pk])).status_code == 302
    assert list(Subscription.objects.values_list("pk", flat=True)) == [theirs.pk]
    with pytest.raises(ValidationError):
        subscription_remove(by=world.helper_staff, subscription=theirs)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("exchange:subscriptions"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- who is told of a new post -------------------------------------------------------------------------------


def test_a_matching_subscriber_is_told_once_and_the_others_not(world, need):
    subscription_add(by=world.helper_admin, kind="need", area="conservation")
    subscription_add(by=world.helper_admin, kind="", area="")  # two matching subscriptions, still one notice
    subscription_add(by=world.outsider, kind="offer", area="conservation")  # the other kind
    subscription_add(by=world.expert, kind="need", area="education")  # another area
    post = need(world)
    assert told(world.helper_admin, post) == 1
    assert told(world.outsider, post) == told(world.expert, post) == 0
    notice = Notification.objects.get(user=world.helper_admin)
    assert notice.url == reverse("exchange:detail", args=[post.pk]) and "壁画修复指导" in notice.title
    assert notify_subscribers.call(post_id=post.pk) == 0  # a second run tells nobody again


def test_the_posts_own_museum_is_not_told_of_its_post(world, need):
    subscription_add(by=world.helped_staff, kind="need")
    subscription_add(by=world.helped_admin, kind="need")
    post = need(world)
    assert told(world.helped_staff, post) == told(world.helped_admin, post) == 0


def test_a_region_matches_the_regions_served_the_city_or_a_post_for_the_whole_province(world, need):
    linfen, datong, taiyuan = division("141000"), division("140200"), division("140100")
    in_linfen = subscription_add(by=world.helper_admin, region=linfen).user
    in_datong = subscription_add(by=world.outsider, region=datong).user
    in_taiyuan = subscription_add(by=world.helper_staff, region=taiyuan).user
    anywhere = subscription_add(by=world.expert).user
    # the helped museum (安泽县, 临汾市) serves Taiyuan: its own city and the regions served match
    served = need(world, regions=[taiyuan], title="服务太原")
    assert [told(u, served) for u in (in_linfen, in_datong, in_taiyuan, anywhere)] == [1, 0, 1, 1]
    # no regions: the whole province
    everywhere = need(world, title="服务全省")
    assert [told(u, everywhere) for u in (in_linfen, in_datong, in_taiyuan, anywhere)] == [1, 1, 1, 1]
    # a county served counts for its city
    county = need(world, regions=[division("140222")], title="服务天镇")  # 天镇县, 大同市
    assert told(in_datong, county) == 1


def test_inactive_subscribers_are_not_told(world, need):
    gone = make_user("museum_staff", museum=world.other_museum)
    subscription_add(by=gone)
    user_set_active(by=world.admin, user=gone, active=False)  # deactivated after it subscribed
    post = need(world)
    assert told(gone, post) == 0


def test_subscribers_are_told_through_the_background_task_after_commit_not_in_the_request(
        world, django_capture_on_commit_callbacks):
    subscription_add(by=world.helper_admin, kind="need")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = post_create(by=world.helped_admin, kind="need", area="conservation", title="壁画修复指导",
                           description="馆藏壁画起甲空鼓。", publish=True)
    assert not Notification.objects.exists() and mail.outbox == []  # nothing sent inside the transaction
    assert callbacks  # the publication left the notifying for after the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert told(world.helper_admin, post) == 1


def test_a_draft_tells_nobody_until_published_or_approved(world, need, committed):
    subscription_add(by=world.helper_admin, kind="need")
    draft = need(world, publish=False)
    assert told(world.helper_admin, draft) == 0
    ExchangeRules.objects.update_or_create(pk=1, defaults={"moderation": True})
    with committed():
        post_publish(post=draft, by=world.helped_admin)  # submitted for review: not public yet
    assert told(world.helper_admin, draft) == 0
    with committed():
        post_approve(post=draft, by=world.admin)
    assert told(world.helper_admin, draft) == 1


def test_subscribers_of_many_subscriptions_are_found_in_one_query(world, django_assert_num_queries, need):
    for _ in range(8):
        subscription_add(by=make_user("museum_staff", museum=world.other_museum), area="conservation")
    post = need(world, publish=False)
    with django_assert_num_queries(2):  # the regions served, then the subscribers
        assert len(list(subscribers_of(post))) == 8


# --- the home panel and the page -----------------------------------------------------------------------------


def test_the_home_panel_counts_new_posts_in_the_subscribed_areas(login, world, need):
    subscription_add(by=world.helper_admin, kind="need", area="conservation")
    need(world)
    need(world, area="education", title="研学课程")
    body = login(world.helper_admin).get(reverse("home")).content.decode()
    assert "为您推荐" in body and "订阅的领域有 1 条新信息" in body


def test_the_home_panel_invites_to_subscribe_without_subscriptions(login, world):
    body = login(world.helper_admin).get(reverse("home")).content.decode()
    assert "订阅关心的领域和地区" in body


def test_the_subscriptions_page_lists_new_posts_but_not_the_users_own(login, world, need):
    subscription_add(by=world.helped_staff, kind="need")
    subscription_add(by=world.helper_staff, kind="need")
    need(world, title="本馆的需求")
    assert "本馆的需求" not in login(world.helped_staff).get(reverse("exchange:subscriptions")).content.decode()
    assert "本馆的需求" in login(world.helper_staff).get(reverse("exchange:subscriptions")).content.decode()


def test_the_subscriptions_page_query_count_does_not_grow_with_subscriptions(login, world,
                                                                             django_assert_max_num_queries, need):
    client = login(world.helper_staff)
    subscription_add(by=world.helper_staff, area="people")
    need(world)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("exchange:subscriptions"))
    for area in ("exhibition", "loan", "conservation", "creative", "education"):
        subscription_add(by=world.helper_staff, area=area)
        need(world, area=area, title=f"{area} 需求")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exchange:subscriptions"))
