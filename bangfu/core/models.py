"""Platform-wide records: the audit log (the one history mechanism, see README Decisions)."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .numbers import plain_number


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
