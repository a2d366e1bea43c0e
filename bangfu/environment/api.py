"""The environment API (`/api/environment/…`): rooms and sensors registered by gateways and scripts, readings in
batches (api_ingest), logger file imports (api_imports), a room's metrics and alerts (api_metrics)."""

from __future__ import annotations

from ninja import Router

from . import api_imports, api_ingest, api_metrics

router = Router(tags=["环境监测"])
router.add_router("", api_ingest.router)
router.add_router("", api_imports.router)
router.add_router("", api_metrics.router)
