"""Geography helpers: inferring a place from a museum's name, distances, default positions, plausible positions."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def check_position(lat: float, lng: float) -> None:
    """Refuse a position outside China, saying which of the two is wrong (and when they look swapped)."""
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
