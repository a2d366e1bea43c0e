"""The objects API (see module.py)."""

from ninja import Router

router = Router(tags=["藏品"])
