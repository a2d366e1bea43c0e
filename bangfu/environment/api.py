"""The environment API: rooms and sensors registered by gateways and scripts, readings in batches, logger file
imports, a room's metrics and alerts (`/api/environment/…`)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["环境监测"])
