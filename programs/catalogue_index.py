"""The published catalogue's search columns in memory: the total, the facet counts and the
nearest results of a search, without reading the candidate rows from the database.

Exact facet counts need every row that could change one: near a big city that is thousands
of rows, and their number grows with the catalogue (bench/run.py). Reading them from
PostgreSQL's indexes cost 4-8 ms a search at 100,000 programs; here each worker keeps the
columns the search tests as numpy arrays (about 130 bytes a program, 13 MB for 100,000) and
tests a column at a time, for every candidate at once.

The copy is read again when CatalogueVersion's token has changed: triggers change it on
every write to programs_program (migration 0009), so a search never sees an older catalogue
than the database. Words (`q`) stay with the database's text search: its matches are read as
ids. The conditions are search_sql's (each facet value is a search_sql.Bits: a column and
its bits), so the database and this copy agree by construction.
"""

import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.db import connection

from programs import search
from programs.models import FACET_COLUMNS, CatalogueVersion
from programs.search_sql import (
    ALL,
    ANY,
    COST_LIMIT,
    FACETS,
    PUBLISHED,
    SCHEDULE_LIMITS,
    Near,
    chosen,
    column,
    text_condition,
)

# Known-or-unknown numbers the plain limits compare (NaN: not yet verified).
NUMBER_COLUMNS = (COST_LIMIT, *SCHEDULE_LIMITS.values())
COLUMNS = ("id", *FACET_COLUMNS, *search.PROGRAM_COLUMNS, "search_state", *NUMBER_COLUMNS)
REACHES_ONLINE = search.flags_mask("format:telehealth", "format:both")
NOWHERE = np.empty(0, dtype=np.int64)
IN_PERSON = ("format", "in_person")


@dataclass(frozen=True)
class Catalogue:
    """Published programs' search columns, one array per column, southmost program first
    (those without a place last): the programs in a latitude band are a slice."""

    token: str | None
    ids: np.ndarray
    bits: dict[str, np.ndarray]  # FACET_COLUMNS: int64 bit sets
    numbers: dict[str, np.ndarray]  # NUMBER_COLUMNS: float64, NaN when unknown
    latitudes: np.ndarray  # degrees, NaN without a place
    longitudes: np.ndarray
    sin_latitude: np.ndarray
    cos_latitude: np.ndarray
    longitude_radians: np.ndarray
    online_in_state: dict[str, np.ndarray]  # state -> positions of telehealth programs there

    @classmethod
    def read(cls, token: str | None) -> "Catalogue":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(column(name) for name in COLUMNS)} FROM programs_program "
                f"WHERE {column('status')} = %s "
                f"ORDER BY {column(search.PROGRAM_COLUMNS[0])} NULLS LAST, {column('id')}",
                [PUBLISHED],
            )
            rows = cursor.fetchall()
        values = dict(zip(COLUMNS, zip(*rows, strict=True), strict=True)) if rows else {}

        def array(name, dtype):
            return np.array(values.get(name, ()), dtype=dtype)

        latitude_name, longitude_name = search.PROGRAM_COLUMNS
        latitudes = array(latitude_name, np.float64)
        longitudes = array(longitude_name, np.float64)
        facet_bits = array("facet_bits", np.int64)
        states = np.array(values.get("search_state", ()), dtype=object)
        online = np.flatnonzero(facet_bits & REACHES_ONLINE)
        return cls(
            token=token,
            ids=array("id", np.int64),
            bits={name: array(name, np.int64) for name in FACET_COLUMNS},
            numbers={name: array(name, np.float64) for name in NUMBER_COLUMNS},
            latitudes=latitudes,
            longitudes=longitudes,
            sin_latitude=np.sin(np.radians(latitudes)),
            cos_latitude=np.cos(np.radians(latitudes)),
            longitude_radians=np.radians(longitudes),
            online_in_state={
                state: online[states[online] == state] for state in set(states[online])
            },
        )

    def __len__(self) -> int:
        return len(self.ids)

    def miles(self, place: search.Place, positions: np.ndarray) -> np.ndarray:
        """search.distance_sql's great-circle miles (NaN for a program without a place)."""
        here = np.radians(place.latitude)
        cosine = np.sin(here) * self.sin_latitude[positions] + np.cos(here) * self.cos_latitude[
            positions
        ] * np.cos(self.longitude_radians[positions] - np.radians(place.longitude))
        return search.EARTH_RADIUS_MILES * np.arccos(np.minimum(1.0, cosine))

    def reached(self, near: Near) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The programs that reach a person (search_sql.Near): positions, whether each is
        within the radius (else it reaches them by telehealth in their state), and miles."""
        (low_lat, high_lat), (low_lon, high_lon) = search.box_bounds(near.place, near.radius)

        # The latitude band is a slice (the copy is in latitude order); then the box's
        # longitudes, then the distance.
        start = np.searchsorted(self.latitudes, low_lat, side="left")
        end = np.searchsorted(self.latitudes, high_lat, side="right")
        longitudes = self.longitudes[start:end]
        boxed = start + np.flatnonzero((longitudes >= low_lon) & (longitudes <= high_lon))
        miles = self.miles(near.place, boxed)
        close = miles <= float(near.radius)
        within, within_miles = boxed[close], miles[close]
        online = self.online_in_state.get(near.place.state, NOWHERE)
        is_within = np.zeros(len(self), dtype=bool)
        is_within[within] = True
        farther = online[~is_within[online]]  # the others are within the radius already
        positions = np.concatenate([within, farther])
        in_radius = np.arange(len(positions)) < len(within)
        return positions, in_radius, np.concatenate([within_miles, self.miles(near.place, farther)])


_lock = threading.Lock()
_copies: dict[str, Catalogue] = {}  # database name -> its latest copy


def current() -> Catalogue:
    """This worker's copy of the published catalogue, read again if the catalogue changed."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column('token')} FROM {CatalogueVersion._meta.db_table}")
        row = cursor.fetchone()
    token = row[0] if row else None
    database = connection.settings_dict["NAME"]
    copy = _copies.get(database)
    if copy is None or token is None or copy.token != token:
        # The token is read before the rows: a write committed in between makes the copy
        # newer than its token, never older, and the next search reads it again. No token:
        # nothing written since the table was emptied (a test's flush); read afresh each
        # time rather than trust a copy.
        with _lock:
            copy = _copies.get(database)
            if copy is None or token is None or copy.token != token:  # not read meanwhile
                copy = Catalogue.read(token)
                _copies[database] = copy
    return copy


class Found:
    """A search over the copy: its candidates (the search without its faceted parameters),
    which of the chosen faceted parameters each fails, and from those the total, the facet
    counts and the nearest results."""

    def __init__(self, cleaned: dict):
        self.catalogue = catalogue = current()
        self.near = near = Near.of(cleaned)
        if near:
            positions, self.in_reach, self.miles = catalogue.reached(near)
        else:
            positions = np.arange(len(catalogue))
        keep = self._plain(cleaned, positions)
        self.positions = positions[keep]
        if near:
            self.in_reach, self.miles = self.in_reach[keep], self.miles[keep]
        self._columns = {}
        self.chosen = {name: values for name in FACETS if (values := chosen(cleaned, name))}
        self.passes = {name: self._passes(name, values) for name, values in self.chosen.items()}
        self.misses = (
            sum((~passing).astype(np.int8) for passing in self.passes.values())
            if self.passes
            else np.zeros(len(self.positions), dtype=np.int8)
        )
        self.matching = self.misses == 0

    def _plain(self, cleaned: dict, positions: np.ndarray) -> np.ndarray:
        """search_sql.plain_conditions over the copy (published: the copy holds no other)."""
        keep = np.ones(len(positions), dtype=bool)
        numbers = self.catalogue.numbers
        if cleaned.get("q"):
            keep &= np.isin(self.catalogue.ids[positions], _matching_words(cleaned["q"]))
        if cleaned.get("max_cost_per_session") is not None:
            cost = numbers[COST_LIMIT][positions]
            fits = cost <= float(cleaned["max_cost_per_session"])
            keep &= fits | np.isnan(cost) if cleaned.get("include_unknown_cost") else fits
        for name, summary in SCHEDULE_LIMITS.items():
            if cleaned.get(name) is not None:
                keep &= numbers[summary][positions] <= float(cleaned[name])
        return keep

    def _bits(self, column_name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """A bit-set column of the candidates (or of some of them: rows)."""
        if rows is not None:
            return self.catalogue.bits[column_name][self.positions[rows]]
        if column_name not in self._columns:
            self._columns[column_name] = self.catalogue.bits[column_name][self.positions]
        return self._columns[column_name]

    def _value(self, name: str, value: str) -> np.ndarray:
        """The rows holding one faceted value; near a ZIP "in person" is within the radius."""
        condition = FACETS[name][1][value]
        held = (self._bits(condition.column_name) & condition.mask) != 0
        if self._within_radius_only((name, value)):
            held &= self.in_reach
        return held

    def _within_radius_only(self, key: tuple[str, str]) -> bool:
        """Near a ZIP, "in person" is only within the radius (search_sql.Near.condition)."""
        return self.near is not None and key == IN_PERSON

    def _count(self, rows: np.ndarray, keys: list[tuple[str, str]]) -> dict:
        """How many of the rows hold each (parameter, value): one test a bit-set column for
        all its values at once."""
        by_column: dict[str, list[tuple[str, str]]] = {}
        for name, value in keys:
            by_column.setdefault(FACETS[name][1][value].column_name, []).append((name, value))
        counts = {}
        for column_name, column_keys in by_column.items():
            masks = np.array([FACETS[n][1][v].mask for n, v in column_keys], dtype=np.int64)
            held = (self._bits(column_name, rows)[:, None] & masks) != 0
            for place, key in enumerate(column_keys):
                if self._within_radius_only(key):
                    held[:, place] &= self.in_reach[rows]
            counts.update(zip(column_keys, np.count_nonzero(held, axis=0).tolist(), strict=True))
        return counts

    def _passes(self, name: str, values: list[str]) -> np.ndarray:
        combine = FACETS[name][0]
        tests = [self._value(name, value) for value in values]
        return np.logical_and.reduce(tests) if combine == ALL else np.logical_or.reduce(tests)

    @cached_property
    def total(self) -> int:
        return int(np.count_nonzero(self.matching))

    def counts(self) -> dict[tuple[str, str], int]:
        """For each faceted value, how many programs the search would find with it added:
        a parameter not chosen counts its values among the matches; a chosen one also
        among the rows failing it alone (all of them for an "any of" parameter, which then
        adds to the total)."""
        keys = [(name, value) for name, (_c, values) in FACETS.items() for value in values]
        # Chosen "any of" and "one of" parameters: counted also where they alone fail.
        widened = [name for name in self.chosen if FACETS[name][0] != ALL]
        among_matches = [
            key for key in keys if not (key[0] in widened and FACETS[key[0]][0] == ANY)
        ]
        counts = dict.fromkeys(keys, self.total)
        counts.update(self._count(np.flatnonzero(self.matching), among_matches))
        for name in widened:
            failing_only_this = np.flatnonzero((self.misses == 1) & ~self.passes[name])
            values = [(name, value) for value in FACETS[name][1]]
            for key, count in self._count(failing_only_this, values).items():
                counts[key] += count
        return counts

    def nearest(self, end: int) -> tuple[list[int], list[float | None], list[str]]:
        """Ids, miles and reaches of the `end` nearest matches and any tied with the last
        (those without a place last), for search_sql.rows_by_id_sql to order by name."""
        matching = np.flatnonzero(self.matching)
        miles = self.miles[matching]
        if len(matching) > end:
            sortable = np.where(np.isnan(miles), np.inf, miles)
            last = np.partition(sortable, end - 1)[end - 1]
            matching = matching[sortable <= last]
            miles = self.miles[matching]
        ids = self.catalogue.ids[self.positions[matching]].tolist()
        reaches = np.where(self.in_reach[matching], "distance", "telehealth").tolist()
        return ids, [None if np.isnan(m) else float(m) for m in miles], reaches


def _matching_words(text: str) -> np.ndarray:
    """Ids of the published programs the words find (search_sql.text_condition)."""
    condition = text_condition(text)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column('id')} FROM programs_program "
            f"WHERE {column('status')} = %s AND ({condition.text})",
            [PUBLISHED, *condition.params],
        )
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
