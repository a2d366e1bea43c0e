"""Personal API tokens: shown once, stored as a SHA-256 hash."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from bangfu.core.text import no_control_characters

TOKEN_PREFIX = "bf_"  # noqa: S105 — a visible prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField("名称", max_length=60, help_text="用途，如 温湿度网关", validators=[no_control_characters])
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField("令牌开头", max_length=12, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}（{self.key_hint}…）"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
