"""Placeholder pages of issue 3 until their modules land (each module replaces its lines with a file of its own)."""

from django.urls import reverse

MATRIX = {
    "pairings:list": (lambda w: reverse("pairings:list"), 200, 200),
    "agreements:pairing": (lambda w: reverse("agreements:pairing", args=[1]), 200, 200),
    "ledger:list": (lambda w: reverse("ledger:list"), 200, 200),
    "notifications:list": (lambda w: reverse("notifications:list"), 200, 200),
}
