"""Where a ZIP code is and how far apart two places are.

ZIP centroids come from the `zipcodes` package (its data ships with it: no network at run
time). Distance is the great-circle distance (spherical law of cosines) in miles, here for
one pair of places and in programs/engine.py for the whole catalogue at once.
"""

import math
from dataclasses import dataclass
from functools import cache

import zipcodes

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0


@dataclass(frozen=True)
class Place:
    zip_code: str
    latitude: float
    longitude: float
    state: str


@cache
def _zip_index() -> dict[str, Place]:
    places = {}
    for row in zipcodes.list_all():
        latitude, longitude = float(row["lat"]), float(row["long"])
        # Military and some PO-box ZIPs have no centroid (0, 0): they cannot be placed.
        if latitude == 0 and longitude == 0:
            continue
        places[row["zip_code"]] = Place(row["zip_code"], latitude, longitude, row["state"])
    return places


def load() -> None:
    """Read the ZIP codes now (a worker's start: engine.warm), not in a visitor's first search
    (3 seconds)."""
    _zip_index()


def place_of_zip(zip_code: str) -> Place | None:
    """The centroid of a 5-digit US ZIP code, or None when it is not one we can place."""
    return _zip_index().get(zip_code)


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle miles between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    cosine = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lon2 - lon1
    )
    return EARTH_RADIUS_MILES * math.acos(min(1.0, cosine))


def box_bounds(place: Place, radius_miles: float) -> tuple[tuple[float, float], ...]:
    """(lowest, highest) latitude and longitude of a box that holds the whole circle."""
    latitude_delta = radius_miles / MILES_PER_DEGREE_LATITUDE
    # A degree of longitude is shortest at the box's edge farthest from the equator: use it,
    # so the box holds the whole circle.
    farthest = min(abs(place.latitude) + latitude_delta, 89.0)
    longitude_delta = radius_miles / (
        MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(farthest)), 0.01)
    )
    return (
        (place.latitude - latitude_delta, place.latitude + latitude_delta),
        (place.longitude - longitude_delta, place.longitude + longitude_delta),
    )
