"""Exhibitions (§二 of the programme): mature exhibitions a museum tours to others (巡展) with their tour calendar,
and a small museum's own exhibition project guided stage by stage by its helper (联合策展 / 全过程指导).

A tour stop holds the exhibition from its set-up to its dismantling plus the transit to the next venue: its
`held_from`–`held_until` (the stop's dates widened by the exhibition's set-up and transit days) may not overlap
another held stop's — refused by `services.stop_request` under a row lock on the exhibition."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from bangfu.core.models import Attachment
from bangfu.core.scopes import museum_scope
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow


class TouringStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "可预约"
    WITHDRAWN = "withdrawn", "已下架"


class TouringQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TouringStatus.PUBLISHED)

    def visible_to(self, user):
        """Published exhibitions for everyone (the public marketplace); drafts and withdrawn ones for the owner's
        staff, the association and the supervisors of the owner's jurisdiction."""
        published = Q(status=TouringStatus.PUBLISHED)
        if not (user.is_authenticated and user.is_active):
            return self.filter(published)
        scope = museum_scope(user, "museum")
        return self if scope is None else self.filter(published | scope)


class TouringExhibition(models.Model):
    """An exhibition its owner offers to tour: what a venue needs to know to host it."""

    museum = models.ForeignKey("museums.Museum", verbose_name="出展馆", on_delete=models.PROTECT,
                               related_name="touring_exhibitions")
    title = models.CharField("展览名称", max_length=100, validators=[no_control_characters])
    theme = models.CharField("主题", max_length=100, blank=True, validators=[no_control_characters])
    description = models.TextField("展览介绍", validators=[no_control_characters])
    items = models.ManyToManyField("objects.CollectionObject", verbose_name="展品", blank=True,
                                   related_name="touring_exhibitions")
    item_list = models.TextField("展品清单说明", blank=True, validators=[no_control_characters],
                                 help_text="未登记在平台的展品、复制品、展板等")
    floor_area = models.DecimalField("展厅面积（平方米）", max_digits=7, decimal_places=1,
                                     validators=[MinValueValidator(0), MaxValueValidator(100_000)])
    wall_length = models.DecimalField("展线长度（米）", max_digits=7, decimal_places=1, null=True, blank=True,
                                      validators=[MinValueValidator(0), MaxValueValidator(100_000)])
    crates = models.PositiveSmallIntegerField("展箱/包装箱数", default=0, validators=[MaxValueValidator(10_000)])
    climate = models.TextField("温湿度要求", blank=True, validators=[no_control_characters])
    security = models.TextField("安防要求", blank=True, validators=[no_control_characters])
    cost_terms = models.TextField("费用约定", blank=True, validators=[no_control_characters],
                                  help_text="如 出展方承担布展，接展方承担运输与保险")
    setup_days = models.PositiveSmallIntegerField("布展天数", default=5, validators=[MaxValueValidator(90)])
    transit_days = models.PositiveSmallIntegerField("撤展与运输天数", default=5, validators=[MaxValueValidator(90)])
    min_days = models.PositiveSmallIntegerField("最短展期（天）", default=30,
                                                validators=[MinValueValidator(1), MaxValueValidator(3650)])
    status = models.CharField("状态", max_length=10, choices=TouringStatus.choices, default=TouringStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="touring_exhibition")

    objects = TouringQuerySet.as_manager()

    workflow = Workflow(
        Move("publish", "发布", source=[TouringStatus.DRAFT, TouringStatus.WITHDRAWN], target=TouringStatus.PUBLISHED),
        Move("withdraw", "下架", source=[TouringStatus.PUBLISHED], target=TouringStatus.WITHDRAWN,
             reason="下架必须说明原因。"),
    )

    class Meta:
        verbose_name = "巡展"
        verbose_name_plural = "巡展"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class TourWindow(models.Model):
    """A period in which the exhibition is free to tour (venues request stops inside one)."""

    exhibition = models.ForeignKey(TouringExhibition, verbose_name="巡展", on_delete=models.CASCADE,
                                   related_name="windows")
    start = models.DateField("起")
    end = models.DateField("止")

    class Meta:
        verbose_name = "可预约档期"
        verbose_name_plural = "可预约档期"
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="tour_window_order")]

    def __str__(self):
        return f"{self.start} — {self.end}"


class StopStatus(models.TextChoices):
    REQUESTED = "requested", "待确认"
    ACCEPTED = "accepted", "已确认"
    DECLINED = "declined", "已婉拒"
    WITHDRAWN = "withdrawn", "已撤回"
    COMPLETED = "completed", "已结束"


# Stops that hold their dates on the calendar (a further request overlapping them is refused).
HELD_STOP_STATUSES = (StopStatus.REQUESTED, StopStatus.ACCEPTED, StopStatus.COMPLETED)


class StopQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status__in=HELD_STOP_STATUSES)

    def visible_to(self, user):
        """A stop's parties (the owner and the venue), the association and the supervisors; the public sees held
        stops of published exhibitions as dates on the calendar (`public_calendar`), not this."""
        scope = museum_scope(user, "exhibition__museum", "venue")
        return self if scope is None else self.filter(scope)


class TourStop(models.Model):
    """One venue of a tour: requested by the venue museum, accepted or declined by the owner, completed with its
    figures (one ledger entry, source `exhibitions.stop`)."""

    PARTIES = {"owner": "owner", "venue": "venue"}

    exhibition = models.ForeignKey(TouringExhibition, verbose_name="巡展", on_delete=models.PROTECT,
                                   related_name="stops")
    owner = models.ForeignKey("museums.Museum", verbose_name="出展馆", on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey("museums.Museum", verbose_name="接展馆", on_delete=models.PROTECT,
                              related_name="tour_stops")
    start = models.DateField("开展日期")
    end = models.DateField("闭展日期")
    held_from = models.DateField("占用起", editable=False)
    held_until = models.DateField("占用止", editable=False)
    note = models.TextField("申请说明", blank=True, validators=[no_control_characters])
    status = models.CharField("状态", max_length=10, choices=StopStatus.choices, default=StopStatus.REQUESTED)
    visitors = models.PositiveIntegerField("观众人次", default=0, validators=[MaxValueValidator(100_000_000)])
    events = models.PositiveIntegerField("配套活动（场）", default=0, validators=[MaxValueValidator(100_000)])
    outcome = models.TextField("展出总结", blank=True, validators=[no_control_characters])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="tour_stop")

    objects = StopQuerySet.as_manager()

    workflow = Workflow(
        Move("accept", "确认档期", source=[StopStatus.REQUESTED], target=StopStatus.ACCEPTED),
        Move("decline", "婉拒", source=[StopStatus.REQUESTED], target=StopStatus.DECLINED,
             reason="婉拒必须说明原因。"),
        Move("withdraw", "撤回", source=[StopStatus.REQUESTED, StopStatus.ACCEPTED], target=StopStatus.WITHDRAWN,
             reason="撤回必须说明原因。"),
        Move("complete", "展出结束", source=[StopStatus.ACCEPTED], target=StopStatus.COMPLETED),
    )

    class Meta:
        verbose_name = "巡展站点"
        verbose_name_plural = "巡展站点"
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="tour_stop_order"),
            models.CheckConstraint(condition=~Q(owner=F("venue")), name="tour_stop_other_venue"),
        ]
        indexes = [models.Index(fields=["exhibition", "status", "held_from"], name="tour_stop_calendar_idx"),
                   # the lists of requests, newest first (a page of 30 read from the index, not a sort of all)
                   models.Index(fields=["-requested_at", "-id"], name="tour_stop_recent_idx")]

    def __str__(self):
        return f"{self.exhibition} @ {self.venue}"


# --- co-curation ---------------------------------------------------------------------------------------------


class Stage(models.TextChoices):
    TOPIC = "topic", "选题"
    CONTENT = "content", "内容设计"
    FORM = "form", "形式设计"
    BUILD = "build", "施工布展"
    OPENING = "opening", "开幕"
    CLOSING = "closing", "撤展"


STAGE_ORDER = list(Stage.values)


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "进行中"
    OPEN = "open", "展出中"
    DONE = "done", "已撤展"
    CANCELLED = "cancelled", "已取消"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The museum and its helper, the association, the supervisors of their jurisdiction."""
        scope = museum_scope(user, "museum", "helper")
        return self if scope is None else self.filter(scope)


class CurationProject(models.Model):
    """A small museum's exhibition project guided by its helper through the six stages. Opening it writes one
    ledger entry (source `exhibitions.project`)."""

    PARTIES = {"helper": "helper", "helped": "museum"}

    museum = models.ForeignKey("museums.Museum", verbose_name="策展馆", on_delete=models.PROTECT,
                               related_name="curation_projects")
    helper = models.ForeignKey("museums.Museum", verbose_name="指导馆", on_delete=models.PROTECT,
                               related_name="guided_projects")
    pairing = models.ForeignKey("pairings.Pairing", verbose_name="结对", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    title = models.CharField("展览名称", max_length=100, validators=[no_control_characters])
    description = models.TextField("项目说明", blank=True, validators=[no_control_characters])
    venue = models.CharField("展出地点", max_length=100, blank=True, validators=[no_control_characters])
    stage = models.CharField("当前阶段", max_length=10, choices=Stage.choices, default=Stage.TOPIC)
    status = models.CharField("状态", max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    planned_opening = models.DateField("计划开幕日期", null=True, blank=True)
    opened_on = models.DateField("开幕日期", null=True, blank=True)
    closed_on = models.DateField("撤展日期", null=True, blank=True)
    visitors = models.PositiveIntegerField("观众人次", default=0, validators=[MaxValueValidator(100_000_000)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    workflow = Workflow(
        Move("open", "开幕", source=[ProjectStatus.ACTIVE], target=ProjectStatus.OPEN),
        Move("close", "撤展", source=[ProjectStatus.OPEN], target=ProjectStatus.DONE),
        Move("cancel", "取消项目", source=[ProjectStatus.ACTIVE], target=ProjectStatus.CANCELLED,
             reason="取消必须说明原因。"),
    )

    class Meta:
        verbose_name = "策展项目"
        verbose_name_plural = "策展项目"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(museum=F("helper")), name="curation_other_helper")]

    def __str__(self):
        return self.title


class StageRecord(models.Model):
    """One stage of a project: its planned and actual dates, and when it was finished."""

    project = models.ForeignKey(CurationProject, verbose_name="策展项目", on_delete=models.CASCADE,
                                related_name="stages")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices)
    planned_start = models.DateField("计划开始", null=True, blank=True)
    planned_end = models.DateField("计划完成", null=True, blank=True)
    started_on = models.DateField("实际开始", null=True, blank=True)
    finished_on = models.DateField("实际完成", null=True, blank=True)

    class Meta:
        verbose_name = "策展阶段"
        verbose_name_plural = "策展阶段"
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="curation_stage_once")]

    def __str__(self):
        return self.get_stage_display()


class Guidance(models.Model):
    """A note of guidance the helper's curators (or the museum) record at a stage: what was advised, when, with
    files."""

    project = models.ForeignKey(CurationProject, verbose_name="策展项目", on_delete=models.CASCADE,
                                related_name="guidance")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices)
    date = models.DateField("日期")
    note = models.TextField("指导意见", validators=[no_control_characters])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="curation_guidance")

    class Meta:
        verbose_name = "策展指导"
        verbose_name_plural = "策展指导"
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.date}"
