"""The knowledge base: accepted questions and answers searched with the kernel's Chinese search (jieba words; the
GIN-indexed tsvector on PostgreSQL, the term index elsewhere — the same results), filtered by area and tag, with
escaped snippets; the read-only API."""

import pytest
from django.db import connection
from django.urls import reverse

from bangfu.consulting.models import Question, QuestionTerm
from bangfu.consulting.selectors import Filters, knowledge
from bangfu.consulting.services import answer_accept, answer_add
from bangfu.core import search as kernel_search
from bangfu.core.chinese_text import query_groups

from .consulting_data import ask, experts, pair

pytestmark = pytest.mark.django_db


def _resolve(world, question, body, by=None):
    answer = answer_add(question=question, by=by or world.expert, body=body)
    answer_accept(question=question, answer=answer, by=question.asked_by)
    return question


@pytest.fixture
def base(world):
    pair(world)
    experts(world)
    world.humidity = _resolve(world, ask(world, title="库房相对湿度控制", area="conservation", tags="库房，湿度",
                                         body="我馆库房在汾河边，夏季相对湿度经常超过 75%。"),
                              "建议使用恒湿机，把相对湿度控制在 45%～55%，每天记录温湿度。")
    world.bronze = _resolve(world, ask(world, title="青铜器粉状锈的处理", tags="青铜器，锈蚀",
                                       body="战国铜戈出现浅绿色粉状锈。"),
                            "先隔离，用苯并三氮唑缓蚀处理，展柜放置干燥剂。")
    world.guide = _resolve(world, ask(world, title="讲解词撰写", area="education", tags="讲解",
                                      body="县馆新展需要讲解词，怎样写得生动？"),
                           "从一件文物的故事讲起，<b>少用</b>术语。", by=world.helper_staff)
    world.waiting = ask(world, title="库房湿度计怎么选", body="还没有人回答。")
    return world


def _titles(q="", **filters):
    rows, _, _ = knowledge(Filters(q=q, **filters))
    return [r.title for r in rows]


def test_a_word_finds_the_longer_phrase_it_is_part_of(base):
    assert _titles("湿度") == ["库房相对湿度控制"]  # not the waiting question


def test_several_words_must_all_match_and_answers_are_searched_too(base):
    assert _titles("青铜器 干燥剂") == ["青铜器粉状锈的处理"]
    assert _titles("恒湿机") == ["库房相对湿度控制"]
    rows, _, partial = knowledge(Filters(q="青铜器 干燥剂"))
    assert not partial


def test_a_question_typed_as_a_sentence_finds_the_entries_holding_some_of_its_words(base):
    """No entry holds every word of 「库房湿度太高，展柜也返潮，怎么办」: the entries holding some of them come
    instead, the one holding the most first, and the page says the match is partial."""
    rows, words, partial = knowledge(Filters(q="库房湿度太高，展柜也返潮，怎么办"))
    assert partial and [r.title for r in rows][0] == "库房相对湿度控制"
    assert {"库房", "湿度"} <= set(words)
    rows, _, partial = knowledge(Filters(q="青铜器 讲解词"))
    assert partial and {r.title for r in rows} == {"青铜器粉状锈的处理", "讲解词撰写"}
    assert _titles("完全无关的词语组合") == []  # nothing holds any of them: still nothing


def test_only_accepted_questions_are_in_the_knowledge_base(base):
    assert "库房湿度计怎么选" not in _titles()
    assert len(_titles()) == 3


def test_area_and_tag_filters(base):
    assert _titles(area="education") == ["讲解词撰写"]
    assert _titles(tag="锈蚀") == ["青铜器粉状锈的处理"]
    assert _titles("库房", area="education") == []


def test_a_query_of_punctuation_only_lists_everything(base):
    assert len(_titles("！？，")) == 3


def test_the_term_index_and_the_database_search_give_the_same_results(base):
    """On PostgreSQL the tsvector answers; its results are compared with the term index's (the SQLite path)."""
    for q in ["湿度", "青铜器", "讲解", "库房 湿度", "文物"]:
        rows, _ = kernel_search.search(Question.objects.knowledge(), q, terms=QuestionTerm, owner="question")
        fallback = kernel_search._search_terms(Question.objects.knowledge(), query_groups(q), terms=QuestionTerm,
                                               owner="question", then_by=("-id",))
        assert {r.pk for r in rows} == {r.pk for r in fallback}, q


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column exists on PostgreSQL only")
def test_postgresql_searches_the_stored_vector(base):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector @@ to_tsquery('simple', '湿度') FROM consulting_question WHERE id = %s",
                       [base.humidity.pk])
        assert cursor.fetchone()[0] is True


def test_the_page_says_when_the_entries_hold_only_some_of_the_words(base, login):
    page = login(base.outsider).get(reverse("consulting:knowledge"), {"q": "库房湿度太高怎么办"}).content.decode()
    assert 'data-testid="partial-match"' in page and "库房相对湿度控制" in page
    page = login(base.outsider).get(reverse("consulting:knowledge"), {"q": "湿度"}).content.decode()
    assert 'data-testid="partial-match"' not in page


def test_the_page_highlights_the_words_and_escapes_html(base, login):
    page = login(base.outsider).get(reverse("consulting:knowledge"), {"q": "讲解"}).content.decode()
    assert "<mark>讲解</mark>" in page
    assert "&lt;b&gt;少用&lt;/b&gt;" in page and "<b>少用</b>" not in page


def test_html_in_the_query_is_escaped(base, login):
    page = login(base.outsider).get(reverse("consulting:knowledge"), {"q": "<script>湿度"}).content.decode()
    assert "<script>湿度" not in page and "库房相对湿度控制" in page


def test_the_question_list_searches_every_question(base, login):
    page = login(base.helped_staff).get(reverse("consulting:home"), {"q": "湿度"}).content.decode()
    assert "库房湿度计怎么选" in page and "库房相对湿度控制" in page and "讲解词撰写" not in page


def test_the_api_returns_the_accepted_questions_and_answers(base, client):
    from bangfu.api.services import token_create

    _, secret = token_create(user=base.outsider, name="集成")
    response = client.get("/api/consulting/knowledge", {"q": "湿度"}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["title"] == "库房相对湿度控制"
    assert "恒湿机" in body["items"][0]["answer"]


def test_the_api_needs_a_token(base, client):
    assert client.get("/api/consulting/knowledge").status_code == 401


def test_the_reindex_command_rebuilds_the_index(base):
    from django.core.management import call_command

    QuestionTerm.objects.all().delete()
    Question.objects.update(search_text="")
    assert _titles("湿度") == [] or connection.vendor == "postgresql"
    call_command("reindex_consulting")
    assert _titles("湿度") == ["库房相对湿度控制"]
