"""Search building blocks: where a ZIP code is, how far a site is, the vocabulary's bit sets.

ZIP centroids come from the `zipcodes` package (its data ships with it: no network at run
time). Distance: a bounding box on the copy of the site's coordinates on each program
(Program.search_latitude/longitude) narrows the rows first, then the great-circle (spherical
law of cosines) distance in miles, the same formula in the database (programs/search_sql.py
writes the search's SQL from these) and on the catalogue's copy in memory
(programs/catalogue_index.py).
"""

import math
from dataclasses import dataclass
from functools import cache

import zipcodes
from django.db import connection

from programs import vocabulary

# A program for co-occurring disorders treats substance use and mental health alike, so it
# serves either single need (domain.md "Focus"; most SAMHSA listings are co-occurring);
# asking for co-occurring care finds only programs that treat both.
FOCUS_SERVED_BY = {
    "substance_use": ["substance_use", "co_occurring"],
    "mental_health": ["mental_health", "co_occurring"],
    "co_occurring": ["co_occurring"],
}
assert list(FOCUS_SERVED_BY) == list(vocabulary.FOCUS)
TIME_OF_DAY_FIELDS = {
    "morning": "offers_morning",
    "afternoon": "offers_afternoon",
    "evening": "offers_evening",
    "weekend": "offers_weekend",
}
assert list(TIME_OF_DAY_FIELDS) == list(vocabulary.TIMES_OF_DAY)
# A program's level, focus, format, times of day and intake as one bit set, the column
# Program.facet_bits that the database computes from the row: the facet counts and the
# search's conditions test one integer instead of five text and boolean columns. Each entry
# is (column, value that sets the bit); a bit's place is its position here.
FLAGS = {
    "level:php": ("level_of_care", "php"),
    "level:iop": ("level_of_care", "iop"),
    "level:outpatient": ("level_of_care", "outpatient"),
    "focus:substance_use": ("focus", "substance_use"),
    "focus:mental_health": ("focus", "mental_health"),
    "focus:co_occurring": ("focus", "co_occurring"),
    "format:in_person": ("format", "in_person"),
    "format:telehealth": ("format", "telehealth"),
    "format:both": ("format", "both"),
    "time:morning": ("offers_morning", True),
    "time:afternoon": ("offers_afternoon", True),
    "time:evening": ("offers_evening", True),
    "time:weekend": ("offers_weekend", True),
    "accepting": ("accepting_new_clients", True),
}
FLAG_BITS = {flag: 1 << place for place, flag in enumerate(FLAGS)}


def flags_mask(*flags: str) -> int:
    mask = 0
    for flag in flags:
        mask |= FLAG_BITS[flag]
    return mask


# Miles around a ZIP code when the search names no radius.
DEFAULT_RADIUS = 25

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0

# Repeatable search parameter -> the Program many-to-many field it matches, and the bit-set
# column that mirrors it (kept by services.refresh_search_index).
M2M_PARAMETERS = {
    "payment": "payment_kinds",
    "insurer": "insurers",
    "service": "services",
    "population": "populations",
    "language": "languages",
}
MASK_FIELDS = {
    "payment": "payment_mask",
    "insurer": "insurer_mask",
    "service": "service_mask",
    "population": "population_mask",
    "language": "language_mask",
}
_VOCABULARIES = {
    "payment": vocabulary.PAYMENT_KINDS,
    "insurer": vocabulary.INSURERS,
    "service": vocabulary.SERVICES,
    "population": vocabulary.POPULATIONS,
    "language": vocabulary.LANGUAGES,
}
# A term's bit is its place in vocabulary.py: add new terms at the end of their list (then
# run refresh_search_index). 63 terms at most fit a signed 64-bit column.
TERM_BITS = {
    parameter: {slug: 1 << place for place, slug in enumerate(terms)}
    for parameter, terms in _VOCABULARIES.items()
}
assert all(len(bits) <= 63 for bits in TERM_BITS.values())


def mask_of(parameter: str, slugs) -> int:
    bits = TERM_BITS[parameter]
    mask = 0
    for slug in slugs:
        mask |= bits.get(slug, 0)
    return mask


def terms_in(parameter: str, mask: int) -> list[str]:
    """The slugs whose bits a program's bit set holds, in vocabulary order: the search shows
    a result's payments from its row, with no query to the many-to-many table."""
    return [slug for slug, bit in TERM_BITS[parameter].items() if mask & bit]


# Where the search reads a program's coordinates: its own copy of its site's place
# (Program.search_latitude/longitude, kept by services.refresh_search_index), so the search
# tests one table's indexed columns.
PROGRAM_COLUMNS = ("search_latitude", "search_longitude")


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


def place_of_zip(zip_code: str) -> Place | None:
    """The centroid of a 5-digit US ZIP code, or None when it is not one we can place."""
    return _zip_index().get(zip_code)


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in Python, the same formula as distance_sql (for tests)."""
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


def distance_sql(place: Place) -> tuple[str, tuple]:
    """Miles from the place to the program's site, as SQL on the program's own columns;
    NULL when the site has no coordinates."""
    latitude, longitude = (connection.ops.quote_name(column) for column in PROGRAM_COLUMNS)
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"  # SQLite's LEAST is MIN
    sql = (
        f"CASE WHEN {latitude} IS NOT NULL AND {longitude} IS NOT NULL THEN "
        f"%s * ACOS({least}(1.0, %s * SIN(RADIANS({latitude})) + "
        f"%s * COS(RADIANS({latitude})) * COS(RADIANS({longitude}) - %s))) "
        "ELSE NULL END"
    )
    # The place's sine and cosine as values: a prepared statement's generic plan would
    # otherwise compute them again for every row.
    here_latitude = math.radians(place.latitude)
    return sql, (
        EARTH_RADIUS_MILES,
        math.sin(here_latitude),
        math.cos(here_latitude),
        math.radians(place.longitude),
    )


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"
