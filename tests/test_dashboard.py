"""Each role's home page shows what needs their attention."""

import pytest
from django.urls import reverse

from bangfu.core.models import AuditEntry

from .factories import make_museum

pytestmark = pytest.mark.django_db


def test_public_home_shows_the_programme_at_a_glance(client, world):
    body = client.get(reverse("home")).content.decode()
    assert "大馆带小馆" in body and "浏览博物馆名录" in body
    assert client.get(reverse("home")).context["stats"]["total"] == 3


def test_association_home_counts_museums_awaiting_review(login, world):
    make_museum("地点不明纪念馆")
    response = login(world.admin).get(reverse("home"))
    assert "协会工作台" in response.content.decode()
    assert response.context["review_count"] == 1
    assert response.context["helpers_without_account"] == 0  # 山西博物院 has its admin
    assert response.context["helped_without_needs"] == 2


def test_city_supervisor_sees_only_their_city(login, world):
    make_museum("大同测试博物馆", city="140200")
    response = login(world.city_supervisor).get(reverse("home"))
    assert response.context["stats"]["total"] == 2  # 天镇县博物馆 and the new one, both in 大同市
    assert response.context["stats"]["cities"]["names"] == ["天镇县"]  # grouped by county inside a city
    assert "大同市 · 主管单位工作台" in response.content.decode()


def test_province_supervisor_sees_the_whole_province(login, world):
    response = login(world.province_supervisor).get(reverse("home"))
    assert response.context["stats"]["total"] == 3


def test_museum_staff_see_their_profile_checklist(login, world):
    response = login(world.helped_staff).get(reverse("home"))
    body = response.content.decode()
    assert "安泽县博物馆" in body and "帮扶需求" in body and "可提供的帮扶" not in body
    assert response.context["completeness"] == 0


def test_helper_museum_checklist_asks_for_offers(login, world):
    body = login(world.helper_admin).get(reverse("home")).content.decode()
    assert "可提供的帮扶" in body


def test_expert_without_a_profile_is_told_what_to_do(login, world):
    assert "还没有关联专家库资料" in login(world.expert).get(reverse("home")).content.decode()


def test_home_page_query_count_does_not_grow_with_museums(login, world, django_assert_max_num_queries):
    client = login(world.admin)
    client.get(reverse("home"))
    for i in range(20):
        make_museum(f"增量{i}", county="140222")
    AuditEntry.objects.all()
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_modules_not_built_yet_say_so(client):
    body = client.get(reverse("module", args=["pairings"])).content.decode()
    assert "尚未开放" in body and "结对帮扶" in body
    assert client.get(reverse("module", args=["nonsense"])).status_code == 404
