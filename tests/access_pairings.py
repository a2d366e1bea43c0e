"""The pairing pages in the access matrix (tests/test_access_matrix.py): an outsider (staff of an unrelated museum)
and an anonymous visitor. Every pairing page needs a signed-in user; an outsider's list and map are empty."""

from django.urls import reverse
from django.utils import timezone

from bangfu.pairings.forms import years_later
from bangfu.pairings.services import exclusion_add, pairing_create

MATRIX = {
    "pairings:list": (lambda w: reverse("pairings:list"), 200, 302),
    "pairings:lines": (lambda w: reverse("pairings:lines"), 200, 302),
    "pairings:create": (lambda w: reverse("pairings:create"), 403, 302),
    "pairings:suggestions": (lambda w: reverse("pairings:suggestions"), 403, 302),
    "pairings:rules": (lambda w: reverse("pairings:rules"), 403, 302),
    "pairings:exclusion_add": (lambda w: reverse("pairings:exclusion_add"), 403, 302),
    "pairings:exclusion_remove": (lambda w: reverse("pairings:exclusion_remove", args=[w.exclusion.pk]), 403, 302),
    "pairings:status": (lambda w: reverse("pairings:status", args=[w.pairing.pk]), 404, 302),
}
POST_ONLY = {"pairings:exclusion_add", "pairings:exclusion_remove", "pairings:status"}


def scene(world):
    """A pairing between the world's helper and helped museums (reused when another module made it) and an
    exclusion."""
    if getattr(world, "pairing", None) is None:
        today = timezone.localdate()
        world.pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                                       start_date=today, end_date=years_later(today, 3))
    world.exclusion = exclusion_add(by=world.admin, museum_a=world.helper_museum, museum_b=world.other_museum,
                                    reason="测试")
