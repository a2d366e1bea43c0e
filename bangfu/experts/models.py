"""The expert pool: people who answer consultations, review applications and teach."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.phones import validate_phone
from bangfu.core.text import no_control_characters
from bangfu.museums.models import Museum
from bangfu.places.models import Division


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, q: str):
        q = (q or "").strip()
        if not q:
            return self
        return self.filter(
            Q(name__icontains=q) | Q(organisation__icontains=q) | Q(tags__icontains=q) | Q(title__icontains=q)
            | Q(pinyin_initials__contains=q.lower())
        )

    def with_area(self, area: str):
        return self.filter(specialties__area=area)

    def serving(self, division: Division):
        """Experts who travel to a city (or to the whole province)."""
        return self.filter(Q(regions=division) | Q(regions__level="province") | Q(regions__isnull=True)).distinct()


class Expert(models.Model):
    name = models.CharField("姓名", max_length=40, validators=[no_control_characters])
    pinyin_initials = models.CharField("拼音首字母", max_length=40, blank=True, editable=False, db_index=True)
    organisation = models.CharField("工作单位", max_length=100, validators=[no_control_characters])
    museum = models.ForeignKey(
        Museum, verbose_name="所属博物馆", null=True, blank=True, on_delete=models.SET_NULL, related_name="experts"
    )
    title = models.CharField("职称", max_length=40, blank=True, validators=[no_control_characters])
    tags = models.CharField(
        "专长标签", max_length=200, blank=True,
        help_text="用逗号分隔，如 青铜器修复, 壁画保护", validators=[no_control_characters],
    )
    bio = models.TextField("简介", blank=True, validators=[no_control_characters])
    regions = models.ManyToManyField(
        Division, verbose_name="可前往地区", blank=True, related_name="+", help_text="不选表示全省均可"
    )
    phone = models.CharField("电话", max_length=40, blank=True, validators=[no_control_characters, validate_phone])
    email = models.EmailField("电子邮箱", blank=True, validators=[no_control_characters])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="平台账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    is_active = models.BooleanField("在专家库中（可被邀请）", default=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家"
        ordering = ["pinyin_initials", "id"]

    def __str__(self):
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in re.split(r"[,，、;；]", self.tags) if t.strip()]


class ExpertArea(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="specialties")
    area = models.CharField("领域", max_length=20, choices=Area.choices)

    class Meta:
        verbose_name = "专业领域"
        verbose_name_plural = "专业领域"
        constraints = [models.UniqueConstraint(fields=["expert", "area"], name="expert_area_unique")]

    def __str__(self):
        return self.get_area_display()
