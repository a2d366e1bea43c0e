"""The loans API (see module.py)."""

from ninja import Router

router = Router(tags=["借展"])
