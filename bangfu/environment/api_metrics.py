"""The environment API's metrics endpoints (added to `api.router`)."""

from __future__ import annotations

from ninja import Router

router = Router()
