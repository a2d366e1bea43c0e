"""Ranked matching of the exchange: the right offer first on crafted cases — text, area, distance and the pairing
bonus each proven on their own — a synonym-only match, an offer with no capacity left not suggested, the reasons a
person reads, recommendations, and a query count that does not grow with the candidates."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.exchange.matching import matches_for, recommended_for
from bangfu.exchange.services import post_create, post_withdraw
from bangfu.experts.services import expert_create
from bangfu.pairings.services import pairing_create

from .factories import division, make_museum, make_user

MURAL_NEED = "我馆藏明代寺观壁画一铺，画面起甲、空鼓严重，急需壁画修复方面的专家现场指导，并协助制定修复方案。"
MURAL_OFFER = "本院壁画修复团队可赴县馆开展壁画起甲、空鼓病害的现场修复指导，协助编制修复方案。"
BRONZE_OFFER = "本院青铜器保护团队可为县馆开展青铜器除锈、缓蚀与封护，培训青铜器保护技术人员。"


def post(by, title, description, *, kind="offer", area="conservation", **fields):
    return post_create(by=by, kind=kind, area=area, title=title, description=description, publish=True, **fields)


def staff_of(name, county, **fields):
    return make_user("museum_staff", museum=make_museum(name, county=county, **fields))


def titles(matches):
    return [m.post.title for m in matches]


@pytest.fixture
def needy(db):
    """A county museum in 安泽县 (临汾)."""
    return staff_of("安泽县博物馆", "141026")


@pytest.fixture
def need(needy):
    return post(needy, "明代壁画修复指导", MURAL_NEED, kind="need")


@pytest.fixture
def near(db):
    """A museum in 尧都区, ~40 km from 安泽."""
    return staff_of("临汾市博物馆", "141002", grade="二级")


@pytest.fixture
def far(db):
    """A museum in 天镇县 (大同), ~450 km away."""
    return staff_of("天镇县博物馆", "140222")


def test_the_offer_about_the_same_thing_ranks_first(need, near):
    post(near, "青铜器保护", BRONZE_OFFER)
    post(near, "壁画修复指导", MURAL_OFFER)
    matches = matches_for(need)
    assert titles(matches) == ["壁画修复指导", "青铜器保护"]
    best = matches[0]
    assert "壁画" in best.shared_words and len(best.shared_words) <= 5
    assert any(r.startswith("共同关键词：") and "壁画" in r for r in best.reasons)
    assert best.score > matches[1].score


def test_the_same_area_ranks_first(need, near):
    post(near, "壁画修复研究", MURAL_OFFER, area="research")
    post(near, "壁画修复指导", MURAL_OFFER)
    matches = matches_for(need)
    assert titles(matches) == ["壁画修复指导", "壁画修复研究"]
    assert "同属文物保护领域" in matches[0].reasons
    assert "同属文物保护领域" not in matches[1].reasons


def test_the_nearer_museum_ranks_first(need, near, far):
    post(far, "壁画修复指导（大同）", MURAL_OFFER)
    post(near, "壁画修复指导（临汾）", MURAL_OFFER)
    matches = matches_for(need)
    assert titles(matches) == ["壁画修复指导（临汾）", "壁画修复指导（大同）"]
    assert matches[0].km < 100 < 300 < matches[1].km
    assert f"相距 {matches[0].km:.0f} 公里" in matches[0].reasons


def test_a_paired_museum_gets_the_bonus(needy, need, db):
    admin = make_user("association_admin")
    # Two first-grade museums in the same district: the same distance from 安泽, the same text; one is paired.
    paired = staff_of("太原甲博物馆", "140109", grade="一级", city=None)
    unpaired = staff_of("太原乙博物馆", "140109", grade="一级", city=None)
    today = timezone.localdate()
    pairing_create(by=admin, helper=paired.museum, helped=needy.museum, start_date=today,
                   end_date=today + datetime.timedelta(days=700))
    post(unpaired, "壁画修复指导（乙）", MURAL_OFFER)
    post(paired, "壁画修复指导（甲）", MURAL_OFFER)
    first, second = matches_for(need)
    assert first.post.title == "壁画修复指导（甲）" and first.paired and "已结对" in first.reasons
    assert not second.paired and first.km == second.km
    assert first.score - second.score == pytest.approx(10, abs=0.2)


def test_a_synonym_only_match_is_found_and_said(needy, near):
    need = post(needy, "文保技术咨询", "馆藏铁器锈蚀，想请文保专家来看看。", kind="need")
    post(near, "陶瓷器修复", "承接陶瓷器的清洗、拼接与补配。")
    post(near, "实验室开放", "本馆文物保护实验室向县馆开放。")
    matches = matches_for(need)
    assert titles(matches)[0] == "实验室开放"
    assert "同义：文保=文物保护" in matches[0].reasons
    assert "文物保护" in matches[0].shared_words


def _confirmed(offer, owner):
    """Another county museum responds to the offer and both sides confirm the match (the threads part's services)."""
    from bangfu.exchange.threads import thread_confirm_match, thread_start

    responder = make_user("museum_staff", museum=make_museum(county="140221"))
    thread, _ = thread_start(post=offer, by=responder, message="我馆也需要壁画修复指导。")
    thread_confirm_match(thread=thread, by=responder, terms="2027年春季派专家两人，现场指导五天。")
    thread_confirm_match(thread=thread, by=owner, terms="2027年春季派专家两人，现场指导五天。")


def test_an_offer_with_no_capacity_left_is_not_suggested(need, near, far):
    full = post(near, "壁画修复指导（已满）", MURAL_OFFER, capacity=1)
    roomy = post(far, "壁画修复指导（尚有名额）", MURAL_OFFER, capacity=3)
    _confirmed(full, near)
    _confirmed(roomy, far)
    matches = matches_for(need)
    assert titles(matches) == ["壁画修复指导（尚有名额）"]
    assert matches[0].capacity_left == 2 and "尚可服务 2 家" in matches[0].reasons


def test_own_closed_and_draft_posts_are_never_matched(need, needy, near):
    post(needy, "本馆自己的供给", MURAL_OFFER)
    withdrawn = post(near, "已撤回的供给", MURAL_OFFER)
    post_withdraw(post=withdrawn, by=near, reason="计划有变")
    post_create(by=near, kind="offer", area="conservation", title="草稿供给", description=MURAL_OFFER)
    post(near, "壁画修复指导", MURAL_OFFER)
    assert titles(matches_for(need)) == ["壁画修复指导"]


def test_an_offer_is_matched_with_needs(need, near, far):
    offer = post(near, "壁画修复指导", MURAL_OFFER, capacity=2)
    post(far, "青铜器除锈", "青铜器锈蚀严重，需要除锈培训。", kind="need")
    matches = matches_for(offer)
    assert titles(matches)[0] == "明代壁画修复指导"
    assert all(m.post.kind == "need" for m in matches)
    assert matches[0].capacity_left == 2


def test_an_expert_serving_the_region_counts_as_near(need, db):
    user = make_user("expert")
    expert_create(by=None, name="王专家", organisation="山西省古建筑保护研究所", user=user, areas=["conservation"],
                  regions=[division("141000")])
    post(user, "壁画修复咨询", MURAL_OFFER)
    (match,) = matches_for(need)
    assert "可前往安泽县" in match.reasons


def test_scores_are_between_0_and_100_and_best_first(need, near, far):
    for i in range(6):
        post(near if i % 2 else far, f"供给{i}", MURAL_OFFER if i % 3 else BRONZE_OFFER, capacity=3)
    matches = matches_for(need)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)


def _count_queries(need):
    with CaptureQueriesContext(connection) as ctx:
        matches_for(need)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_candidates(need, near, far, django_assert_max_num_queries):
    post(near, "壁画修复指导", MURAL_OFFER)
    few = _count_queries(need)
    for i in range(25):
        post(near if i % 2 else far, f"壁画修复{i}", MURAL_OFFER if i % 3 else BRONZE_OFFER, capacity=3)
    many = _count_queries(need)
    assert many == few
    with django_assert_max_num_queries(12):
        assert len(matches_for(need)) == 20


def test_a_museum_sees_the_offers_matching_its_open_needs(need, needy, near):
    post(needy, "青铜器除锈培训", "需要青铜器除锈培训。", kind="need")
    post(near, "壁画修复指导", MURAL_OFFER)
    post(near, "青铜器保护", BRONZE_OFFER)
    recommended = recommended_for(make_user("museum_admin", museum=needy.museum))
    assert set(titles(recommended)) == {"壁画修复指导", "青铜器保护"}
    assert len(titles(recommended)) == 2  # each offer once, though it matches both needs
    assert recommended[0].for_post is not None


def test_an_expert_without_posts_is_shown_needs_in_their_areas(need, db):
    user = make_user("expert")
    expert_create(by=None, name="李专家", organisation="山西博物院", user=user, areas=["conservation"], tags="壁画修复")
    (match,) = recommended_for(user)
    assert match.post == need
    assert "壁画" in match.shared_words


def test_nobody_else_gets_recommendations(need):
    assert recommended_for(make_user("association_admin")) == []
    assert recommended_for(make_user("supervisor", jurisdiction="140000")) == []


def test_recommendations_take_the_same_queries_for_one_open_post_or_several(need, needy, near):
    post(near, "壁画修复指导", MURAL_OFFER)
    reader = make_user("museum_admin", museum=needy.museum)
    recommended_for(reader)
    with CaptureQueriesContext(connection) as one:
        recommended_for(reader)
    post(needy, "青铜器除锈培训", "需要青铜器除锈培训。", kind="need")
    post(needy, "库房温湿度", "库房温湿度失控。", kind="need")
    post(near, "青铜器保护", BRONZE_OFFER)
    with CaptureQueriesContext(connection) as several:
        assert len(recommended_for(reader)) == 2
    assert len(several.captured_queries) == len(one.captured_queries)


def test_a_big_museum_without_posts_is_shown_the_needs_near_it(need, near, far):
    helper = make_user("museum_admin", museum=make_museum("山西博物院", city="140100", county="140109", grade="一级",
                                                          tier="省级"))
    post(far, "远处的需求", "需要讲解员培训。", kind="need", area="people")
    recommended = recommended_for(helper)
    assert titles(recommended)[0] == "明代壁画修复指导"
    assert any(r.startswith("相距 ") for r in recommended[0].reasons)
    assert not any(r.startswith("同属") for r in recommended[0].reasons)


def test_a_museum_without_posts_is_matched_by_what_the_registry_says_it_offers(need, near):
    from bangfu.museums.services import museum_set_areas

    admin = make_user("association_admin")
    helper = make_user("museum_admin", museum=make_museum("山西博物院", city="140100", county="140109", grade="一级"))
    museum_set_areas(museum=helper.museum, by=admin, kind="offer",
                     items={"conservation": {"text": "壁画修复与彩塑保护", "capacity": 2}})
    post(near, "青铜器除锈", "青铜器锈蚀，需要除锈。", kind="need")
    recommended = recommended_for(helper)
    assert titles(recommended)[0] == "明代壁画修复指导"
    assert "壁画" in recommended[0].shared_words


# --- long texts ----------------------------------------------------------------------------------------------------


def test_a_need_of_5000_characters_finds_its_matches(need, needy, near):
    from bangfu.exchange.models import PostTerm

    from .exchange_texts import long_text

    description = "急需壁画修复专家现场指导。" + long_text(5000, start=300)
    long = post(needy, "壁画修复与更多", description[:5000], kind="need")
    assert PostTerm.objects.filter(post=long).count() > 1000  # more words than SQLite's 500 compound terms
    post(near, "壁画修复指导", MURAL_OFFER)
    assert titles(matches_for(long)) == ["壁画修复指导"]


def test_a_museum_with_five_long_open_needs_gets_its_recommendations(needy, near):
    from bangfu.exchange.models import PostTerm

    from .exchange_texts import long_text

    for i in range(5):
        post(needy, f"需求{i}", "壁画修复。" + long_text(450, start=300 + 150 * i), kind="need")
    assert PostTerm.objects.values("term").distinct().count() > 600
    post(near, "壁画修复指导", MURAL_OFFER)
    assert titles(recommended_for(make_user("museum_admin", museum=needy.museum))) == ["壁画修复指导"]
