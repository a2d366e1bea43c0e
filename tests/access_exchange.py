"""The exchange's pages in the access matrix (see tests/test_access_matrix.py), declared in three parts beside the
three view modules (posts, threads, board) and joined here."""

from tests import exchange_access_board as _board
from tests import exchange_access_posts as _posts
from tests import exchange_access_threads as _threads

_PARTS = (_posts, _threads, _board)
MATRIX = {name: row for part in _PARTS for name, row in part.MATRIX.items()}
POST_ONLY = set().union(*(part.POST_ONLY for part in _PARTS))


def scene(world):
    for part in _PARTS:
        part.scene(world)
