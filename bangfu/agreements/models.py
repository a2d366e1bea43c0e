"""Agreements (帮扶协议): goals per area, tasks with owners and deadlines, evidence, versions, progress reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bangfu.core.areas import Area
from bangfu.core.models import Attachment
from bangfu.core.scopes import scoped
from bangfu.core.workflow import Move, Workflow
from bangfu.ledger.models import QuantityFields
from bangfu.pairings.models import Pairing


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "草拟中"
    AWAITING = "awaiting", "待双方确认"
    CONFIRMED = "confirmed", "已确认"


class Side(models.TextChoices):
    HELPER = "helper", "帮扶方"
    HELPED = "helped", "受援方"
    BOTH = "both", "双方"

    @classmethod
    def museums(cls, side: str) -> frozenset[str]:
        """The museums of a side: {"helper"}, {"helped"} or both."""
        return frozenset((cls.HELPER, cls.HELPED)) if side == cls.BOTH else frozenset((side,))

    @classmethod
    def of_museums(cls, museums: frozenset[str]) -> str:
        """The side of a set of museums ("" for none): the reverse of `museums`."""
        return cls.BOTH if len(museums) == 2 else next(iter(museums), "")


def _has_goals(agreement, by) -> str:
    return "" if agreement.goals.exists() else "请至少填写一个领域的帮扶目标。"


def _has_tasks(agreement, by) -> str:
    return "" if agreement.tasks.exists() else "请至少列出一项任务（含负责方和截止日期）。"


def _amendment_explained(agreement, by) -> dict[str, str] | None:
    if agreement.version > 1 and not agreement.amendment_note:
        return {"amendment_note": "请填写修订说明。"}
    return None


_NOT_SUBMITTED = {AgreementStatus.DRAFT: "协议还在草拟中，提交后才能确认。",
                  AgreementStatus.CONFIRMED: "协议已经双方确认。"}


class Agreement(models.Model):
    """One agreement per pairing. Confirmed content is frozen in an AgreementVersion; changing it afterwards
    opens an amendment (version + 1) that both sides confirm again."""

    PARTIES = "pairing"  # the pairing's two sides (bangfu.parties)

    pairing = models.OneToOneField(Pairing, verbose_name="结对", on_delete=models.CASCADE, related_name="agreement")
    title = models.CharField("协议名称", max_length=200)
    term_start = models.DateField("协议开始日期")
    term_end = models.DateField("协议结束日期")
    background = models.TextField("背景与总体目标", blank=True)
    deliverables = models.TextField("预期成果", blank=True, help_text="每行一项")
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    amendment_note = models.CharField("修订说明", max_length=300, blank=True)
    helper_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+", verbose_name="帮扶方确认人")
    helper_confirmed_at = models.DateTimeField("帮扶方确认时间", null=True, blank=True)
    helped_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+", verbose_name="受援方确认人")
    helped_confirmed_at = models.DateTimeField("受援方确认时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # draft → awaiting both confirmations → confirmed; changing the content sends it back to the draft (an
    # amendment once confirmed); an amendment may be discarded (core.workflow.transition).
    workflow = Workflow(
        Move("submit", "提交双方确认", source=[AgreementStatus.DRAFT], target=AgreementStatus.AWAITING,
             guards=[_has_goals, _has_tasks, _amendment_explained],
             refusals={AgreementStatus.AWAITING: "协议已提交，正在等待双方确认。",
                       AgreementStatus.CONFIRMED: "协议已经双方确认；如需修改，请修改协议内容并填写修订说明。"}),
        Move("confirm_one_side", "一方确认", source=[AgreementStatus.AWAITING], target=AgreementStatus.AWAITING,
             refusals=_NOT_SUBMITTED),
        Move("confirm", "双方确认生效", source=[AgreementStatus.AWAITING], target=AgreementStatus.CONFIRMED,
             refusals=_NOT_SUBMITTED),
        Move("reopen", "修改后退回草拟", source=[AgreementStatus.AWAITING], target=AgreementStatus.DRAFT),
        Move("amend", "发起修订", source=[AgreementStatus.CONFIRMED], target=AgreementStatus.DRAFT,
             reason="协议已经双方确认。修改内容需填写修订说明，修订稿由双方重新确认后生效。",
             reason_field="amendment_note"),
        Move("discard", "放弃修订", source=[AgreementStatus.DRAFT, AgreementStatus.AWAITING],
             target=AgreementStatus.CONFIRMED, refusals={AgreementStatus.CONFIRMED: "没有进行中的修订。"}),
    )

    class Meta:
        verbose_name = "帮扶协议"
        verbose_name_plural = "帮扶协议"
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")), name="agreement_term_ordered",
                                   violation_error_message="协议结束日期不能早于开始日期。"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_confirmed(self) -> bool:
        return self.status == AgreementStatus.CONFIRMED

    @property
    def deliverable_list(self) -> list[str]:
        return [line.strip() for line in self.deliverables.splitlines() if line.strip()]


class AgreementGoal(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    text = models.TextField("目标")

    class Meta:
        verbose_name = "协议目标"
        verbose_name_plural = "协议目标"
        ordering = ["area", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "area"], name="goal_area_once")]

    def __str__(self):
        return f"{self.get_area_display()}：{self.text[:30]}"


class TaskStatus(models.TextChoices):
    TODO = "todo", "未开始"
    DOING = "doing", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


def deadline_before(day) -> Q:
    """Tasks whose deadline — the due date both sides agreed, else the planned one — is before `day`. An open
    amendment that moves a due date does not move the deadline until both sides confirm it."""
    return Q(agreed_due_date__lt=day) | Q(agreed_due_date__isnull=True, due_date__lt=day)


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[TaskStatus.TODO, TaskStatus.DOING])

    def agreed(self):
        """Tasks of agreements both sides have confirmed at least once: work that is actually owed."""
        return self.filter(Exists(AgreementVersion.objects.filter(agreement=OuterRef("agreement"))))

    def overdue(self, today=None):
        return self.open().filter(deadline_before(today or timezone.localdate()))

    def due_within(self, days: int, today=None):
        today = today or timezone.localdate()
        return self.open().exclude(deadline_before(today)).filter(
            deadline_before(today + timezone.timedelta(days=days + 1)))

    def visible_to(self, user):
        return scoped(self, user, "agreement__pairing__helper", "agreement__pairing__helped")

    def with_pairing(self):
        return self.select_related("agreement__pairing__helper", "agreement__pairing__helped", "responsible")


_TASK_DONE = "任务已完成并记入台账，不能再修改进度。"


class AgreementTask(QuantityFields):
    PARTIES = "agreement"

    agreement = models.ForeignKey(Agreement, verbose_name="协议", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("任务", max_length=200)
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    owner_side = models.CharField("负责方", max_length=10, choices=Side.choices, default=Side.HELPER)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="负责人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="agreement_tasks")
    responsible_name = models.CharField("负责人（非平台用户）", max_length=40, blank=True)
    due_date = models.DateField("截止日期", db_index=True)
    agreed_due_date = models.DateField("双方确认的截止日期", null=True, blank=True, editable=False,
                                       help_text="最近一次双方确认时的截止日期；修订确认前以它判断逾期")
    agreed_owner_side = models.CharField("双方确认的负责方", max_length=10, choices=Side.choices, blank=True,
                                         editable=False,
                                         help_text="最近一次双方确认时的负责方；修订确认前负责人和数量仍由它决定")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO,
                              db_index=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    description = models.TextField("说明", blank=True)
    # What completing the task puts in the ledger.
    ledger_kind = models.CharField("帮扶形式", max_length=40, blank=True, help_text="如 培训、巡展、修复")
    # …and the five QUANTITIES (QuantityFields): planned, then what was achieved.
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="完成确认人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    # Photos, documents and links that show the work was done (`core.Attachment`, kind "evidence").
    evidence = GenericRelation(Attachment, related_query_name="task")

    objects = TaskQuerySet.as_manager()

    # How the work goes (task_update) and its completion (task_complete, which writes the ledger); a completed
    # task stays completed (core.workflow.transition).
    workflow = Workflow(
        Move("start", "标为进行中", source=[TaskStatus.TODO, TaskStatus.CANCELLED], target=TaskStatus.DOING,
             refusals={TaskStatus.DONE: _TASK_DONE}),
        Move("reset", "标为未开始", source=[TaskStatus.DOING, TaskStatus.CANCELLED], target=TaskStatus.TODO,
             refusals={TaskStatus.DONE: _TASK_DONE}),
        Move("cancel", "取消任务", source=[TaskStatus.TODO, TaskStatus.DOING], target=TaskStatus.CANCELLED,
             refusals={TaskStatus.DONE: _TASK_DONE}),
        Move("complete", "完成任务", source=[TaskStatus.TODO, TaskStatus.DOING], target=TaskStatus.DONE,
             refusals={TaskStatus.DONE: "任务已经完成，并已记入台账。",
                       TaskStatus.CANCELLED: "已取消的任务不能完成。"}),
    )

    class Meta:
        verbose_name = "协议任务"
        verbose_name_plural = "协议任务"
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_percent",
                                   violation_error_message="进度应在 0 到 100 之间。"),
            models.CheckConstraint(condition=~Q(status="done") | Q(completed_at__isnull=False),
                                   name="task_done_has_time", violation_error_message="已完成的任务必须有完成时间。"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in (TaskStatus.TODO, TaskStatus.DOING) and self.deadline < timezone.localdate()

    @property
    def deadline(self):
        return self.agreed_due_date or self.due_date

    @property
    def owner_sides(self) -> frozenset[str]:
        """The museums ("helper", "helped") that run the task — its progress, completion, who is responsible and
        its quantities: those of the owner side it names now and, once both museums confirmed it, also of the side
        they confirmed. The owner side is a term either party may propose to change; the proposal hands nothing
        over until both museums confirm it (and meanwhile a hand-over leaves the details to the association)."""
        sides = Side.museums(self.owner_side)
        return sides & Side.museums(self.agreed_owner_side) if self.agreed_owner_side else sides

    @property
    def runs_label(self) -> str:
        """Who runs the task, in words (帮扶方, 受援方, 双方; "" while a hand-over awaits both confirmations)."""
        side = Side.of_museums(self.owner_sides)
        return Side(side).label if side else ""

    @property
    def responsible_label(self) -> str:
        return self.responsible.display_name if self.responsible_id else (self.responsible_name or "未指定")


class AgreementVersion(models.Model):
    """The content both sides confirmed, frozen: what the agreement said at version N."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField("版本")
    content = models.JSONField("内容")
    note = models.CharField("修订说明", max_length=300, blank=True)
    confirmed_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = "协议版本"
        verbose_name_plural = "协议版本"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["agreement", "version"], name="agreement_version_once")]

    def __str__(self):
        return f"{self.agreement} v{self.version}"


class ProgressReport(models.Model):
    """A periodic (quarterly by default) progress report written by one side of a pairing."""

    PARTIES = "pairing"

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="reports")
    side = models.CharField("报告方", max_length=10, choices=Side.choices)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    summary = models.TextField("进展")
    problems = models.TextField("问题与困难", blank=True)
    next_steps = models.TextField("下一步计划", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-year", "-quarter", "side"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "side", "year", "quarter"], name="report_once_per_quarter",
                                    violation_error_message="本季度已提交过进展报告，可以修改原报告。"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="report_quarter_valid",
                                   violation_error_message="季度应为 1 到 4。"),
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度 {self.get_side_display()}"
