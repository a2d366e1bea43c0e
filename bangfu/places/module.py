"""What the administrative divisions add to the platform: their API router (public, /api/divisions)."""

from bangfu.core.registry import ApiRouter, Module

MODULE = Module(
    slug="places",
    title="行政区划",
    icon="bi-geo-alt",
    api=(ApiRouter("/divisions", "bangfu.places.api:router", order=10),),
)
