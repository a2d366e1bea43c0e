"""Conservation help between museums (倡议书 §三): a lab's published services and the requests for them, expert
会诊 cases and restoration projects.

- `LabService`: what a lab-owning museum offers (testing/analysis, conservation-plan design, on-site guidance).
- `ServiceRequest`: one museum asks a lab for a service about its objects; destructive sampling waits for the
  requesting museum's admin to approve it; the lab accepts, works, delivers a report (one ledger entry), the
  requester closes it with its satisfaction.
- `Consultation` (会诊): a museum's case about objects; experts of the pool are invited and write opinions; it ends
  with a conclusion and a recommended plan, which may become a `RestorationProject` in one step.
- `RestorationProject`: the objects, the plan and its approval, stages with planned/actual dates, a treatment record
  per object and step, the final report; completion writes one ledger entry.
"""

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

TEXT = [no_control_characters]
MAX_SAMPLES = 10_000


def hand_lines(text: str) -> list[str]:
    """The objects named by hand, one a line (blank lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- lab services ------------------------------------------------------------------------------------------------


class ServiceKind(models.TextChoices):
    TESTING = "testing", "检测分析"
    PLAN = "plan", "保护修复方案设计"
    GUIDANCE = "guidance", "现场指导"


class LabServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LabService(models.Model):
    """One service a museum's lab offers to the other museums (the catalogue every signed-in user reads)."""

    museum = models.ForeignKey("museums.Museum", verbose_name="实验室所属馆", on_delete=models.PROTECT,
                               related_name="lab_services")
    kind = models.CharField("服务类别", max_length=10, choices=ServiceKind.choices, default=ServiceKind.TESTING)
    name = models.CharField("服务名称", max_length=100, validators=TEXT)
    methods = models.CharField("方法", max_length=200, blank=True, validators=TEXT,
                               help_text="用逗号分隔，如 XRF, 拉曼, X光探伤, 红外")
    description = models.TextField("服务说明", blank=True, validators=TEXT)
    destructive_possible = models.BooleanField("可能需要有损取样", default=False)
    contact = models.CharField("联系人及电话", max_length=100, blank=True, validators=TEXT)
    is_active = models.BooleanField("正在提供", default=True)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LabServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "实验室服务"
        verbose_name_plural = "实验室服务"
        ordering = ["museum_id", "kind", "id"]

    def __str__(self):
        return f"{self.museum}·{self.name}"

    @property
    def method_list(self) -> list[str]:
        import re

        return [m.strip() for m in re.split(r"[,，、;；/]", self.methods) if m.strip()]


class RequestStatus(models.TextChoices):
    AWAITING_APPROVAL = "approval", "待申请馆批准取样"
    REQUESTED = "requested", "待实验室受理"
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "检测中"
    DELIVERED = "delivered", "报告已交付"
    CLOSED = "closed", "已结束"
    DECLINED = "declined", "已婉拒"
    WITHDRAWN = "withdrawn", "已撤回"


REQUEST_OPEN = (RequestStatus.AWAITING_APPROVAL, RequestStatus.REQUESTED, RequestStatus.ACCEPTED,
                RequestStatus.IN_PROGRESS, RequestStatus.DELIVERED)


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lab's and the requester's staff, the association, the supervisors of either's jurisdiction."""
        scope = museum_scope(user, "lab", "museum")
        return self if scope is None else self.filter(scope)

    def open(self):
        return self.filter(status__in=REQUEST_OPEN)


class ServiceRequest(models.Model):
    """A museum's request for one of a lab's services about some of its objects."""

    PARTIES = {"lab": "lab", "requester": "museum"}

    service = models.ForeignKey(LabService, verbose_name="服务", on_delete=models.PROTECT, related_name="requests")
    lab = models.ForeignKey("museums.Museum", verbose_name="实验室所属馆", on_delete=models.PROTECT,
                            related_name="lab_requests_in")
    museum = models.ForeignKey("museums.Museum", verbose_name="申请馆", on_delete=models.PROTECT,
                               related_name="lab_requests_out")
    objects_linked = models.ManyToManyField("objects.CollectionObject", verbose_name="藏品", blank=True,
                                            related_name="lab_requests")
    objects_by_hand = models.TextField("其他文物（手工填写）", blank=True, validators=TEXT,
                                       help_text="未登记在平台藏品中的文物，每行一件")
    method = models.CharField("检测方法", max_length=100, blank=True, validators=TEXT)
    purpose = models.TextField("需求说明", validators=TEXT)
    sample_description = models.CharField("样品说明", max_length=300, blank=True, validators=TEXT)
    sample_count = models.PositiveIntegerField("样品数量", default=0, validators=[MaxValueValidator(MAX_SAMPLES)])
    destructive = models.BooleanField("需要有损取样", default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="取样批准人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("取样批准时间", null=True, blank=True)
    approval_note = models.CharField("批准意见", max_length=300, blank=True, validators=TEXT)
    status = models.CharField("状态", max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED,
                              db_index=True)
    report_summary = models.TextField("报告摘要", blank=True, validators=TEXT)
    delivered_on = models.DateField("交付日期", null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField("评价", blank=True, validators=TEXT)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="conservation_request")

    objects = RequestQuerySet.as_manager()

    workflow = Workflow(
        Move("approve", "批准有损取样", source=[RequestStatus.AWAITING_APPROVAL], target=RequestStatus.REQUESTED),
        Move("accept", "受理", source=[RequestStatus.REQUESTED], target=RequestStatus.ACCEPTED,
             refusals={RequestStatus.AWAITING_APPROVAL: "有损取样尚未经申请馆的馆管理员批准，实验室不能受理。"}),
        Move("start", "开始检测", source=[RequestStatus.ACCEPTED], target=RequestStatus.IN_PROGRESS),
        Move("deliver", "交付报告", source=[RequestStatus.IN_PROGRESS], target=RequestStatus.DELIVERED),
        Move("close", "结束", source=[RequestStatus.DELIVERED], target=RequestStatus.CLOSED),
        Move("decline", "婉拒", source=[RequestStatus.REQUESTED, RequestStatus.ACCEPTED], target=RequestStatus.DECLINED,
             reason="婉拒必须说明原因。"),
        Move("withdraw", "撤回申请", source=[RequestStatus.AWAITING_APPROVAL, RequestStatus.REQUESTED,
                                          RequestStatus.ACCEPTED], target=RequestStatus.WITHDRAWN,
             reason="撤回必须说明原因。"),
    )

    class Meta:
        verbose_name = "实验室服务申请"
        verbose_name_plural = "实验室服务申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(lab=F("museum")), name="conservation_request_two_museums"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1,
                                                                             satisfaction__lte=5),
                                   name="conservation_request_satisfaction"),
        ]

    def __str__(self):
        return f"{self.service.name}（{self.museum}）"

    @property
    def hand_list(self) -> list[str]:
        return hand_lines(self.objects_by_hand)


# --- 会诊 consultations --------------------------------------------------------------------------------------------


class ConsultationStatus(models.TextChoices):
    OPEN = "open", "会诊中"
    CONCLUDED = "concluded", "已结论"
    CANCELLED = "cancelled", "已取消"


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The museum and its helper, the association, supervisors, and the experts invited to the case."""
        scope = museum_scope(user, "museum", "helper")
        if scope is None:
            return self
        if user.is_authenticated and user.is_active:
            scope |= Q(pk__in=Invitation.objects.filter(expert__user=user).values("consultation_id"))
        return self.filter(scope)


class Consultation(models.Model):
    """A 会诊 case about one or more of a museum's objects."""

    PARTIES = {"helper": "helper", "helped": "museum"}

    museum = models.ForeignKey("museums.Museum", verbose_name="文物所属馆", on_delete=models.PROTECT,
                               related_name="consultations")
    helper = models.ForeignKey("museums.Museum", verbose_name="帮扶馆", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="consultations_helped")
    title = models.CharField("会诊题目", max_length=100, validators=TEXT)
    objects_linked = models.ManyToManyField("objects.CollectionObject", verbose_name="藏品", blank=True,
                                            related_name="consultations")
    objects_by_hand = models.TextField("其他文物（手工填写）", blank=True, validators=TEXT,
                                       help_text="未登记在平台藏品中的文物，每行一件")
    condition = models.TextField("保存现状", blank=True, validators=TEXT)
    problem = models.TextField("问题描述", validators=TEXT)
    status = models.CharField("状态", max_length=10, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.OPEN, db_index=True)
    conclusion = models.TextField("会诊结论", blank=True, validators=TEXT)
    recommended_plan = models.TextField("建议方案", blank=True, validators=TEXT)
    concluded_on = models.DateField("结论日期", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="conservation_consultation")

    objects = ConsultationQuerySet.as_manager()

    workflow = Workflow(
        Move("conclude", "形成会诊结论", source=[ConsultationStatus.OPEN], target=ConsultationStatus.CONCLUDED),
        Move("cancel", "取消会诊", source=[ConsultationStatus.OPEN], target=ConsultationStatus.CANCELLED,
             reason="取消必须说明原因。"),
    )

    class Meta:
        verbose_name = "专家会诊"
        verbose_name_plural = "专家会诊"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(museum=F("helper")),
                                              name="conservation_consultation_other_helper")]

    def __str__(self):
        return self.title

    @property
    def hand_list(self) -> list[str]:
        return hand_lines(self.objects_by_hand)


class Invitation(models.Model):
    """An expert of the pool invited to a case."""

    consultation = models.ForeignKey(Consultation, verbose_name="会诊", on_delete=models.CASCADE,
                                     related_name="invites")
    expert = models.ForeignKey("experts.Expert", verbose_name="专家", on_delete=models.PROTECT,
                               related_name="consultation_invites")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="邀请人", on_delete=models.PROTECT,
                                   related_name="+")
    invited_at = models.DateTimeField("邀请时间", auto_now_add=True)

    class Meta:
        verbose_name = "会诊邀请"
        verbose_name_plural = "会诊邀请"
        ordering = ["consultation", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "expert"], name="conservation_invite_once")]

    def __str__(self):
        return f"{self.expert}（{self.consultation}）"


class Opinion(models.Model):
    """An invited expert's opinion on a case (an expert may write several)."""

    consultation = models.ForeignKey(Consultation, verbose_name="会诊", on_delete=models.CASCADE,
                                     related_name="opinions")
    expert = models.ForeignKey("experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("会诊意见", validators=TEXT)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "会诊意见"
        verbose_name_plural = "会诊意见"
        ordering = ["consultation", "created_at", "id"]

    def __str__(self):
        return f"{self.expert}：{self.text[:20]}"


# --- restoration projects -------------------------------------------------------------------------------------


class RestorationMode(models.TextChoices):
    BY_HELPER = "helper", "由帮扶馆实验室修复"
    GUIDED = "guided", "本馆在帮扶馆指导下修复"


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "进行中"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"


DEFAULT_STAGES = ("前期调查", "方案", "清洗", "加固", "修复", "补配", "做旧", "验收")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The museum owning the objects and the helper, the association, the supervisors of their jurisdiction."""
        scope = museum_scope(user, "museum", "helper")
        return self if scope is None else self.filter(scope)


class RestorationProject(models.Model):
    """The restoration of a museum's objects by (or under the guidance of) a helper museum's lab."""

    PARTIES = {"helper": "helper", "helped": "museum"}

    museum = models.ForeignKey("museums.Museum", verbose_name="文物所属馆", on_delete=models.PROTECT,
                               related_name="restorations")
    helper = models.ForeignKey("museums.Museum", verbose_name="修复/指导馆", on_delete=models.PROTECT,
                               related_name="restorations_helped")
    mode = models.CharField("修复方式", max_length=8, choices=RestorationMode.choices,
                            default=RestorationMode.BY_HELPER)
    consultation = models.OneToOneField(Consultation, verbose_name="来自会诊", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="project")
    title = models.CharField("项目名称", max_length=100, validators=TEXT)
    objects_linked = models.ManyToManyField("objects.CollectionObject", verbose_name="藏品", blank=True,
                                            related_name="restorations")
    objects_by_hand = models.TextField("其他文物（手工填写）", blank=True, validators=TEXT,
                                       help_text="未登记在平台藏品中的文物，每行一件")
    plan = models.TextField("修复方案", blank=True, validators=TEXT)
    approval_authority = models.CharField("方案批准机关", max_length=60, blank=True, validators=TEXT,
                                          help_text="如 山西省文物局、国家文物局")
    approval_number = models.CharField("批准文号", max_length=60, blank=True, validators=TEXT)
    approval_date = models.DateField("批准日期", null=True, blank=True)
    national_approval = models.BooleanField("经国家文物局批准", default=False,
                                            help_text="一级文物的修复方案须报国家文物局批准")
    status = models.CharField("状态", max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE,
                              db_index=True)
    started_on = models.DateField("开始日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    summary = models.TextField("修复总结", blank=True, validators=TEXT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="conservation_project")

    objects = ProjectQuerySet.as_manager()

    workflow = Workflow(
        Move("complete", "完成修复", source=[ProjectStatus.ACTIVE], target=ProjectStatus.COMPLETED),
        Move("cancel", "取消项目", source=[ProjectStatus.ACTIVE], target=ProjectStatus.CANCELLED,
             reason="取消必须说明原因。"),
    )

    class Meta:
        verbose_name = "修复项目"
        verbose_name_plural = "修复项目"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(museum=F("helper")),
                                              name="conservation_project_other_helper")]

    def __str__(self):
        return self.title

    @property
    def hand_list(self) -> list[str]:
        return hand_lines(self.objects_by_hand)


class ProjectStage(models.Model):
    """One stage of a project (前期调查, 方案, 清洗…: an editable list) with planned and actual dates."""

    project = models.ForeignKey(RestorationProject, verbose_name="修复项目", on_delete=models.CASCADE,
                                related_name="stages")
    name = models.CharField("阶段", max_length=20, validators=TEXT)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    planned_start = models.DateField("计划开始", null=True, blank=True)
    planned_end = models.DateField("计划完成", null=True, blank=True)
    started_on = models.DateField("实际开始", null=True, blank=True)
    finished_on = models.DateField("实际完成", null=True, blank=True)

    class Meta:
        verbose_name = "修复阶段"
        verbose_name_plural = "修复阶段"
        ordering = ["project", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__isnull=True) | Q(planned_start__isnull=True)
                                   | Q(planned_end__gte=F("planned_start")), name="conservation_stage_planned"),
            models.CheckConstraint(condition=Q(finished_on__isnull=True) | Q(started_on__isnull=True)
                                   | Q(finished_on__gte=F("started_on")), name="conservation_stage_actual"),
        ]

    def __str__(self):
        return self.name


class TreatmentRecord(models.Model):
    """What was done to one object on one day: the treatment, the materials, by whom; before/after photos are its
    attachments."""

    project = models.ForeignKey(RestorationProject, verbose_name="修复项目", on_delete=models.CASCADE,
                                related_name="treatments")
    obj = models.ForeignKey("objects.CollectionObject", verbose_name="藏品", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    object_label = models.CharField("文物（手工填写）", max_length=100, blank=True, validators=TEXT)
    date = models.DateField("日期")
    action = models.TextField("修复操作", validators=TEXT)
    materials = models.CharField("使用材料", max_length=300, blank=True, validators=TEXT)
    done_by = models.CharField("修复人员", max_length=100, validators=TEXT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="conservation_treatment")

    class Meta:
        verbose_name = "修复记录"
        verbose_name_plural = "修复记录"
        ordering = ["project", "date", "id"]

    def __str__(self):
        return f"{self.date} {self.object_name}"

    @property
    def object_name(self) -> str:
        return str(self.obj) if self.obj_id else self.object_label
