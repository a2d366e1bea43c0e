"""Object loans between museums (借展): ONE record shared by lender and borrower, from the request to the return.

The workflow (`Loan.workflow`) follows the law and the NCHA's practice: the lender reviews each object's fitness,
experts review 一级文物 (and any object the lender sends to them), the lender reviews the borrower's facility, the
loan is filed with (or approved by) the authorities the law names (`law.required_filings`), an agreement is signed,
insurance and transport are arranged, the objects leave with an outgoing condition report each and come back
with an incoming one. The rules the services enforce are rows of `LoanRule` (the association edits their values;
each cites its source)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from bangfu.core.models import Attachment
from bangfu.core.scopes import museum_scope
from bangfu.core.text import no_control_characters
from bangfu.core.workflow import Move, Workflow
from bangfu.objects.models import Condition

MAX_INSURED_YUAN = 100_000_000_000


class LoanKind(models.TextChoices):
    LOAN = "loan", "借用"
    EXCHANGE = "exchange", "交换"


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", "待审查藏品"
    EXPERT_REVIEW = "expert_review", "专家评估"
    FACILITY_REVIEW = "facility_review", "场馆评估"
    FILING = "filing", "备案审批"
    AGREEMENT = "agreement", "签订协议"
    TRANSPORT = "transport", "保险运输"
    DISPATCHED = "dispatched", "运输途中"
    ON_LOAN = "on_loan", "借展中"
    RETURNING = "returning", "部分归还"
    RETURNED = "returned", "已归还"
    CLOSED = "closed", "已结束"
    DECLINED = "declined", "已拒绝"
    WITHDRAWN = "withdrawn", "已撤回"
    CANCELLED = "cancelled", "已取消"


# The end states that keep the record but count for nothing (the chained-loan cap ignores them).
VOID_STATUSES = (LoanStatus.DECLINED, LoanStatus.WITHDRAWN, LoanStatus.CANCELLED)
# Before the objects leave: the borrower may still withdraw.
PREPARING_STATUSES = (LoanStatus.REQUESTED, LoanStatus.EXPERT_REVIEW, LoanStatus.FACILITY_REVIEW,
                      LoanStatus.FILING, LoanStatus.AGREEMENT, LoanStatus.TRANSPORT)
# The objects are away from the lender: these can be overdue.
OUT_STATUSES = (LoanStatus.DISPATCHED, LoanStatus.ON_LOAN, LoanStatus.RETURNING)
OPEN_STATUSES = (*PREPARING_STATUSES, *OUT_STATUSES, LoanStatus.RETURNED)


class LoanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lender's and the borrower's staff, the association, the supervisors of either's jurisdiction."""
        scope = museum_scope(user, "lender", "borrower")
        return self if scope is None else self.filter(scope)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """Objects still away after the agreed end."""
        return self.filter(status__in=OUT_STATUSES, end__lt=today)

    def with_object_count(self, name: str = "object_count"):
        """Each loan's count of objects still in it (not found unfit), as a correlated subquery: evaluated for the
        rows a page shows only, and skipped by the count of the whole list (a join and GROUP BY would aggregate
        every loan before sorting)."""
        in_loan = (LoanItem.objects.filter(loan=OuterRef("pk")).exclude(review=ItemReview.UNFIT)
                   .exclude(expert_verdict=ExpertVerdict.UNFIT).order_by().values("loan")
                   .annotate(n=Count("pk")).values("n"))
        return self.annotate(**{name: Coalesce(Subquery(in_loan), 0)})


class Loan(models.Model):
    """One loan (or exchange) of objects from a lender to a borrower, for an exhibition at a venue over a period."""

    PARTIES = {"lender": "lender", "borrower": "borrower"}

    kind = models.CharField("方式", max_length=10, choices=LoanKind.choices, default=LoanKind.LOAN)
    lender = models.ForeignKey("museums.Museum", verbose_name="出借方", on_delete=models.PROTECT,
                               related_name="loans_out")
    borrower = models.ForeignKey("museums.Museum", verbose_name="借入方", on_delete=models.PROTECT,
                                 related_name="loans_in")
    exhibition_title = models.CharField("展览名称", max_length=100, blank=True, validators=[no_control_characters])
    purpose = models.TextField("借展目的", validators=[no_control_characters])
    venue = models.CharField("展出地点", max_length=200, validators=[no_control_characters])
    start = models.DateField("借展起始日")
    end = models.DateField("借展截止日")
    opening = models.DateField("开展日期", null=True, blank=True, help_text="不填则为借展起始日")
    status = models.CharField("状态", max_length=16, choices=LoanStatus.choices, default=LoanStatus.REQUESTED,
                              db_index=True)

    # expert review (专家评估)
    expert_names = models.CharField("评估专家", max_length=200, blank=True, validators=[no_control_characters])
    expert_date = models.DateField("专家评估日期", null=True, blank=True)
    expert_opinion = models.TextField("专家评估意见", blank=True, validators=[no_control_characters])
    # the borrower's facility (场馆评估)
    facility_security = models.TextField("安防条件", blank=True, validators=[no_control_characters])
    facility_fire = models.TextField("消防条件", blank=True, validators=[no_control_characters])
    facility_climate = models.TextField("温湿度与光照条件", blank=True, validators=[no_control_characters])
    facility_note = models.TextField("场馆评估结论", blank=True, validators=[no_control_characters])
    # agreement (借展协议)
    agreement_number = models.CharField("协议编号", max_length=60, blank=True, validators=[no_control_characters])
    agreement_signed_on = models.DateField("协议签订日期", null=True, blank=True)
    # insurance and transport (保险运输)
    insurer = models.CharField("保险公司", max_length=100, blank=True, validators=[no_control_characters])
    policy_number = models.CharField("保单号", max_length=60, blank=True, validators=[no_control_characters])
    insured_amount = models.DecimalField("保险金额（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                         validators=[MinValueValidator(0), MaxValueValidator(MAX_INSURED_YUAN)])
    courier = models.CharField("承运单位", max_length=100, blank=True, validators=[no_control_characters])
    crates = models.PositiveSmallIntegerField("包装箱数", null=True, blank=True, validators=[MaxValueValidator(10_000)])
    transport_note = models.TextField("运输安排", blank=True, validators=[no_control_characters])

    dispatched_on = models.DateField("发运日期", null=True, blank=True)
    received_on = models.DateField("接收日期", null=True, blank=True)
    returned_on = models.DateField("全部归还日期", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="loan")

    objects = LoanQuerySet.as_manager()

    workflow = Workflow(
        Move("to_expert", "藏品审查完成，送专家评估", source=[LoanStatus.REQUESTED], target=LoanStatus.EXPERT_REVIEW),
        Move("to_facility", "藏品审查完成", source=[LoanStatus.REQUESTED], target=LoanStatus.FACILITY_REVIEW),
        Move("expert_done", "专家评估完成", source=[LoanStatus.EXPERT_REVIEW], target=LoanStatus.FACILITY_REVIEW),
        Move("facility_done", "场馆评估通过", source=[LoanStatus.FACILITY_REVIEW], target=LoanStatus.FILING),
        Move("filed", "备案审批完成", source=[LoanStatus.FILING], target=LoanStatus.AGREEMENT),
        Move("sign", "签订借展协议", source=[LoanStatus.AGREEMENT], target=LoanStatus.TRANSPORT),
        Move("dispatch", "点交发运", source=[LoanStatus.TRANSPORT], target=LoanStatus.DISPATCHED),
        Move("receive", "接收入馆", source=[LoanStatus.DISPATCHED], target=LoanStatus.ON_LOAN),
        Move("return_part", "部分归还", source=[LoanStatus.ON_LOAN], target=LoanStatus.RETURNING),
        Move("return_all", "全部归还", source=[LoanStatus.ON_LOAN, LoanStatus.RETURNING], target=LoanStatus.RETURNED),
        Move("close", "结束借展", source=[LoanStatus.RETURNED], target=LoanStatus.CLOSED),
        Move("decline", "拒绝出借",
             source=[LoanStatus.REQUESTED, LoanStatus.EXPERT_REVIEW, LoanStatus.FACILITY_REVIEW, LoanStatus.FILING],
             target=LoanStatus.DECLINED, reason="拒绝出借必须说明原因。"),
        Move("withdraw", "撤回申请", source=PREPARING_STATUSES, target=LoanStatus.WITHDRAWN,
             reason="撤回必须说明原因。"),
        Move("cancel", "取消借展", source=[LoanStatus.FILING, LoanStatus.AGREEMENT, LoanStatus.TRANSPORT],
             target=LoanStatus.CANCELLED, reason="取消必须说明原因。"),
    )

    class Meta:
        verbose_name = "借展"
        verbose_name_plural = "借展"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="loan_period_order"),
            models.CheckConstraint(condition=~Q(lender=F("borrower")), name="loan_two_museums"),
        ]
        indexes = [models.Index(fields=["status", "end"], name="loan_overdue_idx")]

    def __str__(self):
        return f"借展 {self.pk}：{self.lender} → {self.borrower}"

    @property
    def opening_date(self):
        return self.opening or self.start

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class ItemReview(models.TextChoices):
    PENDING = "pending", "待审查"
    FIT = "fit", "适宜出借"
    UNFIT = "unfit", "不宜出借"


class ExpertVerdict(models.TextChoices):
    NONE = "", "无需评估"
    PENDING = "pending", "待评估"
    FIT = "fit", "适宜展陈运输"
    UNFIT = "unfit", "不宜展陈运输"


class LoanItem(models.Model):
    """One object of a loan with its own review, expert verdict, dispatch and return. An object found unfit is
    dropped from the loan (kept here, with the reason)."""

    PARTIES = "loan"

    loan = models.ForeignKey(Loan, verbose_name="借展", on_delete=models.CASCADE, related_name="items")
    obj = models.ForeignKey("objects.CollectionObject", verbose_name="藏品", on_delete=models.PROTECT,
                            related_name="loan_items")
    review = models.CharField("出借方审查", max_length=8, choices=ItemReview.choices, default=ItemReview.PENDING)
    review_note = models.CharField("审查意见", max_length=300, blank=True, validators=[no_control_characters])
    expert_verdict = models.CharField("专家评估", max_length=8, choices=ExpertVerdict.choices, blank=True,
                                      default=ExpertVerdict.NONE)
    expert_note = models.CharField("专家意见", max_length=300, blank=True, validators=[no_control_characters])
    returned_on = models.DateField("归还日期", null=True, blank=True)

    class Meta:
        verbose_name = "借展藏品"
        verbose_name_plural = "借展藏品"
        ordering = ["loan", "id"]
        constraints = [models.UniqueConstraint(fields=["loan", "obj"], name="loan_item_once")]

    def __str__(self):
        return str(self.obj)

    @property
    def in_loan(self) -> bool:
        """Still part of the loan (not dropped as unfit by the lender or the experts)."""
        return self.review != ItemReview.UNFIT and self.expert_verdict != ExpertVerdict.UNFIT


class Authority(models.TextChoices):
    COMPETENT = "competent", "主管部门"
    PROVINCIAL = "provincial", "省级文物行政部门"
    NATIONAL = "national", "国家文物局"


class FilingKind(models.TextChoices):
    FILING = "filing", "备案"
    APPROVAL = "approval", "批准"


class LoanFiling(models.Model):
    """A filing with (or an approval by) one authority: its document number and date."""

    PARTIES = "loan"

    loan = models.ForeignKey(Loan, verbose_name="借展", on_delete=models.CASCADE, related_name="filings")
    authority = models.CharField("机关", max_length=12, choices=Authority.choices)
    kind = models.CharField("方式", max_length=10, choices=FilingKind.choices)
    authority_name = models.CharField("机关名称", max_length=100, blank=True, validators=[no_control_characters],
                                      help_text="如 山西省文物局")
    document_number = models.CharField("文号", max_length=60, validators=[no_control_characters])
    date = models.DateField("日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="loan_filing")

    class Meta:
        verbose_name = "备案审批"
        verbose_name_plural = "备案审批"
        ordering = ["loan", "date", "id"]
        constraints = [models.UniqueConstraint(fields=["loan", "authority", "kind"], name="loan_filing_once")]

    def __str__(self):
        return f"{self.get_authority_display()}{self.get_kind_display()} {self.document_number}"


class Direction(models.TextChoices):
    OUTGOING = "outgoing", "出馆点交"
    INCOMING = "incoming", "归还点交"


class ConditionCheck(models.Model):
    """A condition report (点交记录) of one object when it leaves the lender (outgoing) or comes back (incoming), with
    photos (attachments, taken on a phone). An incoming report that differs from the outgoing one is flagged."""

    PARTIES = "item"

    item = models.ForeignKey(LoanItem, verbose_name="借展藏品", on_delete=models.CASCADE, related_name="checks")
    direction = models.CharField("点交", max_length=8, choices=Direction.choices)
    condition = models.CharField("保存状态", max_length=16, choices=Condition.choices)
    notes = models.TextField("状况描述", blank=True, validators=[no_control_characters],
                             help_text="伤况、污渍、裂隙、锈蚀等的位置和尺寸")
    new_damage = models.BooleanField("发现新增损伤", default=False)
    differs = models.BooleanField("与出馆时不一致", default=False, editable=False)
    checked_on = models.DateField("点交日期")
    examiner = models.CharField("点交人", max_length=60, validators=[no_control_characters])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="condition_check")

    class Meta:
        verbose_name = "点交记录"
        verbose_name_plural = "点交记录"
        ordering = ["item", "recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "direction"], name="condition_check_once")]

    def __str__(self):
        return f"{self.get_direction_display()} {self.item}"


class LoanRule(models.Model):
    """One rule the loan services enforce, as the association keeps it: whether it applies, its number (months,
    working days) where it has one, and its source. The codes are fixed (`law.RULES`); titles, sources and values
    are edited on the rules page."""

    code = models.CharField("代码", max_length=40, unique=True)
    title = models.CharField("规则", max_length=100, validators=[no_control_characters])
    text = models.TextField("说明", validators=[no_control_characters])
    source = models.CharField("依据", max_length=200, validators=[no_control_characters])
    enabled = models.BooleanField("执行", default=True)
    value = models.PositiveIntegerField("数值", null=True, blank=True, validators=[MaxValueValidator(1200)])
    unit = models.CharField("单位", max_length=10, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "借展规则"
        verbose_name_plural = "借展规则"
        ordering = ["order", "id"]

    def __str__(self):
        return self.title
