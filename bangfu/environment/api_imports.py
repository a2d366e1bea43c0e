"""The environment API's imports endpoints (added to `api.router`)."""

from __future__ import annotations

from ninja import Router

router = Router()
