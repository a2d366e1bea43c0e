"""Platform-wide records: the audit log (the one history mechanism, see README Decisions) and attachments (the
one way a record holds files and links)."""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .numbers import plain_number
from .text import no_control_characters


def _display(value, choices: dict) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


class AuditQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def with_actor(self):
        return self.select_related("actor")

    def for_objects(self, *objects):
        """The entries of several records at once (one query), e.g. a pairing and its agreement."""
        condition = models.Q(pk__in=[])
        for obj in objects:
            if obj is not None and obj.pk is not None:
                condition |= models.Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        return self.filter(condition)

    def moves(self):
        """Only the status moves (the transition log)."""
        return self.exclude(to_status="")


class AuditEntry(models.Model):
    """Who did what to which record, when, with the changed fields (old → new)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    # A status move (core.workflow.transition) records the states it went from and to; other entries leave them empty.
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def readable_changes(self) -> list[tuple[str, str | None, str]]:
        """(field label, old value or None when created, new value) in Chinese, for people to read."""
        return self.readable_changes_except()

    def readable_changes_except(self, *skip: str) -> list[tuple[str, str | None, str]]:
        """`readable_changes` without the fields named (or labelled) in `skip`."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        rows = []
        for name, pair in self.changes.items():
            if name in skip:
                continue
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            if old is None and new in (None, "", []):
                continue  # a new record's empty fields say nothing
            label, choices = name, {}
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
                if field is not None:
                    label = str(getattr(field, "verbose_name", name))
                    choices = {str(k): str(v) for k, v in (field.flatchoices or [])}
                if isinstance(field, models.DecimalField):  # recorded as "1.0000": shown as 1
                    old, new = (v if v in (None, "") else plain_number(v) for v in (old, new))
            rows.append((label, None if old is None else _display(old, choices), _display(new, choices)))
        return rows


# --- attachments ----------------------------------------------------------------------------------------------


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", "佐证材料"
    PHOTO = "photo", "照片"
    REPORT = "report", "报告"
    DOCUMENT = "document", "文件"
    OTHER = "other", "其他"


class AttachmentQuerySet(models.QuerySet):
    def for_object(self, obj):
        """The attachments of one record, oldest first, with who added them (one query: the content type is
        matched by name in the same query, not looked up first)."""
        return self.filter(
            content_type__app_label=obj._meta.app_label, content_type__model=obj._meta.model_name, object_id=obj.pk,
        ).select_related("added_by")

    def files(self):
        return self.exclude(file="")

    def links(self):
        return self.exclude(link="")


class Attachment(models.Model):
    """A file or a link that belongs to any record (a task's evidence, a ledger entry's evidence…). Files are
    private: they are served only by `core.views.attachment`, after the owner's access check
    (`Module.attachment_owners`), never from /media/."""

    content_type = models.ForeignKey(ContentType, verbose_name="所属记录类型", on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField("所属记录编号")
    owner = GenericForeignKey("content_type", "object_id")
    kind = models.CharField("类别", max_length=12, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField("文件", upload_to="attachments/%Y/", max_length=200, blank=True)
    link = models.URLField("链接", blank=True)
    caption = models.CharField("说明", max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=120, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="添加人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField("添加时间", default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(condition=(~Q(file="") & Q(link="")) | (Q(file="") & ~Q(link="")),
                                   name="attachment_file_or_link",
                                   violation_error_message="请上传一个文件或填写一个链接（只选一种）。"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "added_at"], name="attachment_owner_idx")]

    def __str__(self):
        return self.caption or self.link or self.original_name or self.file.name

    @property
    def is_image(self) -> bool:
        return bool(self.file) and self.file.name.lower().endswith(IMAGE_SUFFIXES)

    @property
    def label(self) -> str:
        """What a list shows: the caption, else the original file name or the link."""
        return self.caption or self.original_name or self.link or "文件"


class PeriodicRun(models.Model):
    """The last slot a periodic job (bangfu/core/periodic.py) was enqueued for. One row per job: a scheduler claims
    a slot by moving `slot` forward in one conditional UPDATE, so two schedulers, or one restarted, never run a
    slot twice."""

    name = models.CharField("任务", max_length=100, unique=True)
    slot = models.DateTimeField("最近一次的计划时间", null=True, blank=True)
    enqueued_at = models.DateTimeField("最近一次加入队列的时间", null=True, blank=True)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"

    def __str__(self):
        return self.name


class ExportStatus(models.TextChoices):
    RUNNING = "running", "正在生成"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ExportJob(models.Model):
    """An export too large to send at once: a task writes the file to storage, its requester downloads it from
    the job's page (bangfu/core/exports.py). The file is private: only the requester's download view serves it."""

    kind = models.CharField("类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE, related_name="+",
    )
    requested_at = models.DateTimeField("请求时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.RUNNING)
    rows = models.PositiveIntegerField("行数", default=0)
    file = models.FileField("文件", upload_to="exports/", max_length=200, blank=True)
    file_name = models.CharField("下载文件名", max_length=200, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "导出"
        verbose_name_plural = "导出"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return self.title


class CalendarDay(models.Model):
    """A day that differs from the Monday-to-Friday week: an official holiday on a weekday (`is_workday` False) or
    a make-up working day on a weekend (调休上班, `is_workday` True), as the State Council's notice of each year sets
    them. The association edits the list (the notice for next year comes out each November); every other day is a
    working day Monday to Friday. Read through `bangfu.core.workdays`."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", default=False, help_text="勾选：周末调休上班；不勾选：法定节假日放假")
    name = models.CharField("名称", max_length=20, validators=[no_control_characters], help_text="如 春节、国庆节")

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}（{'上班' if self.is_workday else '放假'}）"
