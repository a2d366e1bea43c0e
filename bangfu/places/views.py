"""Boundary layers for the maps, read from MAP_BOUNDARY_DIR (replaceable by an approved base map)."""

import gzip
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from .geo import LAYERS


@lru_cache(maxsize=8)
def _layer(level: str, compressed: bool) -> bytes:
    raw = (settings.MAP_BOUNDARY_DIR / LAYERS[level]).read_bytes()
    return gzip.compress(raw, compresslevel=9) if compressed else raw


@cache_control(public=True, max_age=86400)
@vary_on_headers("Accept-Encoding")
def boundaries(request, level: str):
    """The layer, gzipped for browsers that accept it (300 KB → about 90 KB; it holds no secrets)."""
    if level not in LAYERS:
        raise Http404("没有这个图层。")
    compressed = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(_layer(level, compressed), content_type="application/geo+json")
    if compressed:
        response["Content-Encoding"] = "gzip"
    return response
