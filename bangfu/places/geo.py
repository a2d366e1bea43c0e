"""Geography helpers: inferring a place from a museum's name, distances, default positions, plausible positions."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Division, Level

# County-level names that exist in several cities or are ordinary words: only trusted with the city's name.
GENERIC_COUNTY_NAMES = {"城区", "矿区", "郊区"}

# Where a museum may be: China's extent, the whole country (the platform is built to serve it, not only Shanxi),
# from the Pamirs to the Ussuri and from Hainan to Mohe, in degrees (WGS-84, as maps and phones give them). A position
# outside is a typing mistake: latitude and longitude swapped, a digit or a decimal point lost.
CHINA_LATITUDE = (18.1, 53.6)
CHINA_LONGITUDE = (73.4, 135.1)
LATITUDE_MESSAGE = f"纬度应在 {CHINA_LATITUDE[0]} 到 {CHINA_LATITUDE[1]} 之间（中国境内），如太原约为 37.87。"
LONGITUDE_MESSAGE = f"经度应在 {CHINA_LONGITUDE[0]} 到 {CHINA_LONGITUDE[1]} 之间（中国境内），如太原约为 112.55。"


def in_china(lat: float, lng: float) -> bool:
    return CHINA_LATITUDE[0] <= lat <= CHINA_LATITUDE[1] and CHINA_LONGITUDE[0] <= lng <= CHINA_LONGITUDE[1]


def check_position(lat: float, lng: float, *, city: Division | None = None, province: str = "") -> None:
    """Refuse a position outside China, saying which of the two is wrong (and when they look swapped); then, when
    the place is given, a position outside the city's boundary (or, the city unknown, the province's): the
    message is on `lat`, beside the position fields."""
    check_in_china(lat, lng)
    problem = place_problem(lat, lng, city=city, province=province)
    if problem:
        raise ValidationError({"lat": problem})


def check_in_china(lat: float, lng: float) -> None:
    """The cheap first check: China's extent, by field."""
    errors = {}
    if not CHINA_LATITUDE[0] <= lat <= CHINA_LATITUDE[1]:
        errors["lat"] = LATITUDE_MESSAGE
    if not CHINA_LONGITUDE[0] <= lng <= CHINA_LONGITUDE[1]:
        errors["lng"] = LONGITUDE_MESSAGE
    if errors and in_china(lng, lat):
        errors = {key: f"{message}纬度和经度是否填反了？" for key, message in errors.items()}
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class PlaceGuess:
    city: Division | None
    county: Division | None
    basis: str  # "name" (full division name found), "name?" (short name only, uncertain) or "" (none)


class PlaceIndex:
    """All divisions of the database in memory, to infer many museums' places without a query each."""

    def __init__(self, divisions=None):
        divisions = list(divisions if divisions is not None else Division.objects.all())
        self.by_id = {d.id: d for d in divisions}
        self.by_code = {d.code: d for d in divisions}
        self.cities = [d for d in divisions if d.level == Level.CITY]
        self.counties = [d for d in divisions if d.level == Level.COUNTY]
        self.province = next((d for d in divisions if d.level == Level.PROVINCE), None)

    def city_of(self, county: Division) -> Division | None:
        return self.by_id.get(county.parent_id)

    def _keys(self, d: Division, short: bool) -> list[str]:
        """The strings that, found in a museum's name, point to division `d`."""
        if d.name in GENERIC_COUNTY_NAMES:
            city = self.city_of(d)
            return [] if short or city is None else [city.name + d.name, city.short_name + d.name]
        if short:
            return [] if d.short_name == d.name else [d.short_name]
        return [d.name]

    def _matches(self, text: str, candidates, short: bool) -> list[Division]:
        found = [(len(k), d) for d in candidates for k in self._keys(d, short) if k in text]
        if not found:
            return []
        longest = max(n for n, _ in found)
        return list({d.id: d for n, d in found if n == longest}.values())

    def infer(self, name: str, address: str = "") -> PlaceGuess:
        text = f"{name} {address}"
        for short in (False, True):
            basis = "name?" if short else "name"
            counties = self._matches(text, self.counties, short)
            if len(counties) == 1:
                return PlaceGuess(self.city_of(counties[0]), counties[0], basis)
            cities = self._matches(text, self.cities, short)
            if len(cities) == 1:
                return PlaceGuess(cities[0], None, basis)
        return PlaceGuess(None, None, "")


def default_position(city: Division | None, county: Division | None) -> tuple[float, float] | None:
    """(lat, lng) of the county's centroid, else the city's; None when the place is unknown."""
    for division in (county, city):
        if division is not None:
            return division.lat, division.lng
    return None


def great_circle_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# --- boundaries -------------------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

# The boundary layers in MAP_BOUNDARY_DIR (served to the maps by places.views, and read here for the checks).
LAYERS = {"counties": "shanxi_counties.geojson", "cities": "shanxi_cities.geojson"}
# How far outside its boundary a position may lie and still count as inside: museums on a border, the layer's
# simplified lines, and positions picked on maps that use the GCJ-02 offset (a few hundred metres).
BORDER_TOLERANCE_KM = 5.0
_KM_PER_DEGREE = 111.2
Ring = list[tuple[float, float]]  # (lng, lat) pairs, closed or not


@dataclass(frozen=True)
class Boundary:
    """One division's outline: polygons, each an outer ring and its holes, with a bounding box (lng, lat)."""

    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: tuple[float, float, float, float]  # west, south, east, north

    def contains(self, lat: float, lng: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lng <= east and south <= lat <= north):
            return False
        return any(_in_polygon(rings, lng, lat) for rings in self.polygons)

    def distance_km(self, lat: float, lng: float) -> float:
        """0 inside, else the distance to the nearest edge (flat-earth, accurate at the scale of a tolerance)."""
        if self.contains(lat, lng):
            return 0.0
        scale = math.cos(math.radians(lat))
        best = math.inf
        for rings in self.polygons:
            for ring in rings:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                    best = min(best, _segment_distance((lng - x1) * scale, lat - y1, (x2 - x1) * scale, y2 - y1))
        return best * _KM_PER_DEGREE

    def near(self, lat: float, lng: float, km: float) -> bool:
        margin = km / _KM_PER_DEGREE / max(math.cos(math.radians(lat)), 0.1)
        west, south, east, north = self.bbox
        if not (west - margin <= lng <= east + margin and south - margin <= lat <= north + margin):
            return False
        return self.distance_km(lat, lng) <= km


def _in_polygon(rings: tuple[Ring, ...], x: float, y: float) -> bool:
    """Ray casting (even-odd) over the outer ring and its holes: a point in a hole is outside."""
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _segment_distance(px: float, py: float, dx: float, dy: float) -> float:
    """Distance from (px, py) to the segment from the origin to (dx, dy)."""
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, (px * dx + py * dy) / length))
    return math.hypot(px - t * dx, py - t * dy)


def boundaries(level: str = "cities") -> dict[str, Boundary]:
    """The boundaries of a layer of MAP_BOUNDARY_DIR by division code; empty when the layer is missing or
    unreadable (then positions are checked against China's extent only)."""
    return _read_layer(str(Path(settings.MAP_BOUNDARY_DIR) / LAYERS[level]))


@lru_cache(maxsize=4)
def _read_layer(path: str) -> dict[str, Boundary]:
    try:
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
        result = {}
        for feature in features:
            properties, geometry = feature["properties"], feature["geometry"]
            coordinates = geometry["coordinates"]
            polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
            shapes = tuple(tuple([(float(p[0]), float(p[1])) for p in ring] for ring in polygon)
                           for polygon in polygons)
            points = [p for polygon in shapes for ring in polygon for p in ring]
            bbox = (min(p[0] for p in points), min(p[1] for p in points),
                    max(p[0] for p in points), max(p[1] for p in points))
            code = str(properties["adcode"])
            result[code] = Boundary(code, properties.get("name", ""), shapes, bbox)
        return result
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        logger.warning("Boundary layer %s could not be read; positions are checked against China's extent only.",
                       path)
        return {}


def place_problem(lat: float, lng: float, *, city: Division | None = None, province: str = "") -> str | None:
    """Why a position cannot be the museum's, in Chinese, or None: it must lie within BORDER_TOLERANCE_KM of its
    city's boundary or, the city unknown, of its province's (the union of the province's cities in the layer).
    A place the layer does not hold (another province, a replaced layer) is not checked."""
    cities = boundaries("cities")
    if city is not None:
        outline = [cities[city.code]] if city.code in cities else []
        place = city.name
    else:
        prefix = _province_prefix(province) if province else None  # once, not per city of the layer
        outline = [b for code, b in cities.items() if code[:2] == prefix] if prefix else []
        place = province
    if not outline or any(b.near(lat, lng, BORDER_TOLERANCE_KM) for b in outline):
        return None
    other = next((b.name for b in cities.values() if b.contains(lat, lng)), "")
    where = f"（它在{other}境内）" if other else ""
    return f"该位置不在{place}范围内{where}，请核对纬度和经度。"


_PROVINCE_PREFIXES: dict[str, str] = {}  # divisions are reference data: a province found once keeps its code


def _province_prefix(province: str) -> str | None:
    """The two-digit code of a province the divisions hold (the layer's codes start with it), else None."""
    if province not in _PROVINCE_PREFIXES:
        code = Division.objects.province().filter(name=province).values_list("code", flat=True).first()
        if not code:
            return None
        _PROVINCE_PREFIXES[province] = code[:2]
    return _PROVINCE_PREFIXES[province]
