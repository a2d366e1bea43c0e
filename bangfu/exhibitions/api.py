"""The exhibitions API (see module.py)."""

from ninja import Router

router = Router(tags=["展览"])
