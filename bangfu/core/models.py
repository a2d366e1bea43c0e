"""Platform-wide records: the audit log (the one history mechanism, see README Decisions)."""

from django.conf import settings
from django.db import models


class AuditQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def with_actor(self):
        return self.select_related("actor")


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

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
