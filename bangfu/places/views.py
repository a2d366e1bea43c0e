"""Boundary layers for the maps, read from MAP_BOUNDARY_DIR (replaceable by an approved base map)."""

from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control

LAYERS = {"counties": "shanxi_counties.geojson", "cities": "shanxi_cities.geojson"}


@lru_cache(maxsize=4)
def _layer(level: str) -> bytes:
    return (settings.MAP_BOUNDARY_DIR / LAYERS[level]).read_bytes()


@cache_control(public=True, max_age=86400)
def boundaries(request, level: str):
    if level not in LAYERS:
        raise Http404("没有这个图层。")
    return HttpResponse(_layer(level), content_type="application/geo+json")
