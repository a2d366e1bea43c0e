"""远程咨询 (倡议书 §七, 人才培养)."""

from django.db import models  # noqa: F401
