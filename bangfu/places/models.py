"""Administrative divisions (GB/T 2260): the province, its cities and county-level units."""

from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区、市）"


class DivisionQuerySet(models.QuerySet):
    def cities(self):
        return self.filter(level=Level.CITY)

    def counties(self):
        return self.filter(level=Level.COUNTY)

    def province(self):
        return self.filter(level=Level.PROVINCE)


class Division(models.Model):
    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=40)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField("类型", max_length=20, blank=True, help_text="如 地级市、市辖区、县、县级市")
    lng = models.FloatField("中心经度")
    lat = models.FloatField("中心纬度")

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="division_position_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def short_name(self) -> str:
        """安泽县 → 安泽, 太原市 → 太原: how names appear inside museum names."""
        for suffix in ("自治县", "县", "区", "市"):
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name
