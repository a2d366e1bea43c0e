"""Pairings: the association's rules, the status moves, the pages and who may use them."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import AuditEntry
from bangfu.museums.models import Offering
from bangfu.museums.services import museum_set_areas
from bangfu.pairings import models as pairing_models
from bangfu.pairings import services
from bangfu.pairings.forms import years_later
from bangfu.pairings.models import Pairing, PairingExclusion, PairingKind, PairingStatus, ProgrammeRules

from .factories import make_museum, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _agreements_count_as_confirmed(request, monkeypatch):
    """These tests are about the pairing's own status machine; whether its agreement was confirmed (required for
    "agreed" and "active") is tested on its own below and in tests/test_agreements.py."""
    if "real_agreements" not in request.keywords:
        monkeypatch.setattr(pairing_models, "has_confirmed_agreement", lambda pairing: True)


@pytest.mark.real_agreements
def test_a_pairing_is_agreed_and_started_only_with_a_confirmed_agreement(world):
    pairing = services.pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                                      start_date=timezone.localdate(), end_date=years_later(timezone.localdate(), 3))
    with pytest.raises(ValidationError, match="帮扶协议经双方确认后"):
        services.pairing_set_status(pairing=pairing, by=world.admin, status="agreed")
    pairing.refresh_from_db()
    assert pairing.status == "proposed"

TODAY = timezone.localdate()


def pair(world, helper=None, helped=None, **fields) -> Pairing:
    fields.setdefault("start_date", TODAY)
    fields.setdefault("end_date", years_later(TODAY, 3))
    return services.pairing_create(by=world.admin, helper=helper or world.helper_museum,
                                   helped=helped or world.helped_museum, **fields)


def big(name: str, city: str = "140100") -> object:
    """A helper museum (first grade)."""
    return make_museum(name, city=city, grade="一级", tier="省级")


def small(name: str, county: str = "141026") -> object:
    """A helped museum (county level)."""
    return make_museum(name, county=county)


def areas(museum, kind, *names):
    museum_set_areas(museum=museum, by=None, kind=kind, items={a: {"text": "", "capacity": None} for a in names})


# --- the rules ---------------------------------------------------------------------------------------------


def test_a_helper_takes_at_most_three_open_pairings(world):
    for i in range(3):
        pair(world, helped=small(f"受援馆{i}"))
    with pytest.raises(ValidationError, match="达到上限 3 家"):
        pair(world, helped=small("第四家"))


def test_completed_and_ended_pairings_free_the_helpers_capacity(world):
    done, ended, _ = (pair(world, helped=small(f"受援馆{i}")) for i in range(3))
    for status in ("agreed", "active", "completed"):
        services.pairing_set_status(pairing=done, by=world.admin, status=status)
    services.pairing_set_status(pairing=ended, by=world.admin, status="ended", reason="受援馆合并")
    pair(world, helped=small("第四家"))
    pair(world, helped=small("第五家"))
    assert Pairing.objects.open().filter(helper=world.helper_museum).count() == 3


def test_a_helped_museum_has_one_primary_helper_and_may_have_assisting_ones(world):
    pair(world)
    second = big("大同市博物馆", city="140200")
    with pytest.raises(ValidationError, match="已有主要帮扶方"):
        pair(world, helper=second)
    assisting = pair(world, helper=second, is_primary=False)
    assert not assisting.is_primary


def test_the_same_two_museums_have_one_open_pairing_at_a_time(world):
    pair(world, is_primary=False)
    with pytest.raises(ValidationError, match="已有一个未结束的结对"):
        pair(world, is_primary=False)


def test_an_excluded_pair_cannot_be_paired(world):
    services.exclusion_add(by=world.admin, museum_a=world.helped_museum, museum_b=world.helper_museum,
                           reason="两馆已另有合作")
    with pytest.raises(ValidationError, match="不结对"):
        pair(world)


def test_only_helpers_help_and_only_helped_museums_are_helped(world):
    with pytest.raises(ValidationError) as refused:
        pair(world, helper=world.other_museum)
    assert "不是帮扶方" in refused.value.message_dict["helper"][0]
    with pytest.raises(ValidationError) as refused:
        pair(world, helped=big("山西地质博物馆"))
    assert "不是受援方" in refused.value.message_dict["helped"][0]


def test_a_head_branch_pairing_needs_the_helped_museum_to_be_a_branch(world):
    with pytest.raises(ValidationError) as refused:
        pair(world, kind=PairingKind.HEAD_BRANCH)
    assert "不是山西博物院的分馆" in refused.value.message_dict["kind"][0]
    branch = make_museum("山西博物院安泽分馆", county="141026", head=world.helper_museum)
    assert pair(world, helped=branch, kind=PairingKind.HEAD_BRANCH).kind == PairingKind.HEAD_BRANCH


def test_raised_limits_allow_more_pairings(world):
    services.rules_update(by=world.admin, data={"max_helped_per_helper": 4})
    for i in range(4):
        pair(world, helped=small(f"受援馆{i}"))
    assert Pairing.objects.open().filter(helper=world.helper_museum).count() == 4


def test_making_an_assisting_pairing_primary_checks_the_rule_again(world):
    pair(world)
    assisting = pair(world, helper=big("大同市博物馆", city="140200"), is_primary=False)
    with pytest.raises(ValidationError, match="已有主要帮扶方"):
        services.pairing_update(pairing=assisting, by=world.admin, data={"is_primary": True})


# --- status ------------------------------------------------------------------------------------------------


def test_a_pairing_moves_from_proposed_to_completed_step_by_step(world):
    pairing = pair(world)
    for status in ("agreed", "active", "completed"):
        pairing = services.pairing_set_status(pairing=pairing, by=world.admin, status=status)
        assert pairing.status == status
    assert AuditEntry.objects.filter(object_type="pairings.pairing", object_id=str(pairing.pk),
                                     action="结对已完成").exists()


def test_a_pairing_cannot_skip_a_step_or_go_back(world):
    pairing = pair(world)
    with pytest.raises(ValidationError, match="不能改为“进行中”"):
        services.pairing_set_status(pairing=pairing, by=world.admin, status="active")
    services.pairing_set_status(pairing=pairing, by=world.admin, status="agreed")
    with pytest.raises(ValidationError, match="不能改为“提议中”"):
        services.pairing_set_status(pairing=pairing, by=world.admin, status="proposed")


def test_ending_early_needs_a_reason_and_records_it(world):
    pairing = pair(world, start_date=TODAY - datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="必须说明原因"):
        services.pairing_set_status(pairing=pairing, by=world.admin, status="ended", reason="  ")
    ended = services.pairing_set_status(pairing=pairing, by=world.admin, status="ended", reason="受援馆闭馆改造")
    assert ended.status == PairingStatus.ENDED and ended.ended_reason == "受援馆闭馆改造"
    assert ended.end_date == TODAY
    entry = AuditEntry.objects.get(object_type="pairings.pairing", object_id=str(pairing.pk), action="结对提前终止")
    assert entry.note == "受援馆闭馆改造"
    with pytest.raises(ValidationError):
        services.pairing_set_status(pairing=ended, by=world.admin, status="active")


def test_an_unknown_status_is_refused_in_chinese(world):
    with pytest.raises(ValidationError, match="未知的结对状态"):
        services.pairing_set_status(pairing=pair(world), by=world.admin, status="paused")


# --- the list and the map ------------------------------------------------------------------------------------


PAGES = ["pairings:list", "pairings:lines", "agreements:overview", "pairings:create", "pairings:suggestions",
         "pairings:rules"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_association_sees_every_pairing_on_the_list(world, login):
    pair(world)
    pair(world, helper=big("大同市博物馆", city="140200"), helped=small("天镇新馆", county="140222"))
    body = login(world.admin).get(reverse("pairings:list")).content.decode()
    assert body.count('data-testid="pairing-row"') == 2
    assert "安泽县博物馆" in body and "天镇新馆" in body


def test_museum_staff_see_only_the_pairings_of_their_museum(world, login):
    pair(world)
    pair(world, helper=big("大同市博物馆", city="140200"), helped=world.other_museum)
    body = login(world.helped_staff).get(reverse("pairings:list")).content.decode()
    assert body.count('data-testid="pairing-row"') == 1 and "天镇县博物馆" not in body
    lines = login(world.helped_staff).get(reverse("pairings:lines")).json()["lines"]
    assert [line["helped"]["name"] for line in lines] == ["安泽县博物馆"]


def test_an_outsider_sees_no_other_museums_pairings(world, login):
    pair(world)
    client = login(world.outsider)
    body = client.get(reverse("pairings:list")).content.decode()
    assert 'data-testid="pairing-row"' not in body and "安泽县博物馆" not in body
    assert client.get(reverse("pairings:lines")).json() == {"lines": [], "count": 0}


def test_a_city_supervisor_sees_the_pairings_of_their_city_read_only(world, login):
    pair(world)
    datong = pair(world, helper=big("大同市博物馆", city="140200"), helped=world.other_museum)
    client = login(world.city_supervisor)
    body = client.get(reverse("pairings:list")).content.decode()
    assert body.count('data-testid="pairing-row"') == 1 and "天镇县博物馆" in body
    assert "提前终止结对" not in body and reverse("pairings:create") not in body
    response = client.post(reverse("pairings:status", args=[datong.pk]), {"status": "agreed"})
    assert response.status_code == 403


def test_the_list_filters_by_status_kind_city_party_and_search(world, login):
    first = pair(world)
    datong_museum = big("大同市博物馆", city="140200")
    second = pair(world, helper=datong_museum, helped=world.other_museum)
    services.pairing_set_status(pairing=second, by=world.admin, status="agreed")
    third = pair(world, helper=datong_museum, helped=small("灵丘县博物馆", county="140224"), is_primary=False,
                 kind=PairingKind.GROUP)
    services.pairing_set_status(pairing=third, by=world.admin, status="ended", reason="并入他馆")
    client = login(world.admin)

    def rows(**params):
        response = client.get(reverse("pairings:list"), params, headers={"HX-Request": "true",
                                                                         "HX-Target": "results"})
        return {p.pk for p in response.context["page"].object_list}

    assert rows() == {first.pk, second.pk}  # open pairings by default
    assert rows(status="all") == {first.pk, second.pk, third.pk}
    assert rows(status="agreed") == {second.pk}
    assert rows(status="all", kind="group") == {third.pk}
    assert rows(city=world.other_museum.city_id) == {second.pk}
    assert rows(status="all", helper=datong_museum.pk) == {second.pk, third.pk}
    assert rows(helped=world.helped_museum.pk) == {first.pk}
    assert rows(q="tzx") == {second.pk}  # 天镇县博物馆 by pinyin initials
    assert rows(q="山西博物院") == {first.pk}
    assert rows(status="nonsense", city="x") == {first.pk, second.pk}


def test_an_htmx_request_gets_only_the_results(world, login):
    pair(world)
    response = login(world.admin).get(reverse("pairings:list"), headers={"HX-Request": "true",
                                                                         "HX-Target": "results"})
    body = response.content.decode()
    assert 'data-testid="pairing-row"' in body and "<html" not in body and 'id="filters"' not in body


def test_the_map_lines_follow_the_filters_and_link_both_museums(world, login):
    pairing = pair(world)
    lines = login(world.admin).get(reverse("pairings:lines")).json()["lines"]
    assert len(lines) == 1
    line = lines[0]
    assert line["id"] == pairing.pk and line["status"] == "proposed" and line["status_label"] == "提议中"
    assert line["helper"]["value"] == [world.helper_museum.lng, world.helper_museum.lat]
    assert line["helped"]["name"] == "安泽县博物馆" and line["km"] == pairing.distance_km
    assert login(world.admin).get(reverse("pairings:lines"), {"status": "active"}).json()["count"] == 0


def _many_pairings(world, helpers: int):
    for i in range(helpers):
        helper = big(f"帮扶馆{i}", city="140200")
        for j in range(3):
            pairing = pair(world, helper=helper, helped=small(f"受援馆{i}-{j}", county="140222"))
            if j == 1:
                services.pairing_set_status(pairing=pairing, by=world.admin, status="agreed")


@pytest.mark.parametrize("name", ["pairings:list", "pairings:lines", "agreements:overview"])
def test_the_pages_query_count_does_not_grow_with_the_pairings(name, world, login):
    client = login(world.admin)
    pair(world)
    client.get(reverse(name))  # warm caches (session, rules row)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    _many_pairings(world, helpers=4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_association_sees_status_moves_and_museum_staff_do_not(world, login):
    pair(world)
    assert "提前终止结对" in login(world.admin).get(reverse("pairings:list")).content.decode()
    assert "提前终止结对" not in login(world.helper_admin).get(reverse("pairings:list")).content.decode()


# --- the overview ------------------------------------------------------------------------------------------


def test_the_overview_lists_unpaired_helped_museums_and_helpers_with_spare_capacity(world, login):
    areas(world.helper_museum, Offering.OFFER, "conservation", "education")
    areas(world.other_museum, Offering.NEED, "conservation")
    pair(world)
    full = big("满额大馆", city="140200")
    for i in range(3):
        pair(world, helper=full, helped=small(f"满额受援馆{i}", county="140222"))
    response = login(world.admin).get(reverse("agreements:overview"))
    o = response.context["o"]
    assert world.other_museum in o.unpaired and world.helped_museum not in o.unpaired
    spare = {m.name: m for m in o.spare}
    assert "满额大馆" not in spare and spare["山西博物院"].spare == 2
    assert [a.area for a in spare["山西博物院"].offers] == ["conservation", "education"]
    assert o.spare_slots == 2 and o.open_count == 4
    body = response.content.decode()
    assert "文物保护" in body and f"{reverse('pairings:create')}?helped={world.other_museum.pk}" in body


def test_the_overview_shows_overdue_tasks_and_agreements_near_their_end(world, login):
    agreements = pytest.importorskip("bangfu.agreements.services", reason="the agreements services land separately")
    agreement_create, agreement_update = agreements.agreement_create, agreements.agreement_update

    pairing = pair(world, start_date=TODAY - datetime.timedelta(days=300),
                   end_date=TODAY + datetime.timedelta(days=20))
    agreement = agreement_create(pairing=pairing, by=world.admin, title="山西博物院帮扶安泽县博物馆协议")
    agreement_update(agreement=agreement, by=world.admin, goals={"people": "培养讲解员"}, tasks=[
        {"title": "库房温湿度监测", "area": "conservation", "due_date": TODAY - datetime.timedelta(days=10)},
        {"title": "讲解员培训", "area": "people", "due_date": TODAY + datetime.timedelta(days=10)},
    ])
    draft = login(world.admin).get(reverse("agreements:overview")).context["o"]
    assert draft.overdue_count == 0  # a draft's tasks are not owed yet
    agreements.agreement_submit(agreement=agreement, by=world.admin)
    agreements.agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreements.agreement_confirm(agreement=agreement, by=world.helped_admin)
    o = login(world.admin).get(reverse("agreements:overview")).context["o"]
    assert [t.title for t in o.overdue] == ["库房温湿度监测"] and o.overdue_count == 1
    assert [a.title for a in o.ending] == ["山西博物院帮扶安泽县博物馆协议"]
    city = login(world.city_supervisor).get(reverse("agreements:overview")).context["o"]
    assert city.overdue == [] and city.ending == []  # neither museum is in 大同


def test_a_supervisor_sees_the_overview_of_their_jurisdiction_without_actions(world, login):
    pair(world)
    response = login(world.city_supervisor).get(reverse("agreements:overview"))
    o = response.context["o"]
    assert {m.name for m in o.unpaired} == {"天镇县博物馆"} and o.spare == [] and o.open_count == 0
    assert reverse("pairings:create") not in response.content.decode()


def test_museum_staff_and_experts_cannot_see_the_overview(world, login):
    assert login(world.helper_admin).get(reverse("agreements:overview")).status_code == 403
    assert login(world.expert).get(reverse("agreements:overview")).status_code == 403


# --- a new pairing -----------------------------------------------------------------------------------------


def test_the_association_creates_a_pairing_with_the_form(world, login):
    client = login(world.admin)
    form = client.get(reverse("pairings:create")).context["form"]
    assert form["start_date"].initial == TODAY and form["end_date"].initial == years_later(TODAY, 3)
    response = client.post(reverse("pairings:create"), {
        "helper": world.helper_museum.pk, "helped": world.helped_museum.pk, "kind": "one_to_one",
        "is_primary": "on", "start_date": "2026-01-01", "end_date": "2028-12-31", "note": "协会第一批结对",
    })
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("agreements:pairing", args=[pairing.pk])
    assert (pairing.status, pairing.source, pairing.created_by, pairing.note) == (
        "proposed", "manual", world.admin, "协会第一批结对")
    assert pairing.distance_km is not None and pairing.distance_km > 100


def test_a_broken_rule_is_explained_on_the_form(world, login):
    pair(world)
    response = login(world.admin).post(reverse("pairings:create"), {
        "helper": big("大同市博物馆", city="140200").pk, "helped": world.helped_museum.pk, "kind": "one_to_one",
        "is_primary": "on", "start_date": "2026-01-01", "end_date": "2028-12-31",
    })
    assert response.status_code == 400
    assert "安泽县博物馆已有主要帮扶方" in response.content.decode()
    assert Pairing.objects.count() == 1


def test_the_form_refuses_a_museum_of_the_wrong_role_and_reversed_dates(world, login):
    response = login(world.admin).post(reverse("pairings:create"), {
        "helper": world.other_museum.pk, "helped": world.helped_museum.pk, "kind": "one_to_one",
        "start_date": "2026-01-01", "end_date": "2025-12-31",
    })
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "helper" in errors and errors["end_date"] == ["结束日期不能早于开始日期。"]


def test_the_form_preselects_museums_from_the_address(world, login):
    response = login(world.admin).get(reverse("pairings:create"), {"helped": world.helped_museum.pk})
    assert response.context["form"]["helped"].value() == str(world.helped_museum.pk)


@pytest.mark.parametrize("persona", ["helper_admin", "province_supervisor", "expert"])
def test_only_the_association_opens_the_management_pages(persona, world, login):
    client = login(getattr(world, persona))
    for name in ("pairings:create", "pairings:suggestions", "pairings:rules"):
        assert client.get(reverse(name)).status_code == 403


# --- suggestions -------------------------------------------------------------------------------------------


def _suggestion_world(world):
    areas(world.helper_museum, Offering.OFFER, "conservation")
    areas(world.helped_museum, Offering.NEED, "conservation", "education")
    return world


def test_the_suggestions_page_explains_each_suggestion_and_saves_nothing(world, login):
    _suggestion_world(world)
    response = login(world.admin).get(reverse("pairings:suggestions"))
    proposal = response.context["proposal"]
    found = {(s.helper_id, s.helped_id): s for s in proposal.suggestions}
    suggestion = found[(world.helper_museum.pk, world.helped_museum.pk)]
    assert suggestion.areas == ["conservation"] and suggestion.km > 0
    body = response.content.decode()
    assert "文物保护" in body and f"{suggestion.km:.1f} 公里" in body and "满足 1/2 项需求" in body
    assert f'value="{world.helper_museum.pk}-{world.helped_museum.pk}"' in body
    assert reverse("pairings:rules") in body
    assert Pairing.objects.count() == 0


def test_accepting_suggestions_creates_proposed_pairings(world, login):
    _suggestion_world(world)
    other_helper = big("大同市博物馆", city="140200")
    response = login(world.admin).post(reverse("pairings:suggestions"), {"accept": [
        f"{world.helper_museum.pk}-{world.helped_museum.pk}", f"{other_helper.pk}-{world.other_museum.pk}"]})
    assert response.status_code == 302 and response["Location"] == reverse("pairings:list") + "?status=proposed"
    pairings = Pairing.objects.order_by("id")
    assert [(p.helper, p.helped, p.source, p.status) for p in pairings] == [
        (world.helper_museum, world.helped_museum, "suggestion", "proposed"),
        (other_helper, world.other_museum, "suggestion", "proposed")]
    assert pairings[0].end_date == years_later(TODAY, 3)


def test_a_suggestion_the_rules_now_refuse_is_reported_and_the_others_are_created(world, login):
    other_helper = big("大同市博物馆", city="140200")
    pair(world, helper=other_helper)  # someone paired 安泽 after the proposal was shown
    client = login(world.admin)
    response = client.post(reverse("pairings:suggestions"), {"accept": [
        f"{world.helper_museum.pk}-{world.helped_museum.pk}", f"{other_helper.pk}-{world.other_museum.pk}"]},
        follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("已采纳 1 条推荐" in m for m in messages)
    assert any(m.startswith("未创建 山西博物院 → 安泽县博物馆") and "已有主要帮扶方" in m for m in messages)
    assert Pairing.objects.filter(helped=world.other_museum, source="suggestion").exists()


def test_accepting_nothing_or_garbage_creates_nothing(world, login):
    client = login(world.admin)
    assert client.post(reverse("pairings:suggestions"), {}).status_code == 400
    assert client.post(reverse("pairings:suggestions"), {"accept": ["1-x"]}).status_code == 400
    response = client.post(reverse("pairings:suggestions"), {"accept": ["999999-999998"]}, follow=True)
    assert any("博物馆不存在" in str(m) for m in response.context["messages"])
    assert Pairing.objects.count() == 0


def test_suggest_pairings_prints_json_and_saves_nothing(world):
    _suggestion_world(world)
    out = io.StringIO()
    call_command("suggest_pairings", "--json", stdout=out)
    data = json.loads(out.getvalue())
    first = next(s for s in data["suggestions"] if s["helped_id"] == world.helped_museum.pk)
    assert first["helper_id"] == world.helper_museum.pk and first["fit"] == 1 and first["km"] > 0
    assert data["objective"] == pytest.approx(sum(s["cost"] for s in data["suggestions"]), abs=0.01)
    assert {"suggestions", "objective", "unassigned", "weights"} <= data.keys()
    assert Pairing.objects.count() == 0


def test_suggest_pairings_prints_a_readable_chinese_table(world):
    _suggestion_world(world)
    out = io.StringIO()
    call_command("suggest_pairings", stdout=out)
    text = out.getvalue()
    assert "帮扶方" in text and "山西博物院" in text and "安泽县博物馆" in text and "文物保护" in text
    assert "平均距离" in text and "1/2" in text and "代价" not in text and "不保存" in text


# --- rules and exclusions ----------------------------------------------------------------------------------


def test_the_association_changes_the_rules_and_the_change_is_recorded(world, login):
    client = login(world.admin)
    response = client.post(reverse("pairings:rules"), {
        "max_helped_per_helper": 2, "max_primary_helpers_per_helped": 1, "distance_weight": "1.5",
        "fit_weight": "0", "max_distance_km": "200",
    })
    assert response.status_code == 302
    rules = ProgrammeRules.current()
    assert (rules.max_helped_per_helper, rules.distance_weight, rules.fit_weight, rules.max_distance_km) == (
        2, 1.5, 0, 200)
    entry = AuditEntry.objects.get(action="修改结对规则")
    assert entry.changes["max_helped_per_helper"] == [3, 2] and "max_primary_helpers_per_helped" not in entry.changes


def test_the_rules_refuse_a_zero_capacity_and_negative_weights(world, login):
    response = login(world.admin).post(reverse("pairings:rules"), {
        "max_helped_per_helper": 0, "max_primary_helpers_per_helped": 1, "distance_weight": "-1",
        "fit_weight": "60",
    })
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "max_helped_per_helper" in errors and ProgrammeRules.current().max_helped_per_helper == 3
    assert "权重不能为负数。" in response.content.decode() or "distance_weight" in errors


def test_exclusions_are_added_and_removed_on_the_rules_page(world, login):
    client = login(world.admin)
    response = client.post(reverse("pairings:exclusion_add"), {
        "museum_a": world.helper_museum.pk, "museum_b": world.helped_museum.pk, "reason": "两馆已另有合作"})
    assert response.status_code == 302
    exclusion = PairingExclusion.objects.get()
    assert "两馆已另有合作" in client.get(reverse("pairings:rules")).content.decode()
    assert all(s.helped_id != world.helped_museum.pk or s.helper_id != world.helper_museum.pk
               for s in client.get(reverse("pairings:suggestions")).context["proposal"].suggestions)
    assert client.post(reverse("pairings:exclusion_remove", args=[exclusion.pk])).status_code == 302
    assert not PairingExclusion.objects.exists()


def test_an_exclusion_needs_two_museums(world, login):
    response = login(world.admin).post(reverse("pairings:exclusion_add"), {"museum_a": world.helper_museum.pk})
    assert response.status_code == 400 and "请选择受援方。" in response.content.decode()


# --- status moves through the page -------------------------------------------------------------------------


def test_the_association_moves_a_pairing_and_returns_to_the_list(world, login):
    pairing = pair(world)
    client = login(world.admin)
    response = client.post(reverse("pairings:status", args=[pairing.pk]),
                           {"status": "agreed", "next": "/pairings/?status=agreed"})
    assert response.status_code == 302 and response["Location"] == "/pairings/?status=agreed"
    pairing.refresh_from_db()
    assert pairing.status == "agreed"


def test_ending_without_a_reason_is_refused_with_a_message(world, login):
    pairing = pair(world)
    response = login(world.admin).post(reverse("pairings:status", args=[pairing.pk]), {"status": "ended"},
                                       follow=True)
    assert any("提前终止必须说明原因" in str(m) for m in response.context["messages"])
    pairing.refresh_from_db()
    assert pairing.status == "proposed"


def test_the_status_page_does_not_follow_a_foreign_next_address(world, login):
    pairing = pair(world)
    response = login(world.admin).post(reverse("pairings:status", args=[pairing.pk]),
                                       {"status": "agreed", "next": "https://evil.example/"})
    assert response["Location"] == reverse("agreements:pairing", args=[pairing.pk])


def test_outsiders_get_404_and_the_parties_403_on_status_moves(world, login):
    pairing = pair(world)
    assert login(world.outsider).post(reverse("pairings:status", args=[pairing.pk]),
                                      {"status": "agreed"}).status_code == 404
    for persona in (world.helper_admin, world.helped_staff, world.province_supervisor):
        assert login(persona).post(reverse("pairings:status", args=[pairing.pk]),
                                   {"status": "agreed"}).status_code == 403
    pairing.refresh_from_db()
    assert pairing.status == "proposed"


def test_a_new_helper_museum_admin_sees_an_empty_list_that_says_so(world, login):
    museum = big("山西青铜博物馆")
    body = login(make_user("museum_admin", museum=museum)).get(reverse("pairings:list")).content.decode()
    assert 'data-testid="no-results"' in body and "还没有未结束的结对" in body


def test_the_weights_cannot_both_be_zero(world):
    with pytest.raises(ValidationError, match="不能同时为 0"):
        services.rules_update(by=world.admin, data={"distance_weight": 0, "fit_weight": 0})


def test_suggestions_name_the_helpers_whose_position_is_unknown(world, login):
    make_museum("山西某某博物馆", grade="一级", tier="省级")  # a helper with free places but no known place
    body = login(world.admin).get(reverse("pairings:suggestions")).content.decode()
    assert 'data-testid="helpers-without-position"' in body and "山西某某博物馆" in body
