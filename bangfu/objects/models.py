"""A museum's collection objects (藏品) as far as the programme needs them: what a loan, a touring exhibition, a
conservation case or a restoration project names. Not a collection-management system: the minimum a loan needs
(registration number, grade, category, material, condition, whether a collection record exists, insurance value,
photos), entered by hand, imported from a 藏品账 export, or sent through the API.

The vocabularies are the national ones: the 35 categories (类别) and the materials (质地) of the first national
census of movable cultural relics (第一次全国可移动文物普查, 《可移动文物普查藏品登记著录规范》), the grades of
《文物藏品定级标准》. Each material belongs to a material class (`MATERIAL_CLASS`) that conservation reads for its
environment ranges."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.models import Attachment
from bangfu.core.text import no_control_characters
from bangfu.parties import works_at_museum

MAX_INSURANCE_YUAN = Decimal("100000000000")  # 1,000 亿元: beyond any single object; a typing mistake


class ObjectGrade(models.TextChoices):
    FIRST = "一级", "一级文物"
    SECOND = "二级", "二级文物"
    THIRD = "三级", "三级文物"
    GENERAL = "一般", "一般文物"
    UNGRADED = "未定级", "未定级"


PRECIOUS_GRADES = (ObjectGrade.FIRST, ObjectGrade.SECOND, ObjectGrade.THIRD)  # 珍贵文物


class Condition(models.TextChoices):
    GOOD = "good", "完好"
    FAIR = "fair", "基本完好"
    POOR = "poor", "残缺/较差"
    UNDER_TREATMENT = "under_treatment", "修复中"


# Conditions in which an object cannot be lent or toured (the NCHA notice of July 2025).
UNLENDABLE_CONDITIONS = (Condition.POOR, Condition.UNDER_TREATMENT)


class Category(models.TextChoices):
    """The 35 categories of the national census (《可移动文物普查藏品登记著录规范》)."""

    JADE = "玉石器、宝石", "玉石器、宝石"
    POTTERY = "陶器", "陶器"
    PORCELAIN = "瓷器", "瓷器"
    BRONZE = "铜器", "铜器"
    GOLD_SILVER = "金银器", "金银器"
    IRON = "铁器、其他金属器", "铁器、其他金属器"
    LACQUER = "漆器", "漆器"
    SCULPTURE = "雕塑、造像", "雕塑、造像"
    STONE = "石器、石刻、砖瓦", "石器、石刻、砖瓦"
    CALLIGRAPHY = "书法、绘画", "书法、绘画"
    STATIONERY = "文具", "文具"
    ORACLE = "甲骨", "甲骨"
    SEALS = "玺印符牌", "玺印符牌"
    COINS = "钱币", "钱币"
    BONE = "牙骨角器", "牙骨角器"
    WOOD_CARVING = "竹木雕", "竹木雕"
    FURNITURE = "家具", "家具"
    ENAMEL = "珐琅器", "珐琅器"
    TEXTILE = "织绣", "织绣"
    BOOKS = "古籍图书", "古籍图书"
    RUBBINGS = "碑帖拓本", "碑帖拓本"
    WEAPONS = "武器", "武器"
    STAMPS = "邮品", "邮品"
    DOCUMENTS = "文件、宣传品", "文件、宣传品"
    ARCHIVES = "档案文书", "档案文书"
    RELICS = "名人遗物", "名人遗物"
    GLASS = "玻璃器", "玻璃器"
    INSTRUMENTS = "乐器、法器", "乐器、法器"
    LEATHER = "皮革", "皮革"
    MEDIA = "音像制品", "音像制品"
    BILLS = "票据", "票据"
    VEHICLES = "交通、运输工具", "交通、运输工具"
    MEASURES = "度量衡器", "度量衡器"
    SPECIMENS = "标本、化石", "标本、化石"
    OTHER = "其他", "其他"


class Material(models.TextChoices):
    """质地 of the census: single materials (organic, inorganic) and composite."""

    BAMBOO = "竹", "竹"
    WOOD = "木", "木"
    PAPER = "纸", "纸"
    SILK = "丝", "丝"
    FIBRE = "棉麻纤维", "棉麻纤维"
    LEATHER = "皮革", "皮革"
    BONE = "骨角牙", "骨角牙"
    ORGANIC_OTHER = "其他有机质", "其他有机质"
    STONE = "石", "石"
    JADE = "宝玉石", "宝玉石"
    EARTHENWARE = "陶", "陶"
    PORCELAIN = "瓷", "瓷"
    BRICK = "砖瓦", "砖瓦"
    COPPER = "铜", "铜"
    IRON = "铁", "铁"
    GOLD = "金", "金"
    SILVER = "银", "银"
    METAL_OTHER = "其他金属", "其他金属"
    GLASS = "玻璃", "玻璃"
    INORGANIC_OTHER = "其他无机质", "其他无机质"
    COMPOSITE = "复合", "复合质地"


class MaterialClass(models.TextChoices):
    """The groups the environment standards set ranges for (JGJ 66-2015, GB/T 23863): conservation's table of
    target ranges is keyed by these."""

    METAL_GLASS = "metal_glass", "金属、玻璃"
    SILICATE = "silicate", "陶瓷、石质、玉器、化石、壁画、彩塑"
    PAPER_TEXTILE = "paper_textile", "纸质、书画、纺织品"
    ORGANIC = "organic", "漆木、竹、骨角牙、皮革"
    COMPOSITE = "composite", "复合材质"


MATERIAL_CLASS = {
    Material.BAMBOO: MaterialClass.ORGANIC, Material.WOOD: MaterialClass.ORGANIC,
    Material.PAPER: MaterialClass.PAPER_TEXTILE, Material.SILK: MaterialClass.PAPER_TEXTILE,
    Material.FIBRE: MaterialClass.PAPER_TEXTILE, Material.LEATHER: MaterialClass.ORGANIC,
    Material.BONE: MaterialClass.ORGANIC, Material.ORGANIC_OTHER: MaterialClass.ORGANIC,
    Material.STONE: MaterialClass.SILICATE, Material.JADE: MaterialClass.SILICATE,
    Material.EARTHENWARE: MaterialClass.SILICATE, Material.PORCELAIN: MaterialClass.SILICATE,
    Material.BRICK: MaterialClass.SILICATE, Material.COPPER: MaterialClass.METAL_GLASS,
    Material.IRON: MaterialClass.METAL_GLASS, Material.GOLD: MaterialClass.METAL_GLASS,
    Material.SILVER: MaterialClass.METAL_GLASS, Material.METAL_OTHER: MaterialClass.METAL_GLASS,
    Material.GLASS: MaterialClass.METAL_GLASS, Material.INORGANIC_OTHER: MaterialClass.SILICATE,
    Material.COMPOSITE: MaterialClass.COMPOSITE,
}


class ObjectQuerySet(models.QuerySet):
    def offered(self):
        """Objects their museum offers for loan or touring (what other museums may see)."""
        return self.filter(offered=True, is_active=True)

    def visible_to(self, user):
        """Offered objects for every signed-in user (and the public board); all of a museum's objects for its own
        staff only — what a museum does not offer is its own business, not the association's or a supervisor's."""
        offered = Q(offered=True, is_active=True)
        if works_at_museum(user):
            return self.filter(offered | Q(museum_id=user.museum_id))
        return self.filter(offered)


class CollectionObject(models.Model):
    """One object (or set, 件/套) of a museum's collection."""

    museum = models.ForeignKey("museums.Museum", verbose_name="收藏单位", on_delete=models.PROTECT,
                               related_name="collection_objects")
    name = models.CharField("名称", max_length=100, validators=[no_control_characters])
    registration_number = models.CharField("总登记号", max_length=40, validators=[no_control_characters],
                                           help_text="藏品总登记号，本馆内唯一")
    grade = models.CharField("级别", max_length=4, choices=ObjectGrade.choices, default=ObjectGrade.UNGRADED)
    category = models.CharField("类别", max_length=12, choices=Category.choices, default=Category.OTHER)
    material = models.CharField("质地", max_length=6, choices=Material.choices, default=Material.COMPOSITE)
    era = models.CharField("年代", max_length=40, blank=True, validators=[no_control_characters])
    dimensions = models.CharField("尺寸", max_length=100, blank=True, validators=[no_control_characters],
                                  help_text="如 通高 35.2 厘米，口径 20 厘米")
    quantity = models.PositiveIntegerField("数量（件）", default=1, validators=[MinValueValidator(1),
                                                                          MaxValueValidator(100_000)])
    condition = models.CharField("保存状态", max_length=16, choices=Condition.choices, default=Condition.GOOD)
    fragile = models.BooleanField("运输易损", default=False, help_text="经评估不宜长途运输（易碎、易变形、脆弱）")
    has_record = models.BooleanField("已建藏品档案", default=False,
                                     help_text="《文物保护法》：未建立藏品档案的文物不得出借")
    insurance_value = models.DecimalField(
        "保险估值（元）", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_INSURANCE_YUAN)])
    description = models.TextField("说明", blank=True, validators=[no_control_characters])
    offered = models.BooleanField("可供借展/巡展", default=False, help_text="勾选后其他馆可以看到并申请借展")
    is_active = models.BooleanField("在册", default=True, help_text="注销、退出馆藏的藏品取消勾选")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    attachments = GenericRelation(Attachment, related_query_name="collection_object")

    objects = ObjectQuerySet.as_manager()

    class Meta:
        verbose_name = "藏品"
        verbose_name_plural = "藏品"
        ordering = ["museum_id", "registration_number"]
        constraints = [
            models.UniqueConstraint(fields=["museum", "registration_number"], name="objects_number_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="objects_quantity_positive"),
        ]
        indexes = [models.Index(fields=["offered", "museum"], name="objects_offered_idx")]

    def __str__(self):
        return f"{self.name}（{self.registration_number}）"

    @property
    def material_class(self) -> str:
        return MATERIAL_CLASS.get(self.material, MaterialClass.COMPOSITE)

    @property
    def is_first_grade(self) -> bool:
        return self.grade == ObjectGrade.FIRST



class ImportStatus(models.TextChoices):
    READING = "reading", "读取中"
    PENDING = "pending", "待确认"
    IMPORTING = "importing", "导入中"
    DONE = "done", "已导入"
    FAILED = "failed", "未能读取"
    CANCELLED = "cancelled", "已取消"


class ObjectImport(models.Model):
    """One uploaded 藏品账 file of a museum: read into a preview (every bad row with its Excel line number), then
    imported — all rows or none, or only the correct ones, as the uploader chooses — or cancelled (see
    objects/imports.py; a large file is read and imported by background tasks, objects/tasks.py). The stored file
    is private: only the import pages read it."""

    museum = models.ForeignKey("museums.Museum", verbose_name="收藏单位", on_delete=models.CASCADE,
                               related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    file_name = models.CharField("原文件名", max_length=200, validators=[no_control_characters])
    file = models.FileField("文件", upload_to="imports/objects/", max_length=200)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.READING)
    all_or_nothing = models.BooleanField("全部导入或全部不导入", default=True)
    preview = models.JSONField("预览", default=dict, blank=True)
    summary = models.JSONField("导入结果", default=dict, blank=True)
    error = models.TextField("未能导入的原因", blank=True, validators=[no_control_characters])
    finished_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "藏品导入批次"
        verbose_name_plural = "藏品导入批次"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"藏品导入：{self.file_name}"
