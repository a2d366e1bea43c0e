"""Pairings: one helper museum and one helped museum, run from proposal to completion under the association's rules."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangfu.core.scopes import scoped
from bangfu.core.workflow import Move, Workflow
from bangfu.museums.models import Museum


class PairingKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "一对一"
    GROUP = "group", "一对多"
    HEAD_BRANCH = "head_branch", "总分馆"


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", "提议中"
    AGREED = "agreed", "已签约"
    ACTIVE = "active", "进行中"
    COMPLETED = "completed", "已完成"
    ENDED = "ended", "提前终止"


# Pairings that hold a helper's capacity and a helped museum's primary slot.
OPEN_STATUSES = (PairingStatus.PROPOSED, PairingStatus.AGREED, PairingStatus.ACTIVE)


def has_confirmed_agreement(pairing) -> bool:
    """Both museums have confirmed (some version of) the pairing's agreement. Read through the reverse relation:
    the agreements app builds on pairings, not the other way round."""
    agreement = getattr(pairing, "agreement", None)
    return agreement is not None and agreement.versions.exists()


def _agreement_confirmed(pairing, by) -> str:
    """Guard of agreeing and starting: the association's status change cannot skip the agreement."""
    return "" if has_confirmed_agreement(pairing) else "帮扶协议经双方确认后，结对才能签约和启动。"


class PairingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def with_parties(self):
        return self.select_related("helper", "helped", "helper__city", "helped__city", "helped__county")

    def of_museum(self, museum_id: int):
        return self.filter(Q(helper_id=museum_id) | Q(helped_id=museum_id))

    def visible_to(self, user):
        """What the user may see: the association all, a supervisor their jurisdiction, a museum its own."""
        return scoped(self, user, "helper", "helped")


class Pairing(models.Model):
    PARTIES = {"helper": "helper", "helped": "helped"}  # the two sides (bangfu.parties)

    helper = models.ForeignKey(Museum, verbose_name="帮扶方", on_delete=models.PROTECT,
                               related_name="pairings_as_helper")
    helped = models.ForeignKey(Museum, verbose_name="受援方", on_delete=models.PROTECT,
                               related_name="pairings_as_helped")
    kind = models.CharField("结对类型", max_length=12, choices=PairingKind.choices, default=PairingKind.ONE_TO_ONE)
    is_primary = models.BooleanField("主要帮扶方", default=True, help_text="受援馆同一时间只有一家主要帮扶方")
    status = models.CharField("状态", max_length=10, choices=PairingStatus.choices, default=PairingStatus.PROPOSED,
                              db_index=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    ended_reason = models.CharField("终止原因", max_length=300, blank=True)
    distance_km = models.FloatField("距离（公里）", null=True, blank=True)
    source = models.CharField("来源", max_length=20, default="manual", help_text="manual 或 suggestion")
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PairingQuerySet.as_manager()

    # proposed → agreed → active → completed, or ended early with a reason (core.workflow.transition).
    workflow = Workflow(
        Move("agree", "标记为已签约", source=[PairingStatus.PROPOSED], target=PairingStatus.AGREED,
             guards=[_agreement_confirmed]),
        Move("start", "开始执行", source=[PairingStatus.AGREED], target=PairingStatus.ACTIVE,
             guards=[_agreement_confirmed]),
        Move("complete", "标记为已完成", source=[PairingStatus.ACTIVE], target=PairingStatus.COMPLETED),
        Move("end", "提前终止", source=OPEN_STATUSES, target=PairingStatus.ENDED, reason="提前终止必须说明原因。"),
    )

    class Meta:
        verbose_name = "结对"
        verbose_name_plural = "结对"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(helper=models.F("helped")), name="pairing_two_museums",
                                   violation_error_message="帮扶方和受援方不能是同一家博物馆。"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="pairing_dates_ordered",
                                   violation_error_message="结束日期不能早于开始日期。"),
            models.CheckConstraint(condition=~Q(status="ended") | ~Q(ended_reason=""), name="pairing_end_has_reason",
                                   violation_error_message="提前终止必须说明原因。"),
            models.UniqueConstraint(fields=["helper", "helped"], condition=Q(status__in=OPEN_STATUSES),
                                    name="pairing_open_once",
                                    violation_error_message="这两家博物馆已有一个未结束的结对。"),
        ]
        indexes = [models.Index(fields=["status", "end_date"], name="pairing_status_end_idx")]

    def __str__(self):
        return f"{self.helper.display_name} → {self.helped.display_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


# The ranges the association may set (the page, the service and the database all hold them; the solver clamps
# whatever it reads into them). The programme asks for 1–3 helped museums per helper and one primary helper per
# helped museum; the limits leave room for a national roll-out without letting a typo make the numbers absurd.
# Only the ratio of the two weights changes which pairs are suggested: a kilometre counts 0–10, a matching area is
# worth 0–1,000 km (more than Shanxi's length: "fit always wins"); 5,000 km spans China.
RULE_LIMITS = {
    "max_helped_per_helper": (1, 10),
    "max_primary_helpers_per_helped": (1, 3),
    "distance_weight": (0, 10),
    "fit_weight": (0, 1000),
    "max_distance_km": (1, 5000),
}
RULE_UNITS = {"max_helped_per_helper": " 家", "max_primary_helpers_per_helped": " 家", "fit_weight": " 公里",
              "max_distance_km": " 公里"}


def rule_validators(name: str) -> list:
    """The range checks of one rule, with a Chinese message."""
    low, high = RULE_LIMITS[name]
    unit = RULE_UNITS.get(name, " ")
    message = f"应在 {low} 到 {high}{unit}之间。"
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


class ProgrammeRules(models.Model):
    """The association's pairing rules and the suggestion weights; one row (pk=1)."""

    max_helped_per_helper = models.PositiveSmallIntegerField("每家帮扶方最多结对受援馆", default=3,
                                                             validators=rule_validators("max_helped_per_helper"))
    max_primary_helpers_per_helped = models.PositiveSmallIntegerField(
        "每家受援馆最多主要帮扶方", default=1, validators=rule_validators("max_primary_helpers_per_helped"))
    distance_weight = models.FloatField("距离权重（每公里）", default=1.0,
                                        validators=rule_validators("distance_weight"))
    fit_weight = models.FloatField("供需匹配权重（每个匹配领域，折合公里）", default=60.0,
                                   validators=rule_validators("fit_weight"))
    max_distance_km = models.PositiveIntegerField("推荐时的最远距离（公里）", null=True, blank=True,
                                                  help_text="不填表示不限",
                                                  validators=rule_validators("max_distance_km"))
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "结对规则"
        verbose_name_plural = "结对规则"
        constraints = [
            models.CheckConstraint(condition=Q(max_helped_per_helper__gte=1), name="rules_helper_capacity_positive",
                                   violation_error_message="每家帮扶方至少可结对 1 家。"),
            models.CheckConstraint(condition=Q(distance_weight__gte=0, fit_weight__gte=0),
                                   name="rules_weights_positive",
                                   violation_error_message="权重不能为负数。"),
            models.CheckConstraint(
                condition=Q(max_helped_per_helper__lte=RULE_LIMITS["max_helped_per_helper"][1],
                            max_primary_helpers_per_helped__gte=RULE_LIMITS["max_primary_helpers_per_helped"][0],
                            max_primary_helpers_per_helped__lte=RULE_LIMITS["max_primary_helpers_per_helped"][1],
                            distance_weight__lte=RULE_LIMITS["distance_weight"][1],
                            fit_weight__lte=RULE_LIMITS["fit_weight"][1])
                & (Q(max_distance_km__isnull=True) | Q(max_distance_km__gte=RULE_LIMITS["max_distance_km"][0],
                                                       max_distance_km__lte=RULE_LIMITS["max_distance_km"][1])),
                name="rules_within_limits", violation_error_message="结对规则超出允许的范围。"),
        ]

    def __str__(self):
        return "结对规则"

    def clean(self):
        # NaN passes the range validators (every comparison with it is false): refuse it by name.
        for name in ("distance_weight", "fit_weight"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValidationError({name: "请填写一个有限的数。"})

    @classmethod
    def current(cls) -> ProgrammeRules:
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules


class PairingExclusion(models.Model):
    """"Never pair A with B": respected by suggestions and by manual pairing."""

    museum_a = models.ForeignKey(Museum, on_delete=models.CASCADE, related_name="+", verbose_name="博物馆甲")
    museum_b = models.ForeignKey(Museum, on_delete=models.CASCADE, related_name="+", verbose_name="博物馆乙")
    reason = models.CharField("原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "结对排除"
        verbose_name_plural = "结对排除"
        constraints = [
            models.UniqueConstraint(fields=["museum_a", "museum_b"], name="exclusion_once"),
            models.CheckConstraint(condition=Q(museum_a__lt=models.F("museum_b")), name="exclusion_ordered"),
        ]

    def __str__(self):
        return f"{self.museum_a} ✕ {self.museum_b}"
