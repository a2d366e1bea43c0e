"""培训班 (倡议书 §七, 人才培养): the association's (or a big museum's) training classes for small-museum staff.

- `TrainingClass`: topic, dates, place or link, places in total and per museum, who may apply, the completion
  threshold and optional assessment, materials (attachments), the status workflow.
- `Session`: one lesson of the timetable with its hours (学时) and teachers; its sign-in code opens
  `/training/checkin/<code>/` (the QR code shown by the teacher).
- `Nomination`: a museum's staff member put forward by the museum admin: accepted within the quotas, otherwise
  waiting in order; withdrawn or rejected ones make room for the first waiting person.
- `Attendance`: a participant signed in to a session (by code, or marked by the organiser).
- `ClassMuseum`: one sending museum's result when a class completes (how many of its staff completed): the source
  of that museum's ledger entry (the ledger holds one row per source).
- `Feedback`: a participant's rating of a completed class, once.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum

from bangfu.core.models import Attachment
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow

TEXT = [no_control_characters]
MAX_PLACES = 1000


class Topic(models.TextChoices):
    COLLECTION = "collection", "藏品管理"
    DISPLAY = "display", "陈列设计"
    CONSERVATION = "conservation", "文物保护"
    EDUCATION = "education", "社会教育"
    GUIDING = "guiding", "讲解服务"
    MEDIA = "media", "新媒体运营"
    SAFETY = "safety", "安全管理"
    OTHER = "other", "其他"


class ClassStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "报名中"
    CLOSED = "closed", "报名截止"
    COMPLETED = "completed", "已结业"
    CANCELLED = "cancelled", "已取消"


class Eligibility(models.TextChoices):
    ALL = "all", "所有博物馆"
    HELPED = "helped", "结对帮扶中的受帮扶馆"
    CITIES = "cities", "指定市的博物馆"


class ClassQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published (and later) classes for every signed-in user; drafts for their organiser and the association."""
        if getattr(user, "is_association_admin", False):
            return self
        mine = Q(organiser_museum_id=user.museum_id) if getattr(user, "museum_id", None) else Q(pk__in=[])
        return self.filter(~Q(status=ClassStatus.DRAFT) | mine)

    def open_for_nomination(self):
        return self.filter(status=ClassStatus.PUBLISHED)

    def with_hours(self):
        return self.annotate(total_hours=Sum("sessions__hours"))


class TrainingClass(models.Model):
    """One class (专项业务培训班). Organised by the association (`organiser_museum` empty; its host museum, the
    helper side of its ledger entries, may be named later — the API takes no host — but before completion) or by a
    big museum (organiser and host are that museum)."""

    PARTIES = {"helper": "host"}

    title = models.CharField("班名", max_length=100, validators=TEXT)
    area = models.CharField("业务方向", max_length=16, choices=Topic.choices)
    description = models.TextField("培训内容", blank=True, validators=TEXT)
    organiser_museum = models.ForeignKey("museums.Museum", verbose_name="主办馆", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="training_classes_organised",
                                         help_text="空表示由协会主办")
    host = models.ForeignKey("museums.Museum", verbose_name="承办馆", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="training_classes_hosted",
                             help_text="承办培训的博物馆（台账中的帮扶方）；协会主办的班可以稍后指定，结业前须指定")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    online = models.BooleanField("线上培训", default=False)
    place = models.CharField("地点", max_length=100, blank=True, validators=TEXT)
    link = models.URLField("线上链接", blank=True, max_length=300)
    places = models.PositiveIntegerField("总名额", validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES)])
    places_per_museum = models.PositiveIntegerField("每馆名额", default=0,
                                                    validators=[MaxValueValidator(MAX_PLACES)],
                                                    help_text="0 表示不限")
    eligibility = models.CharField("报名范围", max_length=8, choices=Eligibility.choices, default=Eligibility.ALL)
    cities = models.ManyToManyField("places.Division", verbose_name="指定市", blank=True, related_name="+")
    deadline = models.DateField("报名截止日期", null=True, blank=True)
    threshold = models.PositiveSmallIntegerField("结业出勤率（%）", default=80,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)],
                                                 help_text="按学时计：出勤学时 ÷ 总学时")
    has_assessment = models.BooleanField("有结业考核", default=False)
    pass_mark = models.DecimalField("考核及格分", max_digits=5, decimal_places=1, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    window_before = models.PositiveSmallIntegerField("提前签到（分钟）", default=30,
                                                     validators=[MaxValueValidator(240)],
                                                     help_text="课前多少分钟起可以签到，至下课为止")
    status = models.CharField("状态", max_length=10, choices=ClassStatus.choices, default=ClassStatus.DRAFT,
                              db_index=True)
    completed_on = models.DateField("结业日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="training_class")

    objects = ClassQuerySet.as_manager()

    workflow = Workflow(
        Move("publish", "发布", source=[ClassStatus.DRAFT], target=ClassStatus.PUBLISHED),
        Move("close", "截止报名", source=[ClassStatus.PUBLISHED], target=ClassStatus.CLOSED),
        Move("reopen", "重新开放报名", source=[ClassStatus.CLOSED], target=ClassStatus.PUBLISHED),
        Move("complete", "结业", source=[ClassStatus.PUBLISHED, ClassStatus.CLOSED], target=ClassStatus.COMPLETED),
        Move("cancel", "取消培训班", source=[ClassStatus.DRAFT, ClassStatus.PUBLISHED, ClassStatus.CLOSED],
             target=ClassStatus.CANCELLED, reason="取消必须说明原因。"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "培训班"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="training_class_dates"),
            models.CheckConstraint(condition=Q(places__gte=1), name="training_class_places"),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser_name(self) -> str:
        return self.organiser_museum.display_name if self.organiser_museum_id else "山西省博物馆协会"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_active(self) -> bool:
        return self.status in (ClassStatus.PUBLISHED, ClassStatus.CLOSED)


class Session(models.Model):
    """One lesson of a class's timetable."""

    klass = models.ForeignKey(TrainingClass, verbose_name="培训班", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("课程", max_length=100, validators=TEXT)
    start = models.DateTimeField("开始时间")
    end = models.DateTimeField("结束时间")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))])
    experts = models.ManyToManyField("experts.Expert", verbose_name="授课专家", blank=True, related_name="+")
    teacher_names = models.CharField("其他授课人", max_length=100, blank=True, validators=TEXT,
                                     help_text="本馆或其他馆的授课人员姓名")
    place = models.CharField("地点", max_length=100, blank=True, validators=TEXT)
    code = models.CharField("签到码", max_length=6, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "课程安排"
        ordering = ["klass", "start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="training_session_times")]

    def __str__(self):
        return self.title


class NominationState(models.TextChoices):
    ACCEPTED = "accepted", "已录取"
    WAITING = "waiting", "候补"
    WITHDRAWN = "withdrawn", "已退出"
    REJECTED = "rejected", "未录取"


class Nomination(models.Model):
    klass = models.ForeignKey(TrainingClass, verbose_name="培训班", on_delete=models.CASCADE,
                              related_name="nominations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="学员", on_delete=models.PROTECT,
                               related_name="training_nominations")
    museum = models.ForeignKey("museums.Museum", verbose_name="选派馆", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=NominationState.choices, db_index=True)
    queued_at = models.DateTimeField("排队时间", help_text="候补按此顺序递补")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="推荐人", on_delete=models.PROTECT,
                                     related_name="+")
    score = models.DecimalField("考核成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    completed = models.BooleanField("已结业", default=False)
    attended_hours = models.DecimalField("出勤学时", max_digits=6, decimal_places=1, default=0)
    created_at = models.DateTimeField("推荐时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "学员推荐"
        ordering = ["klass", "queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["klass", "person"], name="training_nomination_once")]

    def __str__(self):
        return f"{self.person} · {self.klass}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, verbose_name="课程", on_delete=models.CASCADE, related_name="attendance")
    nomination = models.ForeignKey(Nomination, verbose_name="学员", on_delete=models.CASCADE,
                                   related_name="attendance")
    by_code = models.BooleanField("扫码/签到码签到", default=True)
    at = models.DateTimeField("签到时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "签到"
        constraints = [models.UniqueConstraint(fields=["session", "nomination"], name="training_attend_once")]

    def __str__(self):
        return f"{self.nomination_id} · {self.session_id}"


class ClassMuseum(models.Model):
    """What one sending museum got from a completed class: the source of its ledger entry."""

    klass = models.ForeignKey(TrainingClass, verbose_name="培训班", on_delete=models.CASCADE,
                              related_name="museum_results")
    museum = models.ForeignKey("museums.Museum", verbose_name="选派馆", on_delete=models.PROTECT, related_name="+")
    completers = models.PositiveIntegerField("结业人数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "培训班选派馆结业情况"
        constraints = [models.UniqueConstraint(fields=["klass", "museum"], name="training_result_per_museum")]

    def __str__(self):
        return f"{self.klass} · {self.museum}"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Feedback(models.Model):
    klass = models.ForeignKey(TrainingClass, verbose_name="培训班", on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="学员", on_delete=models.CASCADE,
                               related_name="+")
    content = models.PositiveSmallIntegerField("课程内容", validators=RATING)
    teachers = models.PositiveSmallIntegerField("授课老师", validators=RATING)
    organisation = models.PositiveSmallIntegerField("组织服务", validators=RATING)
    comment = models.TextField("意见建议", blank=True, max_length=1000, validators=TEXT)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训评价"
        constraints = [
            models.UniqueConstraint(fields=["klass", "person"], name="training_feedback_once"),
            models.CheckConstraint(condition=Q(content__gte=1, content__lte=5, teachers__gte=1, teachers__lte=5,
                                               organisation__gte=1, organisation__lte=5),
                                   name="training_feedback_range"),
        ]

    def __str__(self):
        return f"{self.person} · {self.klass}"
