"""The exchange's board pages in the access matrix (joined in tests/access_exchange.py)."""

MATRIX = {}
POST_ONLY = set()


def scene(world):
    pass
