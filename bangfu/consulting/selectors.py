"""Reads of 远程咨询 shared by the pages and the API: the question list's filters, the questions a user may answer,
the knowledge base search, the figures of the chart."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from bangfu.core.areas import Area
from bangfu.core.search import search, snippet
from bangfu.pairings.models import Pairing
from bangfu.parties import acts_for_association, works_at_museum

from .models import WAITING, Answer, Question, QuestionStatus, QuestionTerm
from .rules import expert_of

SNIPPET_LENGTH = 120
ANSWERED_WITHIN_DAYS = 3


@dataclass(frozen=True)
class Filters:
    q: str = ""
    area: str = ""
    tag: str = ""

    @classmethod
    def of(cls, params) -> Filters:
        from bangfu.core.params import text_param

        area = text_param(params, "area")
        return cls(q=text_param(params, "q", max_length=200), area=area if area in Area.values else "",
                   tag=text_param(params, "tag", max_length=20))


def filtered(queryset, filters: Filters):
    if filters.area:
        queryset = queryset.filter(area=filters.area)
    if filters.tag:
        queryset = queryset.filter(tags__icontains=filters.tag)
    return queryset


def search_questions(queryset, q: str, *, any_word: bool = False):
    """(the questions matching q, by relevance; the words to highlight) — the kernel's Chinese search."""
    return search(queryset, q, terms=QuestionTerm, owner="question", then_by=("-created_at", "-id"),
                  any_word=any_word)


def for_answerer(user, queryset=None):
    """The questions still waiting that the user is asked to answer and has not answered: an expert's in their
    areas, a helper's staff's from the museums their museum helps (open pairings; a helper of the tier without
    pairings: every museum's), the association's all."""
    queryset = (queryset if queryset is not None else Question.objects.all()).filter(status__in=WAITING)
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    queryset = queryset.exclude(Exists(Answer.objects.filter(question=OuterRef("pk"), author=user)))
    if acts_for_association(user):
        return queryset
    scope = Q(pk__in=[])
    expert = expert_of(user)
    if expert is not None:
        scope |= Q(area__in=expert.specialties.values("area"))
    if works_at_museum(user):
        helped = Pairing.objects.open().filter(helper_id=user.museum_id).values("helped_id")
        if Pairing.objects.open().filter(helper_id=user.museum_id).exists():
            scope |= Q(museum_id__in=helped)
        elif user.museum.is_helper:
            scope |= ~Q(museum_id=user.museum_id)
    return queryset.filter(scope)


def knowledge(filters: Filters):
    """(the knowledge base's entries matching the filters, with their accepted answers; the searched words; whether
    they match only some of the words). People type questions as sentences (「纸质文书发霉怎么办」): when no entry
    holds every word, the entries holding any of them come instead, those with the most and rarest words first."""
    queryset = filtered(Question.objects.knowledge(), filters).select_related(
        "museum", "accepted_answer", "accepted_answer__author", "accepted_answer__museum")
    rows, words = search_questions(queryset, filters.q)
    if not words:
        return rows.order_by("-resolved_at", "-id"), words, False
    if len(words) > 1 and not rows.exists():
        rows, words = search_questions(queryset, filters.q, any_word=True)
        return rows, words, True
    return rows, words, False


def with_snippets(questions, words, length: int = SNIPPET_LENGTH):
    """Each question with `snippet_question` and `snippet_answer`: escaped, searched words marked."""
    for question in questions:
        question.snippet_question = snippet(question.body, words, length=length)
        answer = question.accepted_answer.body if question.accepted_answer_id else ""
        question.snippet_answer = snippet(answer, words, length=length)
    return questions


def area_figures(since: datetime.datetime | None = None) -> list[dict]:
    """Per area: questions asked, resolved, and answered within ANSWERED_WITHIN_DAYS days (one query)."""
    rows = Question.objects.all()
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    from django.db.models import DurationField, ExpressionWrapper, F

    rows = rows.annotate(wait=ExpressionWrapper(F("first_answer_at") - F("created_at"), output_field=DurationField()))
    counts = {r["area"]: r for r in rows.order_by().values("area").annotate(
        asked=Count("pk"), resolved=Count("pk", filter=Q(status=QuestionStatus.RESOLVED)),
        quick=Count("pk", filter=Q(wait__lte=datetime.timedelta(days=ANSWERED_WITHIN_DAYS))))}
    return [{"area": value, "label": str(label), "asked": counts.get(value, {}).get("asked", 0),
             "resolved": counts.get(value, {}).get("resolved", 0), "quick": counts.get(value, {}).get("quick", 0)}
            for value, label in Area.choices]
