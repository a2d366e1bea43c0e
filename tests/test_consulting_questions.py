"""远程咨询: who may ask, answer, comment, accept and close; who hears of a new question; the pages and their query
counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.consulting.models import QuestionStatus
from bangfu.consulting.services import answer_accept, answer_add, comment_add, question_close
from bangfu.notifications.models import Notification

from .consulting_data import ask, experts, pair
from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    pair(world)
    experts(world)
    return world


def test_museum_staff_ask_and_the_question_belongs_to_their_museum(scene):
    question = ask(scene)
    assert question.museum == scene.helped_museum and question.status == QuestionStatus.OPEN
    assert question.tag_list == ["青铜器", "锈蚀"]


def test_an_expert_without_a_museum_cannot_ask(scene):
    with pytest.raises(PermissionDenied):
        ask(scene, by=scene.expert)


def test_a_question_needs_an_area_and_a_title(scene):
    with pytest.raises(ValidationError) as error:
        ask(scene, area="", title="")
    assert "area" in error.value.message_dict


def test_control_characters_are_refused(scene):
    with pytest.raises(ValidationError) as error:
        ask(scene, title="库房\x07湿度")
    assert "title" in error.value.message_dict


def test_the_helper_staff_the_expert_and_the_association_answer(scene):
    question = ask(scene)
    for user in (scene.helper_staff, scene.expert, scene.admin):
        answer_add(question=question, by=user, body=f"{user.username} 的建议")
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.first_answer_at is not None
    assert list(question.answers.values_list("role", flat=True)) == ["helper", "expert", "association"]


@pytest.mark.parametrize("who", ["outsider", "helped_admin", "helped_staff", "city_supervisor"])
def test_an_outsider_museum_the_askers_own_museum_and_a_supervisor_cannot_answer(scene, who):
    question = ask(scene)
    with pytest.raises(PermissionDenied):
        answer_add(question=question, by=getattr(scene, who), body="我来答")


def test_the_askers_museum_comments_but_an_outsider_cannot(scene):
    question = ask(scene)
    comment_add(question=question, by=scene.helped_admin, body="补充：铜戈长 20 厘米。")
    with pytest.raises(PermissionDenied):
        comment_add(question=question, by=scene.outsider, body="路过")


def test_the_asker_accepts_an_answer_and_the_question_is_resolved(scene):
    question = ask(scene)
    answer = answer_add(question=question, by=scene.expert, body="隔离，控制湿度 40% 以下。")
    answer_accept(question=question, answer=answer, by=scene.helped_staff)
    question.refresh_from_db()
    assert question.status == QuestionStatus.RESOLVED and question.accepted_answer == answer
    with pytest.raises(PermissionDenied):  # resolved: no more answers
        answer_add(question=question, by=scene.helper_staff, body="再补充一点")


def test_the_askers_museum_admin_may_accept_for_the_asker(scene):
    question = ask(scene)
    answer = answer_add(question=question, by=scene.expert, body="隔离。")
    answer_accept(question=question, answer=answer, by=scene.helped_admin)
    question.refresh_from_db()
    assert question.status == QuestionStatus.RESOLVED


@pytest.mark.parametrize("who", ["outsider", "outsider_admin", "helper_admin", "expert", "admin"])
def test_nobody_but_the_asker_or_their_admin_accepts(scene, who):
    question = ask(scene)
    answer = answer_add(question=question, by=scene.expert, body="隔离。")
    with pytest.raises(PermissionDenied):
        answer_accept(question=question, answer=answer, by=getattr(scene, who))


def test_a_colleague_who_is_not_admin_cannot_accept(scene):
    colleague = make_user("museum_staff", museum=scene.helped_museum)
    question = ask(scene)
    answer = answer_add(question=question, by=scene.expert, body="隔离。")
    with pytest.raises(PermissionDenied):
        answer_accept(question=question, answer=answer, by=colleague)


def test_an_answer_of_another_question_cannot_be_accepted(scene):
    first, second = ask(scene), ask(scene, title="另一个问题")
    answer = answer_add(question=second, by=scene.expert, body="隔离。")
    with pytest.raises(ValidationError):
        answer_accept(question=first, answer=answer, by=scene.helped_staff)


def test_closing_needs_a_reason_and_stops_answers(scene):
    question = ask(scene)
    with pytest.raises(ValidationError):
        question_close(question=question, by=scene.helped_staff, reason="")
    question_close(question=question, by=scene.helped_staff, reason="已自行解决")
    with pytest.raises(PermissionDenied):
        answer_add(question=question, by=scene.expert, body="晚了")


def test_a_new_question_tells_the_helpers_staff_and_matching_experts(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(scene)
    told = set(Notification.objects.filter(key=f"consulting-asked-{question.pk}").values_list("user__username",
                                                                                               flat=True))
    assert told == {"helper_admin", "helper_staff", "expert"}  # not the educator, not the outsider, not the asker


def test_the_asker_hears_of_an_answer_and_the_author_of_the_acceptance(scene, django_capture_on_commit_callbacks):
    question = ask(scene)
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_add(question=question, by=scene.expert, body="隔离。")
    assert Notification.objects.filter(user=scene.helped_staff, key=f"consulting-answer-{answer.pk}").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer_accept(question=question, answer=answer, by=scene.helped_staff)
    assert Notification.objects.filter(user=scene.expert, key=f"consulting-accepted-{question.pk}").exists()


# --- pages ------------------------------------------------------------------------------------------------------

def test_the_ask_page_creates_a_question_and_shows_errors_beside_the_fields(scene, login):
    client = login(scene.helped_staff)
    response = client.post(reverse("consulting:ask"), {"area": "conservation", "title": "", "body": "x"})
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    response = client.post(reverse("consulting:ask"), {"area": "conservation", "title": "库房湿度偏高",
                                                      "body": "梅雨季库房湿度到 75%。", "tags": "库房，湿度"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "库房湿度偏高" in page and "梅雨季库房湿度到 75%" in page


def test_the_question_page_offers_accept_to_the_asker_only(scene, login):
    question = ask(scene)
    answer_add(question=question, by=scene.expert, body="隔离<script>alert(1)</script>")
    page = login(scene.helped_staff).get(reverse("consulting:question", args=[question.pk])).content.decode()
    assert "采纳这个回答" in page and "<script>alert(1)" not in page
    page = login(scene.outsider).get(reverse("consulting:question", args=[question.pk])).content.decode()
    assert "采纳这个回答" not in page and "我来回答" not in page


def test_accepting_through_the_page(scene, login):
    question = ask(scene)
    answer = answer_add(question=question, by=scene.expert, body="隔离。")
    response = login(scene.helped_staff).post(reverse("consulting:accept", args=[question.pk]), {"answer": answer.pk})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk


@pytest.mark.parametrize("value", ["99999999999999999999999", "١٢", "abc"])
def test_accepting_a_bad_answer_id_is_a_message_not_a_500(scene, login, value):
    question = ask(scene)
    response = login(scene.helped_staff).post(reverse("consulting:accept", args=[question.pk]), {"answer": value})
    assert response.status_code == 400


def test_the_todo_list_shows_the_expert_the_questions_of_their_area_not_yet_answered(scene, login):
    mine = ask(scene)
    other = ask(scene, title="讲解词怎么写才生动", area="education", tags="讲解")
    page = login(scene.expert).get(reverse("consulting:todo")).content.decode()
    assert mine.title in page and other.title not in page
    answer_add(question=mine, by=scene.expert, body="隔离。")
    assert mine.title not in login(scene.expert).get(reverse("consulting:todo")).content.decode()


def test_the_helper_sees_its_partners_questions_as_answerable(scene, login):
    question = ask(scene)
    page = login(scene.helper_staff).get(reverse("consulting:home"), {"for": "me"}).content.decode()
    assert question.title in page


def test_the_list_filters_by_status_area_and_tag(scene, login):
    bronze = ask(scene)
    guide = ask(scene, title="讲解词怎么写才生动", area="education", tags="讲解")
    client = login(scene.helped_staff)
    page = client.get(reverse("consulting:home"), {"area": "education"}).content.decode()
    assert guide.title in page and bronze.title not in page
    page = client.get(reverse("consulting:home"), {"tag": "锈蚀"}).content.decode()
    assert bronze.title in page and guide.title not in page
    answer_add(question=bronze, by=scene.expert, body="隔离。")
    page = client.get(reverse("consulting:home"), {"status": "answered"}).content.decode()
    assert bronze.title in page and guide.title not in page


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name,params", [("consulting:home", {}), ("consulting:home", {"q": "青铜器"}),
                                         ("consulting:home", {"for": "me", "status": "open"}),
                                         ("consulting:todo", {}), ("consulting:knowledge", {}),
                                         ("consulting:knowledge", {"q": "锈蚀"})])
def test_the_lists_query_count_does_not_grow_with_rows(scene, login, name, params):
    client = login(scene.admin)

    def add(n):
        for i in range(n):
            question = ask(scene, title=f"青铜器锈蚀问题 {n}-{i}")  # distinct: the same question again is one
            answer = answer_add(question=question, by=scene.expert, body="隔离，控制湿度。锈蚀")
            answer_accept(question=question, answer=answer, by=scene.helped_staff)
            ask(scene, title=f"青铜器锈蚀新问题 {n}-{i}")

    add(2)
    client.get(reverse(name), params)
    few = _queries(client, reverse(name), params)
    add(5)
    assert _queries(client, reverse(name), params) == few


def test_the_question_page_query_count_does_not_grow_with_answers(scene, login):
    question = ask(scene)
    client = login(scene.helped_staff)
    answer_add(question=question, by=scene.expert, body="一")
    url = reverse("consulting:question", args=[question.pk])
    client.get(url)
    few = _queries(client, url)
    for i in range(5):
        answer_add(question=question, by=scene.helper_staff, body=f"回答 {i}")
        comment_add(question=question, by=scene.helped_admin, body=f"评论 {i}")
    assert _queries(client, url) <= few + 2  # the comments' list appears
