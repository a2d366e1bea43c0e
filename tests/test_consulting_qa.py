"""What the review round found in 远程咨询: a form sent twice (a double click, a retried POST) made the question, the
answer or the meeting twice, and told everyone twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.consulting.models import Answer, Meeting, Question
from bangfu.consulting.services import answer_add, meeting_book

from .consulting_data import ask, experts, pair

pytestmark = pytest.mark.django_db
LINK = "https://meeting.tencent.com/dm/Ab12Cd34"


def _client(client, user):
    client.force_login(user)
    return client


def test_a_question_sent_twice_is_asked_once(world, client):
    pair(world)
    c = _client(client, world.helped_staff)
    data = {"area": "conservation", "title": "库房相对湿度偏高怎么办", "body": "梅雨季库房湿度超过 75%。"}
    first = c.post(reverse("consulting:ask"), data)
    second = c.post(reverse("consulting:ask"), data)
    assert Question.objects.filter(title=data["title"]).count() == 1
    assert first["Location"] == second["Location"]  # the second click lands on the same question


def test_a_new_question_with_the_same_title_later_is_asked_again(world):
    pair(world)
    first = ask(world)
    Question.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert ask(world).pk != first.pk


def test_an_answer_sent_twice_is_written_once(world, client):
    pair(world)
    experts(world)
    question = ask(world)
    c = _client(client, world.expert)
    for _ in range(2):
        c.post(reverse("consulting:answer_add", args=[question.pk]), {"body": "先隔离，再控湿。"})
    assert Answer.objects.filter(question=question).count() == 1


def test_a_different_answer_by_the_same_person_is_kept(world):
    pair(world)
    experts(world)
    question = ask(world)
    answer_add(question=question, by=world.expert, body="先隔离。")
    answer_add(question=question, by=world.expert, body="补充：再控湿。")
    assert question.answers.count() == 2


def test_a_meeting_booked_twice_is_booked_once(world, client):
    pair(world)
    question = ask(world)
    when = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    data = {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60, "link": LINK}
    c = _client(client, world.helped_staff)
    first = c.post(reverse("consulting:meeting_book", args=[question.pk]), data)
    second = c.post(reverse("consulting:meeting_book", args=[question.pk]), data)
    assert Meeting.objects.filter(question=question).count() == 1
    assert first["Location"] == second["Location"]


def test_the_knowledge_base_offers_to_ask_only_to_who_may_ask(world, client):
    url = reverse("consulting:knowledge")
    client.force_login(world.admin)  # the association answers and closes but does not ask
    page = client.get(url, {"q": "不存在的词语"}).content.decode()
    assert "没有找到相关的问答" in page and reverse("consulting:ask") not in page
    client.force_login(world.helped_staff)
    assert reverse("consulting:ask") in client.get(url, {"q": "不存在的词语"}).content.decode()


@pytest.mark.parametrize("value", ["other", "10" * 15, "２０", ""])
def test_accepting_an_answer_not_of_the_question_says_why(world, client, value):
    pair(world)
    experts(world)
    question = ask(world)
    answer_add(question=question, by=world.expert, body="先隔离。")
    other = answer_add(question=ask(world, title="另一个问题"), by=world.expert, body="另一个回答")
    client.force_login(world.helped_staff)
    response = client.post(reverse("consulting:accept", args=[question.pk]),
                           {"answer": other.pk if value == "other" else value})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="accept-errors"' in page
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_a_record_refused_before_the_meeting_starts_says_why(world, client):
    pair(world)
    question = ask(world)
    when = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    meeting = meeting_book(question=question, by=world.helped_staff, starts_at=when, link=LINK)
    client.force_login(world.helped_staff)  # a page opened before the meeting was moved two days later
    response = client.post(reverse("consulting:meeting_record", args=[meeting.pk]), {"minutes": "讨论了除湿方案。"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="record-errors"' in page and "会议开始之后才能记录纪要" in page
