"""The exchange's posts pages in the access matrix (joined in tests/access_exchange.py)."""

from django.urls import reverse

MATRIX = {
    "exchange:search": (lambda w: reverse("exchange:search"), 200, 200),
}
POST_ONLY = set()


def scene(world):
    pass
