"""Properties of the pure geography that every radius search relies on (hypothesis)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from exchange.geo import EARTH_RADIUS_KM, Point, bounding_box, haversine_km

# Where people use the exchange (and well beyond): no points on the poles themselves.
latitudes = st.floats(min_value=-85.0, max_value=85.0, allow_nan=False)
longitudes = st.floats(min_value=-179.0, max_value=179.0, allow_nan=False)
points = st.builds(Point, latitudes, longitudes)
radii = st.floats(min_value=0.1, max_value=200.0, allow_nan=False)
bearings = st.floats(min_value=0.0, max_value=2 * math.pi, allow_nan=False)
fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)

# Float rounding in km: far below anything a resident could notice.
EPS = 1e-6


def destination(start: Point, bearing: float, distance_km: float) -> Point:
    """The point distance_km from start in direction bearing (great circle)."""
    d = distance_km / EARTH_RADIUS_KM
    lat1, lon1 = math.radians(start.latitude), math.radians(start.longitude)
    lat2 = math.asin(
        math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(bearing)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(d) * math.cos(lat1),
        math.cos(d) - math.sin(lat1) * math.sin(lat2),
    )
    return Point(math.degrees(lat2), math.degrees(lon2))


@given(points, points)
def test_distance_is_symmetric_and_never_negative(a, b):
    assert haversine_km(a, b) == haversine_km(b, a)
    assert haversine_km(a, b) >= 0
    assert haversine_km(a, a) == 0


@given(points, points, points)
def test_distance_obeys_the_triangle_inequality(a, b, c):
    assert haversine_km(a, c) <= haversine_km(a, b) + haversine_km(b, c) + EPS


def _assert_inside(box, point):
    assert box.min_latitude - 1e-9 <= point.latitude <= box.max_latitude + 1e-9
    # Longitudes wrap at ±180°: compare on the side of the box's own range.
    longitude = point.longitude
    middle = (box.min_longitude + box.max_longitude) / 2
    longitude += 360 * round((middle - longitude) / 360)
    assert box.min_longitude - 1e-9 <= longitude <= box.max_longitude + 1e-9


@given(points, radii, bearings, fractions)
def test_bounding_box_contains_every_point_within_the_radius(center, radius, bearing, fraction):
    # A posting inside the radius that the box left out would silently miss the board.
    _assert_inside(bounding_box(center, radius), destination(center, bearing, radius * fraction))


@given(points, radii)
def test_bounding_box_contains_the_whole_circle(center, radius):
    # The circle's widest point lies poleward of the centre's latitude: sweep all of its rim.
    box = bounding_box(center, radius)
    for step in range(720):
        _assert_inside(box, destination(center, step * math.pi / 360, radius))


@given(points, radii, bearings)
def test_a_point_at_the_radius_is_that_far_away(center, radius, bearing):
    # The helper above agrees with haversine_km, so the containment test measures the box.
    assert math.isclose(
        haversine_km(center, destination(center, bearing, radius)), radius, rel_tol=1e-6
    )
