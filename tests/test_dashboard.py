"""Each role's home page shows what needs their attention."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import AuditEntry
from bangfu.ledger.services import ledger_record

from .factories import make_agreement, make_museum

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
    # grouped by county inside a city; a museum known only by its city still counts, in a bar of its own
    assert response.context["stats"]["cities"]["names"] == ["天镇县", "市直属或县未定"]
    assert sum(response.context["stats"]["cities"]["others"]) + sum(response.context["stats"]["cities"]["helped"]) == 2
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
    with django_assert_max_num_queries(16):  # 15 with the exchange's posts waiting for review, 16 with overdue loans
        client.get(reverse("home"))


def test_modules_not_built_yet_say_so(client):
    body = client.get(reverse("module", args=["fund"])).content.decode()
    assert "尚未开放" in body and "专项资金" in body
    assert client.get(reverse("module", args=["nonsense"])).status_code == 404
    assert client.get(reverse("module", args=["pairings"])).status_code == 404  # built: it has its own pages


# --- tasks, notifications and ledger confirmations on the home pages (issue 3) ---------------------------------


def _days(n: int):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_museum_staff_see_their_overdue_and_soon_due_tasks_their_own_first(login, world):
    make_agreement(world, tasks=[
        {"title": "馆员负责的任务", "due_date": _days(10), "responsible": world.helper_staff},
        {"title": "本馆的任务", "due_date": _days(2)},
        {"title": "对方的任务", "due_date": _days(1), "owner_side": "helped"},
        {"title": "逾期的任务", "due_date": _days(-3)},
        {"title": "远期任务", "due_date": _days(60)},
    ])
    response = login(world.helper_staff).get(reverse("home"))
    assert [t.title for t in response.context["due_tasks"]] == ["馆员负责的任务", "本馆的任务", "对方的任务"]
    assert [t.title for t in response.context["overdue_tasks"]] == ["逾期的任务"]
    assert response.context["task_counts"] == {"overdue": 1, "due_soon": 3}
    body = response.content.decode()
    assert "已逾期 3 天" in body and "我负责" in body and "远期任务" not in body


def test_a_museum_without_pairings_is_told_where_tasks_come_from(login, world):
    body = login(world.helped_staff).get(reverse("home")).content.decode()
    assert 'data-testid="no-tasks"' in body and "还没有进行中的结对" in body and "没有未读通知" in body


def test_museum_home_lists_unread_notifications_and_entries_awaiting_confirmation(login, world):
    ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum, area="people",
                  kind="培训", date=_days(-5), description="培训", people_trained=5,
                  evidence_link="https://news.example.org/1")
    response = login(world.helped_staff).get(reverse("home"))
    assert response.context["awaiting"] == 1
    day = _days(-5)
    title = f"山西博物院登记了帮扶台账（培训，{day.month}月{day.day}日），请确认"
    assert [n.title for n in response.context["unread"]] == [title]
    assert "去确认" in response.content.decode()


def test_association_home_counts_overdue_tasks_and_pending_confirmations(login, world):
    make_agreement(world, tasks=[{"title": "逾期", "due_date": _days(-1)}, {"title": "将到期", "due_date": _days(5)}])
    ledger_record(by=world.helped_staff, helper=world.helper_museum, helped=world.helped_museum, area="people",
                  kind="培训", date=_days(-5), description="培训", people_trained=5,
                  evidence_link="https://news.example.org/1")
    response = login(world.admin).get(reverse("home"))
    assert response.context["task_counts"] == {"overdue": 1, "due_soon": 1}
    assert response.context["awaiting"] == 1
    body = response.content.decode()
    assert 'data-testid="overdue-count"' in body and 'data-testid="awaiting-count"' in body


def test_supervisor_home_counts_pairings_and_tasks_in_the_jurisdiction(login, world):
    make_agreement(world, tasks=[{"title": "逾期", "due_date": _days(-1)}])  # 太原 → 临汾: not in 大同市
    province = login(world.province_supervisor).get(reverse("home")).context
    assert province["pairing_counts"]["running"] == 1 and province["task_counts"]["overdue"] == 1
    city = login(world.city_supervisor).get(reverse("home")).context
    assert city["pairing_counts"]["running"] == 0 and city["task_counts"] == {"overdue": 0, "due_soon": 0}


def test_museum_home_query_count_does_not_grow_with_tasks(login, world, django_assert_max_num_queries):
    client = login(world.helper_staff)
    make_agreement(world, tasks=[{"title": f"任务{i}", "due_date": _days(i - 2)} for i in range(3)])
    client.get(reverse("home"))
    with django_assert_max_num_queries(20) as few:  # 18 with the loans waiting for the museum, 20 with stop requests
        client.get(reverse("home"))
    make_agreement(world, helped=make_museum("阳高县博物馆", county="140221", tier="县级"),
                   tasks=[{"title": f"更多任务{i}", "due_date": _days(i - 5)} for i in range(15)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
