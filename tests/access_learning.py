"""The people area's pages in the access matrix (see tests/test_access_matrix.py): the hub every signed-in user
opens."""

from django.urls import reverse

MATRIX = {
    "learning:home": (lambda w: reverse("learning:home"), 200, 302),
}
