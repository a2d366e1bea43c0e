"""Environment monitoring (预防性保护): a museum's sites → rooms (storeroom, gallery, display case) → sensors, the
readings they send, hourly and daily roll-ups, the target ranges per material class, alert episodes and pest
records per room.

Readings are the platform's one big table (5,000 sensors every 15 minutes for 10 years ≈ 1.75 billion rows): no
surrogate id — the primary key is (sensor, time), which is also what makes ingest idempotent — and on PostgreSQL
the table is partitioned by month (see the migration `reading_partitions` and `partitions.py`). Charts over more
than a few days read the roll-ups, never the raw rows."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.scopes import museum_scope
from bangfu.core.text import no_control_characters
from bangfu.objects.models import MaterialClass


class RoomKind(models.TextChoices):
    STOREROOM = "storeroom", "库房"
    GALLERY = "gallery", "展厅"
    CASE = "case", "展柜"


class Parameter(models.TextChoices):
    """What a sensor measures; the reading's columns carry these names."""

    TEMPERATURE = "temperature", "温度"
    RH = "rh", "相对湿度"
    LUX = "lux", "照度"
    UV = "uv", "紫外"


UNITS = {"temperature": "°C", "rh": "%", "lux": "lx", "uv": "µW/lm"}


class LightSensitivity(models.TextChoices):
    """GB/T 23863-2009 博物馆照明设计规范's three classes of sensitivity to light."""

    HIGH = "high", "对光特别敏感"
    MEDIUM = "medium", "对光敏感"
    LOW = "low", "对光不敏感"


class MaterialLimit(models.Model):
    """The target ranges of one material class — the association edits them (the standards are being revised);
    `source` cites where each default comes from. Blank means no limit on that value."""

    material_class = models.CharField("材质类别", max_length=20, choices=MaterialClass.choices, unique=True)
    temp_min = models.FloatField("温度下限（°C）", null=True, blank=True,
                                 validators=[MinValueValidator(-40), MaxValueValidator(60)])
    temp_max = models.FloatField("温度上限（°C）", null=True, blank=True,
                                 validators=[MinValueValidator(-40), MaxValueValidator(60)])
    temp_daily_range = models.FloatField("温度日较差上限（°C）", null=True, blank=True,
                                         validators=[MinValueValidator(0), MaxValueValidator(50)])
    rh_min = models.FloatField("相对湿度下限（%）", null=True, blank=True,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])
    rh_max = models.FloatField("相对湿度上限（%）", null=True, blank=True,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])
    rh_daily_range = models.FloatField("相对湿度日波动上限（%）", null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    light_sensitivity = models.CharField("光敏感程度", max_length=10, choices=LightSensitivity.choices,
                                         default=LightSensitivity.LOW)
    lux_max = models.FloatField("照度上限（lx）", null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(200_000)])
    annual_exposure_max = models.FloatField("年曝光量上限（lx·h/年）", null=True, blank=True,
                                            validators=[MinValueValidator(0), MaxValueValidator(1e9)])
    uv_max = models.FloatField("紫外上限（µW/lm）", null=True, blank=True,
                               validators=[MinValueValidator(0), MaxValueValidator(10_000)])
    source = models.TextField("依据", blank=True, validators=[no_control_characters])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "材质环境指标"
        verbose_name_plural = "材质环境指标"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(temp_min__isnull=True) | Q(temp_max__isnull=True)
                                   | Q(temp_min__lte=models.F("temp_max")), name="limit_temp_order"),
            models.CheckConstraint(condition=Q(rh_min__isnull=True) | Q(rh_max__isnull=True)
                                   | Q(rh_min__lte=models.F("rh_max")), name="limit_rh_order"),
        ]

    def __str__(self):
        return self.get_material_class_display()


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The museum's staff, its helpers under an open pairing, the association, supervisors."""
        from .selectors import watched_museum_ids  # pairings are read there

        scope = museum_scope(user, "museum")
        if scope is None:
            return self
        helped = watched_museum_ids(user)
        return self.filter(scope | Q(museum_id__in=helped)) if helped else self.filter(scope)


class NamedOnce:
    """A plain Chinese message when a name is taken where it must be unique (Django's default reads
    “包含 点位 和 名称 的 库房/展厅 已经存在”)."""

    NAME_TAKEN = {"site": "本馆已有同名的监测点位，请换一个名称。",
                  "room": "这个点位已有同名的库房/展厅/展柜，请换一个名称。",
                  "sensor": "这个库房已有同名的传感器，请换一个名称。"}

    def unique_error_message(self, model_class, unique_check):
        if "name" in unique_check and model_class._meta.model_name in self.NAME_TAKEN:
            return ValidationError(self.NAME_TAKEN[model_class._meta.model_name], code="name_taken")
        return super().unique_error_message(model_class, unique_check)

    def validate_constraints(self, exclude=None):
        """The name taken is said of the name field (a form shows it beside the field, the API names `name`), not
        of the whole record."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if getattr(e, "code", None) == "name_taken"]
            if taken:
                errors.setdefault("name", []).extend(taken)
            if len(general) > len(taken):
                errors[NON_FIELD_ERRORS] = [e for e in general if e not in taken]
            raise ValidationError(errors) from exc


class Site(NamedOnce, models.Model):
    """A building or campus of a museum that holds monitored rooms. A gateway sends its rooms' readings with the
    site's own token (`Authorization: Bearer bfs_…`), which reaches this site's sensors only."""

    museum = models.ForeignKey("museums.Museum", verbose_name="博物馆", on_delete=models.PROTECT,
                               related_name="environment_sites")
    name = models.CharField("名称", max_length=60, validators=[no_control_characters], help_text="如 主馆、文物库区")
    address = models.CharField("地址", max_length=200, blank=True, validators=[no_control_characters])
    notify_helper = models.BooleanField("报警同时通知帮扶馆", default=True,
                                        help_text="超限报警同时发给结对的帮扶馆，请其协助处置")
    silent_after_minutes = models.PositiveIntegerField(
        "传感器失联判定（分钟）", default=120, validators=[MinValueValidator(15), MaxValueValidator(60 * 24 * 14)],
        help_text="超过此时间没有读数即视为失联并报警")
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    token_hint = models.CharField("令牌开头", max_length=12, blank=True, editable=False)
    token_created_at = models.DateTimeField("令牌生成时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = "监测点位"
        verbose_name_plural = "监测点位"
        ordering = ["museum", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["museum", "name"], name="site_name_once")]

    def __str__(self):
        return self.name


class RoomQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(site__in=Site.objects.visible_to(user))


class Room(NamedOnce, models.Model):
    """A storeroom, gallery or display case. Its target ranges are its own (`temp_min`… when set) or else those its
    materials' classes share (`limits.room_limits`)."""

    PARTIES = {"museum": "museum"}

    site = models.ForeignKey(Site, verbose_name="点位", on_delete=models.CASCADE, related_name="rooms")
    museum = models.ForeignKey("museums.Museum", verbose_name="博物馆", on_delete=models.PROTECT,
                               related_name="environment_rooms", editable=False)  # the site's, kept for scopes
    name = models.CharField("名称", max_length=60, validators=[no_control_characters])
    kind = models.CharField("类型", max_length=10, choices=RoomKind.choices, default=RoomKind.STOREROOM)
    materials = models.JSONField("存放材质", default=list, blank=True,
                                 help_text="材质类别（MaterialClass 的值），决定默认环境指标")
    temp_min = models.FloatField("自定温度下限（°C）", null=True, blank=True,
                                 validators=[MinValueValidator(-40), MaxValueValidator(60)])
    temp_max = models.FloatField("自定温度上限（°C）", null=True, blank=True,
                                 validators=[MinValueValidator(-40), MaxValueValidator(60)])
    rh_min = models.FloatField("自定湿度下限（%）", null=True, blank=True,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])
    rh_max = models.FloatField("自定湿度上限（%）", null=True, blank=True,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])
    note = models.CharField("说明", max_length=200, blank=True, validators=[no_control_characters])
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = "库房/展厅"
        verbose_name_plural = "库房/展厅"
        ordering = ["site", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="room_name_once"),
            models.CheckConstraint(condition=Q(temp_min__isnull=True) | Q(temp_max__isnull=True)
                                   | Q(temp_min__lte=models.F("temp_max")), name="room_temp_order"),
            models.CheckConstraint(condition=Q(rh_min__isnull=True) | Q(rh_max__isnull=True)
                                   | Q(rh_min__lte=models.F("rh_max")), name="room_rh_order"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.site_id and not self.museum_id:
            self.museum_id = self.site.museum_id
        super().save(*args, **kwargs)


class SensorQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(room__in=Room.objects.visible_to(user))


class Sensor(NamedOnce, models.Model):
    """One logger or sensor in a room. `last_reading_at` is kept by ingest (the silence check reads it)."""

    PARTIES = "room"

    room = models.ForeignKey(Room, verbose_name="库房/展厅", on_delete=models.CASCADE, related_name="sensors")
    name = models.CharField("名称", max_length=60, validators=[no_control_characters])
    serial = models.CharField("序列号", max_length=60, blank=True, validators=[no_control_characters])
    model_name = models.CharField("型号", max_length=60, blank=True, validators=[no_control_characters],
                                  help_text="如 HOBO MX1101、Elitech RC-4HC")
    interval_minutes = models.PositiveIntegerField("记录间隔（分钟）", default=15,
                                                   validators=[MinValueValidator(1), MaxValueValidator(1440)])
    is_active = models.BooleanField("在用", default=True)
    last_reading_at = models.DateTimeField("最近读数", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = SensorQuerySet.as_manager()

    class Meta:
        verbose_name = "传感器"
        verbose_name_plural = "传感器"
        ordering = ["room", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["room", "name"], name="sensor_name_once")]

    def __str__(self):
        return self.name


class ReadingSource(models.TextChoices):
    API = "api", "网关接口"
    FILE = "file", "文件导入"
    MANUAL = "manual", "手工录入"


class Reading(models.Model):
    """One reading of one sensor at one moment (UTC in the database). Values a sensor does not measure are null."""

    pk = models.CompositePrimaryKey("sensor_id", "time")
    sensor = models.ForeignKey(Sensor, verbose_name="传感器", on_delete=models.CASCADE, related_name="+",
                               db_constraint=False, db_index=False)  # partitions carry no foreign keys
    time = models.DateTimeField("时间")
    temperature = models.FloatField("温度（°C）", null=True, blank=True)
    rh = models.FloatField("相对湿度（%）", null=True, blank=True)
    lux = models.FloatField("照度（lx）", null=True, blank=True)
    uv = models.FloatField("紫外（µW/lm）", null=True, blank=True)
    source = models.CharField("来源", max_length=6, choices=ReadingSource.choices, default=ReadingSource.API)

    class Meta:
        verbose_name = "读数"
        verbose_name_plural = "读数"

    def __str__(self):
        return f"{self.sensor_id} {self.time:%Y-%m-%d %H:%M}"


class Rollup(models.Model):
    """Hourly (`period` = "hour") and daily ("day") summaries of a sensor's readings: count, min, max and mean of
    each value, and the light exposure (lx·h) over the period. Written by ingest, read by every chart over more
    than a few days and by the metrics of long periods."""

    class Period(models.TextChoices):
        HOUR = "hour", "小时"
        DAY = "day", "日"

    sensor = models.ForeignKey(Sensor, verbose_name="传感器", on_delete=models.CASCADE, related_name="rollups")
    period = models.CharField("周期", max_length=4, choices=Period.choices)
    start = models.DateTimeField("开始")
    count = models.PositiveIntegerField("读数条数", default=0)
    temp_min = models.FloatField(null=True)
    temp_max = models.FloatField(null=True)
    temp_mean = models.FloatField(null=True)
    rh_min = models.FloatField(null=True)
    rh_max = models.FloatField(null=True)
    rh_mean = models.FloatField(null=True)
    lux_max = models.FloatField(null=True)
    lux_mean = models.FloatField(null=True)
    uv_max = models.FloatField(null=True)
    exposure_lxh = models.FloatField("曝光量（lx·h）", null=True)

    class Meta:
        verbose_name = "读数汇总"
        verbose_name_plural = "读数汇总"
        constraints = [models.UniqueConstraint(fields=["sensor", "period", "start"], name="rollup_once")]

    def __str__(self):
        return f"{self.sensor_id} {self.period} {self.start:%Y-%m-%d %H:%M}"


class AlertKind(models.TextChoices):
    TEMP_HIGH = "temp_high", "温度过高"
    TEMP_LOW = "temp_low", "温度过低"
    RH_HIGH = "rh_high", "湿度过高"
    RH_LOW = "rh_low", "湿度过低"
    TEMP_SWING = "temp_swing", "温度日较差超限"
    RH_SWING = "rh_swing", "湿度日波动超限"
    LUX_HIGH = "lux_high", "照度超限"
    UV_HIGH = "uv_high", "紫外超限"
    SILENT = "silent", "传感器失联"


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(room__in=Room.objects.visible_to(user))

    def open(self):
        return self.filter(end__isnull=True)

    def unacknowledged(self):
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    """One episode of a room out of range (or a sensor silent): raised at its first reading outside, extended while
    readings stay outside, ended at the first reading back inside — one alert per episode, not one per reading."""

    PARTIES = "room"

    room = models.ForeignKey(Room, verbose_name="库房/展厅", on_delete=models.CASCADE, related_name="alerts")
    sensor = models.ForeignKey(Sensor, verbose_name="传感器", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="alerts")
    kind = models.CharField("类型", max_length=12, choices=AlertKind.choices)
    start = models.DateTimeField("开始")
    end = models.DateTimeField("结束", null=True, blank=True)
    last_seen = models.DateTimeField("最近超限读数", null=True, blank=True)
    peak = models.FloatField("峰值", null=True, blank=True)
    limit = models.FloatField("限值", null=True, blank=True)
    readings = models.PositiveIntegerField("超限读数", default=0)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    acknowledgement = models.TextField("处置说明", blank=True, validators=[no_control_characters])
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = "环境报警"
        verbose_name_plural = "环境报警"
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["room", "-start"], name="alert_room_start_idx")]
        constraints = [
            # at most one open episode of a kind per sensor (and per room for room-wide kinds)
            models.UniqueConstraint(fields=["room", "sensor", "kind"], condition=Q(end__isnull=True),
                                    name="alert_one_open_episode"),
        ]

    def __str__(self):
        return f"{self.room} {self.get_kind_display()}"

    @property
    def duration(self):
        return (self.end or self.last_seen or self.start) - self.start


class PestRecord(models.Model):
    """One check of a trap or a sighting in a room: the species, how many, what was done."""

    PARTIES = "room"

    class Method(models.TextChoices):
        TRAP = "trap", "诱捕器检查"
        SIGHTING = "sighting", "目视发现"
        DAMAGE = "damage", "虫蛀痕迹"

    room = models.ForeignKey(Room, verbose_name="库房/展厅", on_delete=models.CASCADE, related_name="pest_records")
    date = models.DateField("检查日期")
    method = models.CharField("方式", max_length=10, choices=Method.choices, default=Method.TRAP)
    trap = models.CharField("诱捕器编号", max_length=30, blank=True, validators=[no_control_characters])
    species = models.CharField("种类", max_length=60, validators=[no_control_characters],
                               help_text="如 衣鱼、烟草甲、花斑皮蠹、白蚁；未发现写“无”")
    count = models.PositiveIntegerField("数量", default=0, validators=[MaxValueValidator(1_000_000)])
    action = models.TextField("处置措施", blank=True, validators=[no_control_characters])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "虫害记录"
        verbose_name_plural = "虫害记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["room", "date"], name="pest_room_date_idx")]

    def __str__(self):
        return f"{self.room} {self.date} {self.species}"


class ReadingImport(models.Model):
    """One logger file uploaded for a sensor: read into a preview (format, columns, span, gaps, every bad line with
    its number), then saved — all readings or none, or only the good ones, as the uploader chooses — or cancelled
    (environment/imports.py; a large file is saved by a background task). The stored file is private."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        SAVING = "saving", "保存中"
        DONE = "done", "已保存"
        CANCELLED = "cancelled", "已取消"

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", "全部保存或全部不保存（有错误的行时不保存任何读数）"
        GOOD_ONLY = "good_only", "只保存正确的行，跳过有误的行"

    sensor = models.ForeignKey(Sensor, verbose_name="传感器", on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    file_name = models.CharField("原文件名", max_length=200, validators=[no_control_characters])
    file = models.FileField("文件", upload_to="imports/environment/", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    mode = models.CharField("保存方式", max_length=16, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    preview = models.JSONField("预览", default=dict, blank=True)
    summary = models.JSONField("保存结果", default=dict, blank=True)
    error = models.TextField("未能保存的原因", blank=True, validators=[no_control_characters])
    started_at = models.DateTimeField("开始保存时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "读数文件导入"
        verbose_name_plural = "读数文件导入"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"读数导入：{self.file_name}"

    @property
    def room(self):
        """The room whose museum owns the import (the access rules read it, as for a sensor)."""
        return self.sensor.room
