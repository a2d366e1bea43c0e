""""为您推荐" on the home pages of museum staff and experts: the best matches with their score and first reasons, and
the count of new posts in the subscribed areas, in a fixed number of queries."""

from unittest import mock

import pytest
from django.urls import reverse

from bangfu.exchange.matching import Match
from bangfu.exchange.services import post_create
from bangfu.exchange.subscriptions import subscription_add

pytestmark = pytest.mark.django_db


def offer(world, title):
    return post_create(by=world.helper_admin, kind="offer", area="conservation", title=title,
                       description="可派专家指导壁画修复。", publish=True, capacity=3)


def test_the_panel_shows_the_recommended_posts_with_score_and_first_two_reasons(login, world):
    best = offer(world, "壁画修复专家会诊")
    found = [Match(post=best, score=86.4, reasons=["共同词：壁画、修复", "相距 210 公里", "尚可服务 3 家"])]
    with mock.patch("bangfu.exchange.home.recommended_for", return_value=found) as recommended_for:
        body = login(world.helped_staff).get(reverse("home")).content.decode()
    assert recommended_for.call_args.kwargs == {"limit": 5}
    assert reverse("exchange:detail", args=[best.pk]) in body and "壁画修复专家会诊" in body
    assert "86 分" in body and "共同词：壁画、修复 · 相距 210 公里" in body and "尚可服务 3 家" not in body


def test_experts_see_the_panel_and_the_association_does_not(login, world):
    assert 'data-testid="exchange-recommended"' in login(world.expert).get(reverse("home")).content.decode()
    assert 'data-testid="exchange-recommended"' not in login(world.admin).get(reverse("home")).content.decode()


def test_the_panel_takes_the_same_queries_however_many_subscriptions_and_posts(login, world,
                                                                              django_assert_max_num_queries):
    client = login(world.helped_staff)
    subscription_add(by=world.helped_staff, kind="offer")
    offer(world, "第一条")
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    for area in ("exhibition", "education", "people"):
        subscription_add(by=world.helped_staff, area=area)
    for i in range(4):
        offer(world, f"更多供给{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("home")).content.decode()
    assert "订阅的领域有 5 条新信息" in body


def test_the_home_page_of_a_museum_with_five_long_open_posts_shows_its_recommendations(login, world):
    from .exchange_texts import long_text

    for i in range(5):
        post_create(by=world.helped_admin, kind="need", area="conservation", title=f"需求{i}",
                    description="壁画修复。" + long_text(450, start=300 + 150 * i), publish=True)
    offer(world, "壁画修复专家会诊")
    response = login(world.helped_staff).get(reverse("home"))
    assert response.status_code == 200 and "壁画修复专家会诊" in response.content.decode()


def test_the_associations_to_do_list_counts_the_posts_waiting_for_its_review(login, world):
    from bangfu.exchange.services import rules_update

    rules_update(by=world.admin, moderation=True)
    for title in ("壁画修复指导", "研学课程设计"):
        post_create(by=world.helped_admin, kind="need", area="conservation", title=title, description="详见附件。",
                    publish=True)
    body = login(world.admin).get(reverse("home")).content.decode()
    assert 'data-testid="exchange-pending">2 条' in body and reverse("exchange:review") in body
    assert 'data-testid="exchange-pending"' not in login(world.helped_staff).get(reverse("home")).content.decode()
