"""The exchange's API: posts, their matches (filled in by the API work)."""

from ninja import Router

router = Router(tags=["供需对接"])
