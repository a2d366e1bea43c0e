"""跟班学习/挂职锻炼 and 短期工作指导 (倡议书 §七, 人才培养).

- `PlacementRule`: the association's editable rule of how long a placement runs (3–6 months by default) and the
  学时 a completed placement counts into the person's record (none by default).
- `Placement`: a helped (sending) museum places one of its staff at a helper (host) museum for 跟班学习 or 挂职锻炼:
  department, dates within the rule, goals and plan, a mentor at the host. The sending admin requests it (their
  museum's agreement), the host admin agrees (confirming the mentor) or declines; monthly reports by the person,
  commented by the mentor; the host's final assessment completes it (a certificate unless 不合格, one ledger entry).
- `MonthlyReport`: the placed person's report of one month, with the mentor's comment.
- `Visit`: a short guidance visit (短期工作指导) by a helper's managers to a partner, requested by the helped museum or
  offered by the helper; agreed by the other side; done with a report and photos (one ledger entry).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from bangfu.core.dates import add_months, cn_date
from bangfu.core.models import Attachment
from bangfu.core.scopes import museum_scope
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow

TEXT = [no_control_characters]
MAX_VISIT_DAYS = 30  # a guidance visit is short: longer stays are placements
MAX_TRAINED = 10_000


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- the rule -------------------------------------------------------------------------------------------------


class PlacementRule(models.Model):
    """The one row of the association's placement rule (pk 1). A placement from `start` to `end` (both days
    included) lasts N months when `end` is the day before the same day N months later (1 March – 31 May is 3
    months); it must last at least `min_months` and at most `max_months`: start + min months − 1 day ≤ end ≤
    start + max months − 1 day."""

    min_months = models.PositiveSmallIntegerField("最短期限（月）", default=3,
                                                  validators=[MinValueValidator(1), MaxValueValidator(24)])
    max_months = models.PositiveSmallIntegerField("最长期限（月）", default=6,
                                                  validators=[MinValueValidator(1), MaxValueValidator(24)])
    credit_hours = models.DecimalField(
        "结业计入学时", max_digits=5, decimal_places=1, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
        help_text="考核合格以上时计入本人年度学时档案；0 表示不计学时（只发证书，帮扶台账按天数记录）")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "跟班学习期限规则"
        constraints = [models.CheckConstraint(condition=Q(min_months__lte=F("max_months")),
                                              name="placement_rule_min_le_max")]

    def __str__(self):
        return self.label

    @classmethod
    def current(cls) -> PlacementRule:
        rule = cls.objects.filter(pk=1).first()
        return rule if rule is not None else cls.objects.get_or_create(pk=1)[0]

    @property
    def label(self) -> str:
        return f"{self.min_months}–{self.max_months} 个月"

    def earliest_end(self, start: datetime.date) -> datetime.date:
        return add_months(start, self.min_months) - datetime.timedelta(days=1)

    def latest_end(self, start: datetime.date) -> datetime.date:
        return add_months(start, self.max_months) - datetime.timedelta(days=1)

    def error(self, start: datetime.date | None, end: datetime.date | None) -> str:
        """Why the term breaks the rule ("" when it keeps it), naming the rule and the allowed end dates."""
        if start is None or end is None:
            return ""
        if end < start:
            return "结束日期不能早于开始日期。"
        low, high = self.earliest_end(start), self.latest_end(start)
        if low <= end <= high:
            return ""
        return (f"跟班学习/挂职锻炼期限须为 {self.label}（协会规则）：自{cn_date(start)}开始，结束日期应在"
                f"{cn_date(low)}至{cn_date(high)}之间。")


# --- placements ---------------------------------------------------------------------------------------------


class PlacementKind(models.TextChoices):
    STUDY = "study", "跟班学习"
    SECONDMENT = "secondment", "挂职锻炼"


class PlacementStatus(models.TextChoices):
    REQUESTED = "requested", "待接收馆同意"
    AGREED = "agreed", "已同意"
    IN_PROGRESS = "in_progress", "进行中"
    COMPLETED = "completed", "已结业"
    DECLINED = "declined", "已婉拒"
    WITHDRAWN = "withdrawn", "已撤回"
    CANCELLED = "cancelled", "已取消"


PLACEMENT_OPEN = (PlacementStatus.REQUESTED, PlacementStatus.AGREED, PlacementStatus.IN_PROGRESS)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The two museums' staff, the association, the supervisors of either's jurisdiction."""
        scope = museum_scope(user, "host", "sending")
        return self if scope is None else self.filter(scope)

    def open(self):
        return self.filter(status__in=PLACEMENT_OPEN)


class Placement(models.Model):
    PARTIES = {"host": "host", "sending": "sending"}

    sending = models.ForeignKey("museums.Museum", verbose_name="派出馆", on_delete=models.PROTECT,
                                related_name="placements_sent")
    host = models.ForeignKey("museums.Museum", verbose_name="接收馆", on_delete=models.PROTECT,
                             related_name="placements_hosted")
    pairing = models.ForeignKey("pairings.Pairing", verbose_name="结对", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="placements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="派出人员", on_delete=models.PROTECT,
                               related_name="placements")
    kind = models.CharField("方式", max_length=12, choices=PlacementKind.choices, default=PlacementKind.STUDY)
    department = models.CharField("接收部门", max_length=100, blank=True, validators=TEXT)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    goals = models.TextField("学习目标与计划", validators=TEXT)
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="指导老师", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="placements_mentored")
    status = models.CharField("状态", max_length=12, choices=PlacementStatus.choices,
                              default=PlacementStatus.REQUESTED, db_index=True)
    grade = models.CharField("考核等次", max_length=10, choices=Grade.choices, blank=True)
    assessment = models.TextField("考核评语", blank=True, validators=TEXT)
    completed_on = models.DateField("结业日期", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="placement")

    objects = PlacementQuerySet.as_manager()

    workflow = Workflow(
        Move("agree", "接收馆同意", source=[PlacementStatus.REQUESTED], target=PlacementStatus.AGREED),
        Move("decline", "婉拒", source=[PlacementStatus.REQUESTED], target=PlacementStatus.DECLINED,
             reason="婉拒必须说明原因。"),
        Move("withdraw", "撤回申请", source=[PlacementStatus.REQUESTED, PlacementStatus.AGREED],
             target=PlacementStatus.WITHDRAWN, reason="撤回必须说明原因。"),
        Move("start", "报到开始", source=[PlacementStatus.AGREED], target=PlacementStatus.IN_PROGRESS),
        Move("complete", "考核结业", source=[PlacementStatus.IN_PROGRESS], target=PlacementStatus.COMPLETED),
        Move("cancel", "中止", source=[PlacementStatus.AGREED, PlacementStatus.IN_PROGRESS],
             target=PlacementStatus.CANCELLED, reason="中止必须说明原因。"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "跟班学习/挂职锻炼"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(host=F("sending")), name="placement_two_museums"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="placement_end_after_start"),
        ]

    def __str__(self):
        return f"{self.person_name}·{self.get_kind_display()}（{self.host}）"

    @property
    def person_name(self) -> str:
        return self.person.display_name

    @property
    def days(self) -> int:
        """The placement's days, both ends counted (to the day of its assessment when it ended early)."""
        end = min(self.end, self.completed_on) if self.completed_on else self.end
        return max((end - self.start).days + 1, 1)

    def report_months(self, today: datetime.date) -> list[datetime.date]:
        """The months (their first days) the person reports on: from the start's month to the last month that has
        ended by `today`, not beyond the end's month."""
        months, month = [], self.start.replace(day=1)
        last = min(self.end, today).replace(day=1)
        while month <= last and month_end(month) < today:
            months.append(month)
            month = add_months(month, 1)
        return months


class MonthlyReport(models.Model):
    placement = models.ForeignKey(Placement, verbose_name="跟班学习", on_delete=models.CASCADE,
                                  related_name="reports")
    month = models.DateField("月份", help_text="该月第一天")
    work_done = models.TextField("本月工作", validators=TEXT)
    learned = models.TextField("学习收获", validators=TEXT)
    next_plan = models.TextField("下月计划", blank=True, validators=TEXT)
    written_at = models.DateTimeField("提交时间", auto_now_add=True)
    comment = models.TextField("指导老师意见", blank=True, validators=TEXT)
    commented_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="点评人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    commented_at = models.DateTimeField("点评时间", null=True, blank=True)
    attachments = GenericRelation(Attachment, related_query_name="placement_report")

    PARTIES = "placement"

    class Meta:
        verbose_name = verbose_name_plural = "月度报告"
        ordering = ["month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="placement_report_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="placement_report_month_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月}月度报告"


# --- guidance visits ---------------------------------------------------------------------------------------------


class VisitStatus(models.TextChoices):
    PROPOSED = "proposed", "待对方确认"
    AGREED = "agreed", "已商定"
    DONE = "done", "已完成"
    DECLINED = "declined", "已婉拒"
    CANCELLED = "cancelled", "已取消"


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = museum_scope(user, "helper", "helped")
        return self if scope is None else self.filter(scope)


class Visit(models.Model):
    """A short guidance visit of a helper's managers to a partner museum."""

    PARTIES = {"helper": "helper", "helped": "helped"}

    helper = models.ForeignKey("museums.Museum", verbose_name="帮扶馆（派出指导）", on_delete=models.PROTECT,
                               related_name="visits_made")
    helped = models.ForeignKey("museums.Museum", verbose_name="受援馆", on_delete=models.PROTECT,
                               related_name="visits_received")
    pairing = models.ForeignKey("pairings.Pairing", verbose_name="结对", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="visits")
    proposed_side = models.CharField("发起方", max_length=8, choices=[("helper", "帮扶馆提供"),
                                                                    ("helped", "受援馆申请")])
    title = models.CharField("指导主题", max_length=100, validators=TEXT)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    agenda = models.TextField("日程安排", validators=TEXT)
    visitors = models.CharField("指导人员", max_length=300, blank=True, validators=TEXT,
                                help_text="帮扶馆派出的管理人员和业务骨干，如：张三（陈列部主任）")
    visitor_users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="指导人员账号", blank=True,
                                           related_name="guidance_visits")
    status = models.CharField("状态", max_length=10, choices=VisitStatus.choices, default=VisitStatus.PROPOSED,
                              db_index=True)
    report = models.TextField("指导报告", blank=True, validators=TEXT)
    people_trained = models.PositiveIntegerField("现场培训人数", default=0,
                                                 validators=[MaxValueValidator(MAX_TRAINED)])
    done_on = models.DateField("完成日期", null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="guidance_visit")

    objects = VisitQuerySet.as_manager()

    workflow = Workflow(
        Move("agree", "确认", source=[VisitStatus.PROPOSED], target=VisitStatus.AGREED),
        Move("decline", "婉拒", source=[VisitStatus.PROPOSED], target=VisitStatus.DECLINED,
             reason="婉拒必须说明原因。"),
        Move("complete", "提交指导报告", source=[VisitStatus.AGREED], target=VisitStatus.DONE),
        Move("cancel", "取消", source=[VisitStatus.PROPOSED, VisitStatus.AGREED], target=VisitStatus.CANCELLED,
             reason="取消必须说明原因。"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "短期工作指导"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(helper=F("helped")), name="visit_two_museums"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="visit_end_after_start"),
        ]

    def __str__(self):
        return f"{self.title}（{self.helper}→{self.helped}）"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def responding_side(self) -> str:
        return "helped" if self.proposed_side == "helper" else "helper"
