"""A person's learning record, shared by every people module (倡议书 §七): the 学时 a person earned (a completed
training class, an online course, a placement…) and the certificates issued to them, which anyone can verify.

- `HoursEntry`: one source's hours for one person on one date; a source writes it once (idempotent by source).
- `HoursTarget`: the continuing-education target of a year (90 学时 for professional staff unless the association
  sets another); a year without its own row uses the default.
- `Certificate`: what a certificate says on its face (frozen when issued) and its serial and verification code; the
  public page `/verify/<code>/` shows that face and whether it still stands, nothing more.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.text import no_control_characters

TEXT = [no_control_characters]
DEFAULT_TARGET_HOURS = 90
MAX_HOURS = Decimal("2000")  # a single source's hours; a year has 8,760 hours in all


class HoursEntryQuerySet(models.QuerySet):
    def in_year(self, year: int):
        return self.filter(date__year=year)


class HoursEntry(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="学员", on_delete=models.CASCADE,
                               related_name="learning_hours")
    date = models.DateField("日期", help_text="学时计入这一天所在的年度")
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(MAX_HOURS)])
    title = models.CharField("名称", max_length=200, validators=TEXT)
    source_type = models.CharField("来源类型", max_length=40, help_text="如 training.class、courses.course")
    source_id = models.PositiveBigIntegerField("来源编号")
    source_label = models.CharField("来源", max_length=20, help_text="如 培训班、线上课程、跟班学习")
    url = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "学时记录"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "person"], name="hours_once_per_source"),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS), name="hours_in_range"),
        ]
        # A person's year of hours read from the index alone (the hours overview sums it for every person in
        # scope: bench/people.py).
        indexes = [models.Index(fields=["person", "date", "hours"], name="hours_person_date_hours_idx")]

    def __str__(self):
        return f"{self.date} {self.title} {self.hours} 学时"


class HoursTarget(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    hours = models.DecimalField("年度继续教育目标（学时）", max_digits=6, decimal_places=1,
                                validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_HOURS)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "继续教育学时目标"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年 {self.hours} 学时"


class CertificateKind(models.TextChoices):
    CLASS = "class", "培训结业证书"
    PLACEMENT = "placement", "跟班学习/挂职锻炼证书"
    COURSE = "course", "线上课程结业证书"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """One certificate; its face (person, museum, title, hours, dates, issuer) is copied in when issued and never
    changes, so a renamed class or person does not change what was certified."""

    serial = models.CharField("证书编号", max_length=24, unique=True)
    code = models.CharField("验证码", max_length=16, unique=True, help_text="证书二维码打开 /verify/<验证码>/")
    kind = models.CharField("证书类别", max_length=10, choices=CertificateKind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="持证人账号", on_delete=models.PROTECT,
                               related_name="certificates")
    person_name = models.CharField("持证人", max_length=60)
    museum_name = models.CharField("所在单位", max_length=100, blank=True)
    title = models.CharField("项目名称", max_length=200)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, null=True, blank=True)
    start = models.DateField("开始日期", null=True, blank=True)
    end = models.DateField("结束日期", null=True, blank=True)
    issued_on = models.DateField("发证日期")
    issuer = models.CharField("发证单位", max_length=100)
    source_type = models.CharField("来源类型", max_length=40)
    source_id = models.PositiveBigIntegerField("来源编号")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=200, blank=True, validators=TEXT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "证书"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "person"], name="certificate_once_per_source"),
        ]

    def __str__(self):
        return f"{self.serial} {self.person_name} {self.title}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
