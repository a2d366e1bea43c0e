"""The museum registry: museums, their needs and offers, photos."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.phones import validate_phone
from bangfu.core.pinyin import pinyin_initials, pinyin_search_and_sort
from bangfu.core.text import no_control_characters
from bangfu.places.models import Division


def at_most(limit: int) -> MaxValueValidator:
    return MaxValueValidator(limit, f"数值过大：不能超过 {limit:,}。")


class Grade(models.TextChoices):
    FIRST = "一级", "一级"
    SECOND = "二级", "二级"
    THIRD = "三级", "三级"
    NONE = "未定级", "未定级"


GRADE_ORDER = {Grade.FIRST: 1, Grade.SECOND: 2, Grade.THIRD: 3, Grade.NONE: 4}


class Ownership(models.TextChoices):
    STATE = "国有", "国有"
    PRIVATE = "非国有", "非国有"


class Tier(models.TextChoices):
    PROVINCIAL = "省级", "省级"
    CITY = "市级", "市级"
    COUNTY = "县级", "县级"
    UNKNOWN = "", "未确定"


class ProgrammeRole(models.TextChoices):
    HELPER = "helper", "帮扶方"
    HELPED = "helped", "受援方"
    BOTH = "both", "帮扶方兼受援方"
    NONE = "none", "未参与"


LOCATION_BASIS_LABELS = {
    "name": "由名称推断",
    "name?": "由名称推断（不确定）",
    "address": "由地址确定",
    "knowledge": "人工判断，待核实",
    "unknown": "无依据",
    "manual": "人工核实",
}


class MuseumQuerySet(models.QuerySet):
    def with_places(self):
        return self.select_related("city", "county")

    def in_division(self, division: Division):
        """Museums inside a province, city or county."""
        if division.level == "province":
            return self.filter(province=division.name)
        if division.level == "city":
            return self.filter(city=division)
        return self.filter(county=division)

    def search(self, q: str):
        """Name, short name, pinyin initials (sxbwy) or full pinyin (shanxibowuyuan)."""
        q = (q or "").strip()
        if not q:
            return self
        if q.isascii():  # "shan xi" and "shanxi" alike
            ascii_q = q.lower().replace(" ", "")
            by_name = Q(name__icontains=q) | Q(short_name__icontains=q)
            if not ascii_q.isalpha():  # digits would match the tone numbers of the sort key
                return self.filter(by_name)
            return self.filter(Q(pinyin_initials__contains=ascii_q) | Q(pinyin__contains=ascii_q) | by_name)
        museums = self
        for term in q.split():  # 安泽 博物馆: every term must match
            museums = museums.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
        return museums

    def helpers(self):
        return self.filter(programme_role__in=[ProgrammeRole.HELPER, ProgrammeRole.BOTH])

    def helped(self):
        return self.filter(programme_role__in=[ProgrammeRole.HELPED, ProgrammeRole.BOTH])

    def needing_review(self):
        return self.filter(needs_review=True)


class Museum(models.Model):
    name = models.CharField("博物馆名称", max_length=100, db_index=True, validators=[no_control_characters])
    short_name = models.CharField("简称", max_length=40, blank=True, validators=[no_control_characters])
    # Sorts by syllable and tone, then searches by joined pinyin: see bangfu.core.pinyin.pinyin_search_and_sort.
    pinyin = models.CharField("拼音", max_length=400, blank=True, editable=False, db_index=True)
    pinyin_initials = models.CharField("拼音首字母", max_length=100, blank=True, editable=False, db_index=True)
    province = models.CharField("省份", max_length=20, default="山西省", validators=[no_control_characters])
    grade = models.CharField("质量等级", max_length=4, choices=Grade.choices, default=Grade.NONE)
    grade_rank = models.PositiveSmallIntegerField(editable=False, default=4)
    ownership = models.CharField("所有制", max_length=4, choices=Ownership.choices, default=Ownership.STATE)
    sector = models.CharField(
        "性质", max_length=40, blank=True,
        help_text="名录中的“性质”，如 文化文物系统国有博物馆", validators=[no_control_characters],
    )
    tier = models.CharField("行政层级", max_length=4, choices=Tier.choices, blank=True)
    city = models.ForeignKey(
        Division, verbose_name="所在市", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        Division, verbose_name="所在县（区、市）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("地址", max_length=200, blank=True, validators=[no_control_characters])
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    position_precise = models.BooleanField("位置已精确标定", default=False)
    needs_review = models.BooleanField("所在地待核实", default=False, db_index=True)
    location_basis = models.CharField("所在地依据", max_length=20, blank=True, validators=[no_control_characters])

    contact_person = models.CharField("联系人", max_length=40, blank=True, validators=[no_control_characters])
    phone = models.CharField("联系电话", max_length=40, blank=True, validators=[no_control_characters, validate_phone])
    email = models.EmailField("电子邮箱", blank=True, validators=[no_control_characters])
    website = models.URLField("网站", blank=True, validators=[no_control_characters])
    introduction = models.TextField("简介", blank=True, validators=[no_control_characters])
    logo = models.ImageField("标志", upload_to="museums/logos/", blank=True)

    free_admission = models.BooleanField("免费开放", default=True)
    collections = models.PositiveIntegerField("藏品数（件/套）", default=0, validators=[at_most(50_000_000)])
    precious_relics = models.PositiveIntegerField("珍贵文物（件/套）", default=0, validators=[at_most(50_000_000)])
    exhibitions = models.PositiveIntegerField("展览（个）", default=0, validators=[at_most(10_000)])
    education_activities = models.PositiveIntegerField("教育活动（次）", default=0, validators=[at_most(1_000_000)])
    visitors_10k = models.DecimalField("参观人数（万人次）", max_digits=10, decimal_places=4, default=0,
                                       validators=[MinValueValidator(0, "参观人数不能为负数。"), at_most(100_000)])
    staff_count = models.PositiveIntegerField("员工人数", null=True, blank=True, validators=[at_most(100_000)])
    directory_row = models.PositiveIntegerField("名录序号", null=True, blank=True)

    programme_role = models.CharField(
        "帮扶角色", max_length=10, choices=ProgrammeRole.choices, default=ProgrammeRole.NONE, db_index=True
    )
    programme_role_manual = models.BooleanField("帮扶角色由协会指定", default=False)
    head = models.ForeignKey(
        "self", verbose_name="总馆", null=True, blank=True, on_delete=models.SET_NULL, related_name="branches"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MuseumQuerySet.as_manager()

    class Meta:
        verbose_name = "博物馆"
        verbose_name_plural = "博物馆"
        ordering = ["pinyin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="museum_position_valid",
                violation_error_message="坐标超出范围：纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间。",
            ),
            models.CheckConstraint(condition=~Q(head=models.F("id")), name="museum_not_own_head",
                                   violation_error_message="博物馆不能是自己的总馆。"),
            models.CheckConstraint(condition=~Q(name=""), name="museum_name_not_empty",
                                   violation_error_message="博物馆名称不能为空。"),
        ]
        indexes = [
            models.Index(fields=["grade_rank", "pinyin"], name="museum_grade_idx"),
            models.Index(fields=["pinyin", "id"], name="museum_name_order_idx"),
            models.Index(fields=["city", "county"], name="museum_place_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_search_keys()
        super().save(*args, **kwargs)

    def refresh_search_keys(self) -> None:
        """Derived fields that must always match the name and grade (also called before bulk writes)."""
        self.pinyin = pinyin_search_and_sort(self.name, self.short_name)[:400]
        self.pinyin_initials = pinyin_initials(self.name, self.short_name)[:100]
        self.grade_rank = GRADE_ORDER.get(self.grade, 4)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def annual_visitors(self) -> int | None:
        """Visitors a year, or None when not known: the national directory (and the import template) give 0 for a
        museum that did not report its figure, and no open museum has none."""
        return round(self.visitors_10k * 10000) if self.visitors_10k else None

    @property
    def location_basis_label(self) -> str:
        return LOCATION_BASIS_LABELS.get(self.location_basis, self.location_basis or "无依据")

    @property
    def place_label(self) -> str:
        parts = [d.name for d in (self.city, self.county) if d]
        return " · ".join(parts) or "所在地待核实"

    @property
    def is_helper(self) -> bool:
        return self.programme_role in (ProgrammeRole.HELPER, ProgrammeRole.BOTH)

    @property
    def is_helped(self) -> bool:
        return self.programme_role in (ProgrammeRole.HELPED, ProgrammeRole.BOTH)


class Offering(models.TextChoices):
    NEED = "need", "需求"
    OFFER = "offer", "可提供"


class MuseumArea(models.Model):
    """What a museum needs, or can offer, in one of the seven areas."""

    museum = models.ForeignKey(Museum, verbose_name="博物馆", on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField("类型", max_length=5, choices=Offering.choices)
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    text = models.TextField("说明", blank=True, validators=[no_control_characters])
    capacity = models.PositiveSmallIntegerField(
        "可帮扶数量", null=True, blank=True, help_text="可提供时：每年可承接的帮扶项目数（可不填）"
    )

    class Meta:
        verbose_name = "需求与供给"
        verbose_name_plural = "需求与供给"
        ordering = ["kind", "area"]
        constraints = [models.UniqueConstraint(fields=["museum", "kind", "area"], name="museum_area_unique")]

    def __str__(self):
        return f"{self.museum} {self.get_kind_display()} {self.get_area_display()}"


class MuseumPhoto(models.Model):
    museum = models.ForeignKey(Museum, verbose_name="博物馆", on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("照片", upload_to="museums/photos/")
    caption = models.CharField("说明", max_length=100, blank=True, validators=[no_control_characters])
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption or self.image.name


class ImportFormat(models.TextChoices):
    DIRECTORY = "directory", "全国博物馆名录格式"
    PLATFORM = "platform", "本平台导出格式"


class ImportStatus(models.TextChoices):
    READING = "reading", "正在读取"
    PENDING = "pending", "待确认"
    IMPORTING = "importing", "正在导入"
    IMPORTED = "imported", "已导入"
    CANCELLED = "cancelled", "已取消"
    FAILED = "failed", "无法导入"


class ImportBatch(models.Model):
    """One uploaded museum file: read into a preview, then imported or cancelled (see museums/imports.py), both
    by background tasks (museums/tasks.py) that report their progress for the page (bangfu/core/background.py).
    The stored file is private: only the import pages read it, it is never served as media."""

    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # when the running task (reading or importing) was enqueued: a batch running much longer lost its task
    started_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    file_name = models.CharField("原文件名", max_length=200, validators=[no_control_characters])
    file = models.FileField("文件", upload_to="imports/", max_length=200)
    format = models.CharField("格式", max_length=10, choices=ImportFormat.choices)
    all_provinces = models.BooleanField("导入其他省份的博物馆", default=False)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    preview = models.JSONField("预览", default=dict, blank=True)
    summary = models.JSONField("导入结果", default=dict, blank=True)
    error = models.TextField("未能导入的原因", blank=True, validators=[no_control_characters])
    finished_at = models.DateTimeField("处理时间", null=True, blank=True)
    finished_by = models.ForeignKey(
        "accounts.User", verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"导入：{self.file_name}"
