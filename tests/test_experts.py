"""The expert directory: search, filters, contact details and who may edit."""

import pytest
from django.urls import reverse

from bangfu.experts.models import Expert
from bangfu.experts.services import expert_create

from .factories import division

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(world):
    conservator = expert_create(
        by=world.admin, name="冯雅琴", organisation="山西考古研究院", title="研究员", areas=["conservation"],
        tags="壁画保护, 彩塑修复", phone="0351-1111111", regions=[], user=world.expert,
    )
    curator = expert_create(
        by=world.admin, name="韩志远", organisation="大同市博物馆", title="研究馆员", areas=["research", "loan"],
        tags="北魏考古", phone="0352-2222222", regions=[division("140200")],
    )
    return conservator, curator


def test_directory_searches_by_tag_and_filters_by_area(client, experts):
    body = client.get(reverse("experts:directory"), {"q": "壁画"}).content.decode()
    assert "冯雅琴" in body and "韩志远" not in body
    body = client.get(reverse("experts:directory"), {"area": "research"}).content.decode()
    assert "韩志远" in body and "冯雅琴" not in body


def test_region_filter_includes_experts_serving_the_whole_province(client, experts):
    linfen = division("141000")
    body = client.get(reverse("experts:directory"), {"region": linfen.pk}).content.decode()
    assert "冯雅琴" in body and "韩志远" not in body


def test_contact_details_only_for_signed_in_users(client, login, experts, world):
    conservator, _ = experts
    url = reverse("experts:detail", args=[conservator.pk])
    assert "0351-1111111" not in client.get(url).content.decode()
    assert "0351-1111111" in login(world.outsider).get(url).content.decode()


def test_expert_edits_their_own_profile(login, experts, world):
    conservator, curator = experts
    client = login(world.expert)
    data = {"name": "冯雅琴", "organisation": "山西考古研究院", "title": "研究员", "tags": "壁画保护",
            "areas": ["conservation", "people"], "phone": "", "email": "", "bio": "从事壁画保护三十年",
            "is_active": "on"}
    assert client.post(reverse("experts:edit", args=[conservator.pk]), data).status_code == 302
    conservator.refresh_from_db()
    assert conservator.bio == "从事壁画保护三十年"
    assert set(conservator.specialties.values_list("area", flat=True)) == {"conservation", "people"}
    assert client.get(reverse("experts:edit", args=[curator.pk])).status_code == 403


def test_outsider_cannot_add_or_edit_experts(login, experts, world):
    _, curator = experts
    client = login(world.outsider)
    assert client.get(reverse("experts:create")).status_code == 403
    assert client.post(reverse("experts:edit", args=[curator.pk]), {"name": "x"}).status_code == 403


def test_association_adds_an_expert_and_must_pick_an_area(login, world):
    client = login(world.admin)
    response = client.post(reverse("experts:create"), {"name": "王五", "organisation": "某大学"})
    assert "请至少选择一个专业领域" in response.content.decode()
    client.post(reverse("experts:create"), {"name": "王五", "organisation": "某大学", "areas": ["creative"],
                                            "is_active": "on"})
    assert Expert.objects.get(name="王五").specialties.get().area == "creative"


def test_expert_directory_query_count_is_constant(client, experts, django_assert_num_queries, world):
    client.get(reverse("experts:directory"))
    with django_assert_num_queries(5):
        client.get(reverse("experts:directory"))
    for i in range(10):
        expert_create(by=world.admin, name=f"专家{i}", organisation="单位", areas=["education"])
    with django_assert_num_queries(5):
        client.get(reverse("experts:directory"))


def test_an_expert_editing_their_profile_is_not_offered_museum_or_pool_status(login, experts, world):
    conservator, _ = experts
    html = login(world.expert).get(reverse("experts:edit", args=[conservator.pk])).content.decode()
    assert 'name="bio"' in html
    assert 'name="museum"' not in html and 'name="is_active"' not in html
    html = login(world.admin).get(reverse("experts:edit", args=[conservator.pk])).content.decode()
    assert 'name="museum"' in html and 'name="is_active"' in html


def test_an_expert_cannot_move_themselves_to_a_museum_or_out_of_the_pool(login, experts, world):
    conservator, _ = experts
    data = {"name": "冯雅琴", "organisation": "山西考古研究院", "title": "研究员", "tags": "",
            "areas": ["conservation"], "phone": "", "email": "", "bio": "新简介",
            "museum": world.helper_museum.pk}  # is_active left off: the old form read that as leaving the pool
    assert login(world.expert).post(reverse("experts:edit", args=[conservator.pk]), data).status_code == 302
    conservator.refresh_from_db()
    assert conservator.bio == "新简介"
    assert conservator.museum is None and conservator.is_active


def test_the_service_refuses_an_expert_changing_association_fields(experts, world):
    from django.core.exceptions import PermissionDenied

    from bangfu.experts.services import expert_update

    conservator, curator = experts
    for data in ({"museum": world.helper_museum}, {"is_active": False}, {"user": world.outsider}):
        with pytest.raises(PermissionDenied, match="只有协会管理员"):
            expert_update(by=world.expert, expert=conservator, data=data)
    with pytest.raises(PermissionDenied):
        expert_update(by=world.expert, expert=curator, data={"bio": "不是我的档案"})
    expert_update(by=world.expert, expert=conservator, data={"bio": "可以改简介", "is_active": True})
    expert_update(by=world.admin, expert=conservator, data={"museum": world.helper_museum, "is_active": False})
    conservator.refresh_from_db()
    assert conservator.bio == "可以改简介" and conservator.museum == world.helper_museum and not conservator.is_active
