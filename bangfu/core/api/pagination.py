"""The one pagination of the API: ?limit=&offset=, answered as {"items": [...], "count": N}."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .schemas import Int

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
# Far beyond any list (the country's ~7,000 museums), and offset + limit still fits every database's integers:
# a larger offset is a 422, not an overflow.
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: Int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}")
        offset: Int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，0–{MAX_OFFSET}")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
