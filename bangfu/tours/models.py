"""专家巡讲 (倡议书 §七, 人才培养): the association forms a team of experts from the pool (a 巡讲团) and plans a
route through county museums; each stop has a date, a topic, its teachers (from the team) and its audience. When a
stop has taken place its attendance is recorded and it is marked done: one ledger entry per stop (the tour's lead
museum helped the stop's museum; people trained = attendance, 1 day), and the stop museum's staff listed as
present get the stop's 学时 in their learning record.

- `LectureTour`: the team (experts, a leader), the lead museum (the helper side of the ledger), the period, the
  status (planned → under way → finished; cancelled) moved through `core.workflow`.
- `LectureStop`: one county museum on the route, ordered by date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow

TEXT = [no_control_characters]
MAX_ATTENDANCE = 100_000


class TourStatus(models.TextChoices):
    PLANNED = "planned", "筹备中"
    UNDERWAY = "underway", "巡讲中"
    FINISHED = "finished", "已结束"
    CANCELLED = "cancelled", "已取消"


class StopStatus(models.TextChoices):
    PLANNED = "planned", "待开展"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class Audience(models.TextChoices):
    STAFF = "staff", "馆员"
    PUBLIC = "public", "公众"
    STUDENTS = "students", "学生"
    MIXED = "mixed", "馆员与公众"


class LectureTourQuerySet(models.QuerySet):
    def with_team(self):
        return self.select_related("lead_museum", "leader").prefetch_related("experts")


class LectureTour(models.Model):
    title = models.CharField("巡讲名称", max_length=120, validators=TEXT)
    area = models.CharField("业务领域", max_length=20, choices=Area.choices, default=Area.PEOPLE)
    theme = models.CharField("巡讲主题", max_length=200, blank=True, validators=TEXT)
    description = models.TextField("简介", blank=True, validators=TEXT)
    lead_museum = models.ForeignKey(
        "museums.Museum", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+",
        help_text="派出巡讲团的帮扶单位：每一站记入帮扶台账时作为帮扶方")
    leader = models.ForeignKey("experts.Expert", verbose_name="团长", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    experts = models.ManyToManyField("experts.Expert", verbose_name="巡讲团成员", related_name="lecture_tours")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    status = models.CharField("状态", max_length=10, choices=TourStatus.choices, default=TourStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LectureTourQuerySet.as_manager()

    workflow = Workflow(
        Move("start", "开始巡讲", source=[TourStatus.PLANNED], target=TourStatus.UNDERWAY),
        Move("finish", "结束巡讲", source=[TourStatus.UNDERWAY], target=TourStatus.FINISHED),
        Move("cancel", "取消巡讲", source=[TourStatus.PLANNED, TourStatus.UNDERWAY], target=TourStatus.CANCELLED,
             reason="取消巡讲须说明原因。"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "专家巡讲"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="tour_end_after_start",
                                   violation_error_message="结束日期不能早于开始日期。"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (TourStatus.PLANNED, TourStatus.UNDERWAY)


class LectureStopQuerySet(models.QuerySet):
    def with_places(self):
        return self.select_related("tour", "tour__lead_museum", "museum", "museum__county", "museum__city")


class LectureStop(models.Model):
    """One stop of a tour: a county museum on a date. Its parties (`PARTIES`) are the tour's lead museum (helper)
    and the stop's museum (helped), copied from the tour so that access and the ledger read them in one row."""

    PARTIES = {"helper": "helper", "helped": "museum"}

    tour = models.ForeignKey(LectureTour, verbose_name="巡讲", on_delete=models.CASCADE, related_name="stops")
    museum = models.ForeignKey("museums.Museum", verbose_name="站点博物馆", on_delete=models.PROTECT,
                               related_name="+")
    helper = models.ForeignKey("museums.Museum", verbose_name="牵头单位", on_delete=models.PROTECT,
                               related_name="+", editable=False)
    date = models.DateField("日期")
    topic = models.CharField("讲题", max_length=200, validators=TEXT)
    teachers = models.ManyToManyField("experts.Expert", verbose_name="主讲专家", related_name="tour_stops")
    audience = models.CharField("对象", max_length=10, choices=Audience.choices, default=Audience.STAFF)
    expected = models.PositiveIntegerField("预计人数", default=0,
                                           validators=[MaxValueValidator(MAX_ATTENDANCE)])
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=Decimal("3"),
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
                                help_text="到场馆员计入个人学时档案的学时")
    status = models.CharField("状态", max_length=10, choices=StopStatus.choices, default=StopStatus.PLANNED)
    attendance = models.PositiveIntegerField("实到人数", null=True, blank=True,
                                             validators=[MaxValueValidator(MAX_ATTENDANCE)])
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="到场馆员（平台账号）", blank=True,
                                       related_name="+")
    notes = models.TextField("纪要", blank=True, validators=TEXT)
    done_at = models.DateTimeField("标记完成时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("站点博物馆确认时间", null=True, blank=True,
                                        help_text="站点博物馆的管理员确认接待；改期或换馆后需重新确认")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LectureStopQuerySet.as_manager()

    workflow = Workflow(
        Move("done", "完成本站", source=[StopStatus.PLANNED], target=StopStatus.DONE),
        Move("cancel", "取消本站", source=[StopStatus.PLANNED], target=StopStatus.CANCELLED,
             reason="取消本站须说明原因。"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "巡讲站点"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(attendance__isnull=True) | Q(attendance__lte=MAX_ATTENDANCE),
                                   name="stop_attendance_in_range"),
        ]
        indexes = [models.Index(fields=["date"], name="tour_stop_date_idx")]

    def __str__(self):
        return f"{self.date} {self.museum} {self.topic}"
