"""Notifications: sent once per key, e-mailed when asked, listed and marked read by their owner only."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from bangfu.notifications.context_processors import unread
from bangfu.notifications.models import Notification
from bangfu.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(world):
    world.helped_staff.email = "alice@example.org"
    world.helped_staff.save(update_fields=["email"])
    return world.helped_staff


def test_notifying_twice_with_the_same_key_notifies_once(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=alice, key="k1", title="第一次", email=True)
        second = notify(user=alice, key="k1", title="第二次", email=True)
    assert first is not None and second is None
    assert list(Notification.objects.filter(user=alice).values_list("title", flat=True)) == ["第一次"]
    assert len(mail.outbox) == 1


def test_the_same_key_reaches_each_user_once(alice, world):
    assert notify(user=alice, key="k", title="t") and notify(user=world.helped_admin, key="k", title="t")
    assert Notification.objects.filter(key="k").count() == 2


def test_an_email_is_sent_after_commit_with_a_link_and_recorded(alice, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://bangfu.example.org"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(user=alice, key="k2", title="任务将于 3 天后到期", body="请尽快完成", url="/ledger/1/",
                              email=True)
    assert mail.outbox == [] and len(callbacks) == 1  # nothing leaves before the transaction commits
    callbacks[0]()
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"] and "任务将于 3 天后到期" in message.subject
    assert "https://bangfu.example.org/ledger/1/" in message.body and "请尽快完成" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_without_an_address_or_when_not_asked(world, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=world.helped_admin, key="k3", title="无邮箱", email=True)
        notify(user=alice, key="k4", title="只在站内")
    assert mail.outbox == []
    assert Notification.objects.filter(key__in=["k3", "k4"]).count() == 2


def test_inactive_accounts_are_not_notified(alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert notify(user=alice, key="k5", title="t") is None
    assert not Notification.objects.filter(key="k5").exists()


def test_the_list_shows_only_the_users_own_notifications_unread_first(alice, world, login):
    notify(user=alice, key="old", title="较早的已读通知")
    Notification.objects.filter(key="old").update(read_at="2026-01-01T00:00:00Z")
    notify(user=alice, key="new", title="未读通知")
    notify(user=world.outsider, key="other", title="别人的通知")
    response = login(alice).get(reverse("notifications:list"))
    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["未读通知", "较早的已读通知"]
    assert "别人的通知" not in response.content.decode()


def test_marking_one_read_with_htmx_returns_the_item_and_the_new_badge(alice, login):
    n = notify(user=alice, key="a", title="通知甲")
    notify(user=alice, key="b", title="通知乙")
    response = login(alice).post(reverse("notifications:read", args=[n.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and f'id="notification-{n.pk}"' in body
    assert 'id="nav-unread"' in body and 'hx-swap-oob="true"' in body and "1 条未读" in body
    n.refresh_from_db()
    assert n.read_at is not None


def test_marking_all_read_marks_only_the_users_own(alice, world, login):
    notify(user=alice, key="a", title="甲")
    notify(user=alice, key="b", title="乙")
    notify(user=world.outsider, key="c", title="丙")
    response = login(alice).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.outsider, read_at__isnull=True).count() == 1


def test_nobody_can_mark_or_open_another_users_notification(alice, world, login):
    n = notify(user=alice, key="a", title="甲", url="/ledger/")
    client = login(world.outsider)
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(alice, login):
    n = notify(user=alice, key="a", title="甲", url="/ledger/")
    response = login(alice).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/ledger/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_notification_never_redirects_off_site(alice, login):
    n = notify(user=alice, key="a", title="甲", url="https://evil.example.com/")
    response = login(alice).get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_the_badge_shows_the_unread_count_in_one_query(alice, login, django_assert_num_queries):
    for i in range(3):
        notify(user=alice, key=f"n{i}", title=f"通知{i}")
    client = login(alice)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert 'aria-label="通知（3 条未读）"' in body
    request = RequestFactory().get("/")
    request.user = alice
    context = unread(request)
    with django_assert_num_queries(1):
        assert context["unread_count"]() == 3 and context["unread_count"]() == 3  # counted once per request


def test_anonymous_visitors_have_no_badge_and_no_query(client, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request)["unread_count"] == 0
    assert 'id="nav-unread"' not in client.get(reverse("museums:directory")).content.decode()


def test_an_empty_list_says_what_will_appear_here(alice, login):
    body = login(alice).get(reverse("notifications:list")).content.decode()
    assert "还没有通知" in body and "临近截止" in body
