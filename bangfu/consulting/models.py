"""远程咨询 (倡议书 §七, 人才培养): a museum's staff asks a question, helpers' staff and experts answer, the asker
accepts one answer; accepted answers form the knowledge base (searched with the kernel's Chinese search); an
online consultation may be booked as a meeting with a record afterwards.

Who sees what: every signed-in user of the platform reads every question, its answers and meetings (the
knowledge base is shared; questions are about work, not private records). Who acts: see consulting.rules.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.models import Attachment
from bangfu.core.search import TermIndex
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow

TEXT = [no_control_characters]
TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_tags(tags: str) -> list[str]:
    """The tags of a comma (or 、) separated text, each once, in order."""
    return list(dict.fromkeys(t.strip() for t in TAG_SEPARATORS.split(tags or "") if t.strip()))


class QuestionStatus(models.TextChoices):
    OPEN = "open", "待回答"
    ANSWERED = "answered", "已有回答"
    RESOLVED = "resolved", "已解决"
    CLOSED = "closed", "已关闭"


WAITING = (QuestionStatus.OPEN, QuestionStatus.ANSWERED)  # still looking for the answer


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every signed-in user reads every question (the knowledge base is shared); nobody else any."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self

    def knowledge(self):
        """The knowledge base: resolved questions (with their accepted answer)."""
        return self.filter(status=QuestionStatus.RESOLVED, accepted_answer__isnull=False)

    def with_lists(self):
        return self.select_related("museum", "asked_by").annotate(n_answers=models.Count("answers", distinct=True))


class Question(models.Model):
    """A staff member's question to the helpers and experts."""

    PARTIES = {"asker": "museum"}

    museum = models.ForeignKey("museums.Museum", verbose_name="提问馆", on_delete=models.PROTECT,
                               related_name="consulting_questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提问人", on_delete=models.PROTECT,
                                 related_name="consulting_questions")
    area = models.CharField("领域", max_length=20, choices=Area.choices, db_index=True)
    tags = models.CharField("标签", max_length=200, blank=True, validators=TEXT,
                            help_text="用逗号分隔，如 青铜器, 锈蚀")
    title = models.CharField("问题", max_length=100, validators=TEXT)
    body = models.TextField("详细说明", validators=TEXT)
    status = models.CharField("状态", max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN,
                              db_index=True)
    accepted_answer = models.OneToOneField("Answer", verbose_name="采纳的回答", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    first_answer_at = models.DateTimeField("首次回答时间", null=True, blank=True)
    search_text = models.TextField("检索词", blank=True, editable=False)
    created_at = models.DateTimeField("提问时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="consulting_question")

    objects = QuestionQuerySet.as_manager()

    workflow = Workflow(
        Move("answer", "收到回答", source=[QuestionStatus.OPEN], target=QuestionStatus.ANSWERED),
        Move("accept", "采纳回答", source=[QuestionStatus.OPEN, QuestionStatus.ANSWERED],
             target=QuestionStatus.RESOLVED),
        Move("close", "关闭问题", source=[QuestionStatus.OPEN, QuestionStatus.ANSWERED], target=QuestionStatus.CLOSED,
             reason="关闭问题必须说明原因。"),
    )

    class Meta:
        verbose_name = "咨询问题"
        verbose_name_plural = "咨询问题"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=~Q(status="resolved") | Q(accepted_answer__isnull=False),
            name="consulting_resolved_has_answer")]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING


class QuestionTerm(TermIndex):
    """The question's words for the SQLite search (core.search): title, body, tags and the accepted answer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="index_terms")

    class Meta:
        indexes = [models.Index(fields=["term", "question", "weight"], name="consulting_term_lookup")]
        constraints = [models.UniqueConstraint(fields=["question", "term"], name="consulting_term_once")]


class AnswerRole(models.TextChoices):
    HELPER = "helper", "帮扶馆"
    EXPERT = "expert", "专家"
    ASSOCIATION = "association", "协会"


class Answer(models.Model):
    """An answer by a helper museum's staff member, an expert or the association."""

    question = models.ForeignKey(Question, verbose_name="问题", on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回答人", on_delete=models.PROTECT,
                               related_name="consulting_answers")
    museum = models.ForeignKey("museums.Museum", verbose_name="所在馆", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    role = models.CharField("身份", max_length=12, choices=AnswerRole.choices)
    body = models.TextField("回答", validators=TEXT)
    created_at = models.DateTimeField("回答时间", auto_now_add=True)

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = "回答"
        ordering = ["question", "created_at", "id"]

    def __str__(self):
        return f"{self.question}：{self.body[:20]}"


class Comment(models.Model):
    """A remark on a question (the asker's museum asking back, a helper adding a detail)."""

    question = models.ForeignKey(Question, verbose_name="问题", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评论人", on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField("评论", max_length=2000, validators=TEXT)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "评论"
        verbose_name_plural = "评论"
        ordering = ["question", "created_at", "id"]

    def __str__(self):
        return self.body[:20]


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已预约"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class Meeting(models.Model):
    """An online consultation booked for a question (腾讯会议 or any https meeting link), and its record."""

    question = models.ForeignKey(Question, verbose_name="问题", on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField("开始时间", db_index=True)
    duration_minutes = models.PositiveIntegerField("时长（分钟）", default=60,
                                                   validators=[MinValueValidator(15), MaxValueValidator(480)])
    link = models.URLField("会议链接", max_length=300, help_text="以 https:// 开头，如 https://meeting.tencent.com/dm/…")
    meeting_code = models.CharField("会议号", max_length=30, blank=True, validators=TEXT)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="参加人", blank=True,
                                          related_name="consulting_meetings")
    status = models.CharField("状态", max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED, db_index=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="预约人", on_delete=models.PROTECT,
                                  related_name="+")
    minutes = models.TextField("会议纪要", blank=True, validators=TEXT)
    conclusions = models.TextField("结论", blank=True, validators=TEXT)
    created_at = models.DateTimeField("预约时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="consulting_meeting")

    workflow = Workflow(
        Move("record", "记录会议", source=[MeetingStatus.SCHEDULED], target=MeetingStatus.HELD),
        Move("cancel", "取消会议", source=[MeetingStatus.SCHEDULED], target=MeetingStatus.CANCELLED,
             reason="取消会议必须说明原因。"),
    )

    class Meta:
        verbose_name = "在线咨询会议"
        verbose_name_plural = "在线咨询会议"
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(link__startswith="https://"),
                                              name="consulting_meeting_https")]

    def __str__(self):
        return f"{self.question}（{self.starts_at:%Y-%m-%d %H:%M}）"
