"""The test module's page in the access matrix: museum admins only."""

from django.urls import reverse

MATRIX = {"kernel:page": (lambda w: reverse("kernel:page"), 403, 302)}


def scene(world):
    world.kernel_scene = True
