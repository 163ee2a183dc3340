"""The search engine: every structured condition, every order and every count of a search,
worked out over a copy of the published catalogue that each worker keeps in memory.

One implementation of each way a parameter matches (programs/parameters.py: any of, all of,
one of, a flag, at most, distance, words). The database reads the words and finds each
stem's programs once per copy (programs/words.py), and loads the page's rows by id;
everything else happens here, so every order and every page costs about the same, whatever
the catalogue's size (README "How search works").

The copy: for each faceted value a bit set over the catalogue (one bit a program), the
numbers that limits and orders read, the places, and each static order's rank. It is read
again when CatalogueVersion's token has changed: database triggers change it on every write
to programs, their sites and their vocabulary terms (migrations 0009 and 0010), so a search
never sees an older catalogue than the database; and when the day has changed, since
whether a program takes new clients is known only for AVAILABILITY_STALE_DAYS (WORKED_OUT).
"""

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import DateField
from django.utils import timezone

from programs import parameters as declared
from programs import places, words
from programs.models import CatalogueVersion, Program, Site

logger = logging.getLogger(__name__)

# The numbers limits, orders and the guides' score read (NaN: not yet verified).
NUMBERS = tuple(
    dict.fromkeys(
        [
            *(p.source.name for p in declared.PARAMETERS if p.match == declared.AT_MOST),
            *(number for _label, number, _d in declared.SORTS.values() if number),
            *(p.unknown.number for p in declared.PARAMETERS if p.unknown),
            "total_cost_min",
        ]
    )
)
# Static orders (by a number of the program, then its name): their ranks are worked out once
# per copy. The others depend on the search (miles from the ZIP code, the words' rank).
STATIC_SORTS = {
    name: (number, descending)
    for name, (_label, number, descending) in declared.SORTS.items()
    if number or name == "name"
}
# A search with more matches than this in a static order takes its page from the copy's own
# order (Catalogue.order) instead of sorting its matches. Measured at 100,000 programs: 0.14
# against 1.1 ms for all of them, 0.23 against 0.57 ms for 34,000, even at 24,000; sorting
# the matches is quicker below.
STATIC_ORDER_FROM = 20000
# Terms as bits: PostgreSQL's bit_or; SQLite has none, but a program holds a term once.
_BIT_OR = {"postgresql": "bit_or", "sqlite": "SUM"}
# A date column as days since 1 January 1970 (day_number).
_DAY_NUMBER = {
    "postgresql": "({} - DATE '1970-01-01')",
    "sqlite": "CAST(julianday({}) - 2440587.5 AS INTEGER)",
}
# Facts with no column of their own, worked out in SQL as of the copy's day (its parameter:
# the oldest day still fresh): whether a program takes new clients, unknown once older than
# AVAILABILITY_STALE_DAYS, as its page says (Program.accepting_now).
WORKED_OUT = {
    "accepting_now": "CASE WHEN p.availability_as_of >= %s THEN p.accepting_new_clients END",
}


def _pack(held: np.ndarray) -> np.ndarray:
    """A yes/no per program as a bit set: 64 programs a word."""
    packed = np.packbits(held, bitorder="little")
    packed = np.pad(packed, (0, -len(packed) % 8))
    return packed.view(np.uint64)


def _count(bits: np.ndarray) -> int:
    return int(np.bitwise_count(bits).sum())


@dataclass(frozen=True)
class Catalogue:
    """The published programs' search facts, southmost first (those without a place last),
    so the programs in a latitude band are a slice."""

    token: str | None
    today: date  # the day its WORKED_OUT facts are as of
    ids: np.ndarray
    values: dict[tuple[str, str], int]  # (parameter, value) -> its row of `holds`
    holds: np.ndarray  # (values, words): which programs hold each faceted value
    numbers: dict[str, np.ndarray]  # NUMBERS, float64, NaN when unknown
    ranks: dict[str, np.ndarray]  # STATIC_SORTS -> each program's place in that order
    latitudes: np.ndarray  # degrees, NaN without a place
    longitudes: np.ndarray
    states: np.ndarray  # each program's site's state, as a number of `state_numbers`
    state_numbers: dict[str, int]
    read_seconds: float  # how long reading it took: a newer copy is read in the background
    # when that is longer than CATALOGUE_WAIT_MS (current())

    @classmethod
    def read(cls, token: str | None, today: date) -> "Catalogue":
        started = time.perf_counter()
        table = _published_facts(today)
        count = len(table["id"])
        name_rank = np.array(table["name_rank"], dtype=np.int64) - 1
        latitudes = np.array(table["latitude"], dtype=np.float64)  # None: NaN
        order = np.lexsort((name_rank, np.nan_to_num(latitudes, nan=np.inf)))
        program_ids = np.array(table["id"], dtype=np.int64)
        state_numbers = {state: number for number, state in enumerate(sorted(set(table["state"])))}

        held = {}
        for parameter in declared.FACETS:
            source = parameter.source
            if isinstance(source, declared.Column):
                facts = table[source.name]
                for value in parameter.values:
                    serving = set(source.serving(value))
                    held[parameter.name, value] = np.fromiter(
                        (fact in serving for fact in facts), dtype=bool, count=count
                    )
            elif isinstance(source, declared.Flags):
                for value in parameter.values:
                    held[parameter.name, value] = np.array(table[source.columns[value]], bool)
            else:
                masks = np.array(table[parameter.name], dtype=np.int64)
                for bit, value in enumerate(parameter.values):
                    held[parameter.name, value] = (masks >> bit) & 1 == 1
        keys = [(p.name, value) for p in declared.FACETS for value in p.values]
        holds = np.array([_pack(held[key][order]) for key in keys]).reshape(len(keys), -1)

        def numbers(name):
            return np.array(table[name], dtype=np.float64).reshape(count)

        number_columns = {name: numbers(name) for name in NUMBERS}
        ranks = {}
        for sort, (number, descending) in STATIC_SORTS.items():
            rank = name_rank
            if number is not None:
                key = number_columns[number]
                key = np.nan_to_num(-key if descending else key, nan=np.inf)
                rank = np.empty(count, dtype=np.int64)
                rank[np.lexsort((name_rank, key))] = np.arange(count)
            ranks[sort] = rank[order]
        return cls(
            token=token,
            today=today,
            ids=program_ids[order],
            values={key: row for row, key in enumerate(keys)},
            holds=holds,
            numbers={name: column[order] for name, column in number_columns.items()},
            ranks=ranks,
            latitudes=latitudes[order],
            longitudes=numbers("longitude")[order],
            states=np.array([state_numbers[state] for state in table["state"]], np.int16)[order],
            state_numbers=state_numbers,
            read_seconds=time.perf_counter() - started,
        )

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def everything(self) -> np.ndarray:
        return _pack(np.ones(len(self), dtype=bool))

    def unknown(self, number: str) -> np.ndarray:
        """The bit set of the programs whose `number` is not yet verified (empty)."""
        if number not in self._unknown:
            self._unknown[number] = _pack(np.isnan(self.numbers[number]))
        return self._unknown[number]

    @cached_property
    def _unknown(self) -> dict:
        return {}

    @cached_property
    def nothing(self) -> np.ndarray:
        return np.zeros_like(self.everything)

    @cached_property
    def stems(self) -> words.Stems:
        """The word stems searched in this copy (programs/words.py)."""
        return words.Stems(self)

    @staticmethod
    def pack(held: np.ndarray) -> np.ndarray:
        return _pack(held)

    def unpack(self, bits: np.ndarray) -> np.ndarray:
        return unpack(bits, len(self))

    def order(self, sort: str) -> np.ndarray:
        """The copy's places in a static order (STATIC_SORTS), worked out once per copy."""
        if sort not in self._orders:
            self._orders[sort] = np.argsort(self.ranks[sort], kind="stable")
        return self._orders[sort]

    @cached_property
    def _orders(self) -> dict:
        return {}

    @cached_property
    def _by_id(self) -> np.ndarray:
        return np.argsort(self.ids)

    def held(self, name: str, value: str) -> np.ndarray:
        """The bit set of the programs that hold one faceted value."""
        return self.holds[self.values[name, value]]

    def values_held(self, name: str, ids: list[int]) -> dict[int, list[str]]:
        """For each of these programs in the copy, the values of a faceted parameter it
        holds, in their declared order (the payment kinds a result card shows)."""
        found, present = self.places_of(np.array(ids, dtype=np.int64))
        values = declared.BY_NAME[name].values
        rows = self.holds[[self.values[name, value] for value in values]]
        held = (rows[:, found >> 6] >> (found & 63).astype(np.uint64)) & np.uint64(1)
        return {
            pk: [value for value, has in zip(values, column, strict=True) if has]
            for pk, column in zip(np.array(ids)[present].tolist(), held.T.tolist(), strict=True)
        }

    def places_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where these programs are in the copy, and which of the ids are in it at all."""
        if not len(self):
            return np.zeros(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
        found = self._by_id[
            np.searchsorted(self.ids, ids, sorter=self._by_id).clip(0, len(self) - 1)
        ]
        present = self.ids[found] == ids
        return found[present], present

    def miles(self, place: places.Place, positions: np.ndarray) -> np.ndarray:
        """Great-circle miles (spherical law of cosines; NaN without a place)."""
        here, there = np.radians(place.latitude), np.radians(self.latitudes[positions])
        cosine = np.sin(here) * np.sin(there) + np.cos(here) * np.cos(there) * np.cos(
            np.radians(self.longitudes[positions] - place.longitude)
        )
        return places.EARTH_RADIUS_MILES * np.arccos(np.minimum(1.0, cosine))

    def within(self, place: places.Place, radius: float) -> np.ndarray:
        """Which programs are within `radius` miles (a yes/no per program)."""
        (low_lat, high_lat), (low_lon, high_lon) = places.box_bounds(place, radius)
        start = np.searchsorted(self.latitudes, low_lat, side="left")
        end = np.searchsorted(self.latitudes, high_lat, side="right")
        longitudes = self.longitudes[start:end]
        boxed = start + np.flatnonzero((longitudes >= low_lon) & (longitudes <= high_lon))
        within = np.zeros(len(self), dtype=bool)
        within[boxed[self.miles(place, boxed) <= radius]] = True
        return within

    @cached_property
    def _online(self) -> np.ndarray:
        return unpack(self.held("format", "telehealth"), len(self))

    def online_in(self, state: str) -> np.ndarray:
        """Programs that offer telehealth at a site in this state (a yes/no per program)."""
        return self._online & (self.states == self.state_numbers.get(state, -1))


def unpack(bits: np.ndarray, count: int) -> np.ndarray:
    return np.unpackbits(bits.view(np.uint8), count=count, bitorder="little").astype(bool)


def _published_facts(today: date) -> dict[str, tuple]:
    """What the copy holds of each published program, as columns: its rank by name, its own
    columns (the faceted ones and NUMBERS as floats, dates as day numbers) and the facts
    WORKED_OUT as of `today`, its site's place, and for each many-to-many parameter the bit
    set of its terms (bit = the term's place in the declaration's values, which follow
    programs/vocabulary.py like the terms' position)."""
    program, site = Program._meta.db_table, Site._meta.db_table
    oldest_fresh = today - timedelta(days=settings.AVAILABILITY_STALE_DAYS)
    columns, select_params = {"id": "p.id", "name_rank": "ranked.name_rank"}, []
    # The rank in name order from a narrow subquery (the name index, no sort of wide rows).
    joins = [
        f"JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY name, id) AS name_rank FROM {program} "
        "WHERE status = %s) ranked ON ranked.id = p.id"
    ]
    for parameter in declared.FACETS:
        source = parameter.source
        if isinstance(source, declared.Column) and source.name in WORKED_OUT:
            columns[source.name] = WORKED_OUT[source.name]
            select_params.append(oldest_fresh)
        elif isinstance(source, declared.Column):
            columns[source.name] = f"p.{source.name}"
        elif isinstance(source, declared.Flags):
            columns.update((column, f"p.{column}") for column in source.columns.values())
        else:
            field = Program._meta.get_field(source.field)
            through = field.remote_field.through._meta
            program_id = through.get_field(field.m2m_field_name()).column
            term_id = through.get_field(field.m2m_reverse_field_name()).column
            assert len(parameter.values) <= 63, "a term's bit must fit a signed 64-bit integer"
            alias = f"terms_{parameter.name}"
            joins.append(
                f"LEFT JOIN (SELECT x.{program_id} AS program_id, "
                f"{_BIT_OR[connection.vendor]}(CAST(1 AS BIGINT) << t.position) AS bits "
                f"FROM {through.db_table} x JOIN {field.related_model._meta.db_table} t "
                f"ON t.id = x.{term_id} GROUP BY x.{program_id}) {alias} "
                f"ON {alias}.program_id = p.id"
            )
            columns[parameter.name] = f"COALESCE({alias}.bits, 0)"
    for name in NUMBERS:
        if isinstance(Program._meta.get_field(name), DateField):
            columns[name] = _DAY_NUMBER[connection.vendor].format(f"p.{name}")
        else:
            columns[name] = f"CAST(p.{name} AS DOUBLE PRECISION)"
    columns.update(latitude="s.latitude", longitude="s.longitude", state="s.state")
    select = ", ".join(columns.values())
    with connection.cursor() as cursor, _long_statement(cursor):
        cursor.execute(
            f"SELECT {select} FROM {program} p JOIN {site} s ON s.id = p.site_id "
            + " ".join(joins)
            + " WHERE p.status = %s",
            [*select_params, Program.Status.PUBLISHED, Program.Status.PUBLISHED],
        )
        rows = cursor.fetchall()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return dict(zip(columns, values, strict=True))


@contextmanager
def _long_statement(cursor):
    """Reading the whole catalogue is one long statement (a second or more at 100,000 programs,
    longer on a busy server): it runs under the commands' statement timeout, not the web's
    (DATABASE_STATEMENT_TIMEOUT), then the connection's own bound applies again."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute(
        "SELECT set_config('statement_timeout', %s, false)",
        [f"{settings.DATABASE_COMMAND_STATEMENT_TIMEOUT}s"],
    )
    try:
        yield
    finally:
        if not connection.needs_rollback and connection.is_usable():
            cursor.execute("RESET statement_timeout")


def day_number(day: date) -> int:
    """A date as the copy holds it: days since 1 January 1970."""
    return (day - date(1970, 1, 1)).days


_lock = threading.Lock()
_copies: dict[str, Catalogue] = {}  # database name -> its latest copy
_reading: set[str] = set()  # databases whose newer copy is being read in the background


def current() -> Catalogue:
    """This worker's copy of the published catalogue, read again if the catalogue changed
    or the day did (the facts WORKED_OUT are as of a day).

    A search never waits for a slow read: when the last read of this database took longer
    than CATALOGUE_WAIT_MS (a large catalogue), searches go on with the current copy while
    the newer one is read in a thread of its own, and take it as soon as it is ready (about
    a second at 100,000 programs). A small catalogue's copy is read at once, so a change
    shows in the very next search; so is a copy asked for inside a transaction, whose own
    writes another thread could not see.
    """
    token, today = _token(), timezone.localdate()
    database = connection.settings_dict["NAME"]

    def outdated(copy: Catalogue | None) -> bool:
        return copy is None or token is None or (copy.token, copy.today) != (token, today)

    copy = _copies.get(database)
    if not outdated(copy):
        return copy
    slow = copy is not None and copy.read_seconds * 1000 > settings.CATALOGUE_WAIT_MS
    if slow and token is not None and not connection.in_atomic_block:
        _read_in_background(database)
        return copy
    # The token is read before the rows: a write committed in between makes the copy newer
    # than its token, never older, and the next search reads it again. No token: nothing
    # written since the table was emptied (a test's flush); read afresh each time rather
    # than trust a copy.
    with _lock:
        copy = _copies.get(database)
        if outdated(copy):  # not read meanwhile
            copy = Catalogue.read(token, today)
            _copies[database] = copy
    return copy


def _token() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "token" FROM {CatalogueVersion._meta.db_table}')
        row = cursor.fetchone()
    return row[0] if row else None


def _read_in_background(database: str) -> None:
    """Start reading the newer copy of `database` in a thread, unless one already is."""
    with _lock:
        if database in _reading:
            return
        _reading.add(database)
    threading.Thread(target=_read_newer, args=(database,), daemon=True).start()


def _read_newer(database: str) -> None:
    try:
        copy = _read_shared(database, _token(), timezone.localdate())
        with _lock:
            _copies[database] = copy
    except Exception:
        logger.exception("Reading a newer copy of the catalogue failed; the current one stays")
    finally:
        with _lock:
            _reading.discard(database)
        connection.close()  # this thread's own connection


def warm() -> None:
    """Read the copy before the first search (gunicorn's post_worker_init): a worker takes
    traffic ready. The ZIP codes first: they need no database, so the worker is ready for
    them even while the database is down. Workers starting together read the catalogue
    once (_read_shared)."""
    places.load()
    token, database = _token(), connection.settings_dict["NAME"]
    if token is None:
        current()
        return
    copy = _read_shared(database, token, timezone.localdate())
    with _lock:
        _copies[database] = copy


# A copy's arrays and the rest of its fields, in a file the workers of one machine share.
_ARRAYS = ("ids", "holds", "latitudes", "longitudes", "states")


def _read_shared(database: str, token: str, today: date) -> Catalogue:
    """The copy for `token` and `today`, read from the database once for all the workers of
    this machine: under a file lock, the first worker to need it reads it and leaves it in
    CATALOGUE_COPY_DIR; the others load that file (a few milliseconds at 100,000 programs)
    instead of asking the database for the same two seconds of work. Plain arrays and JSON
    (numpy's .npz without pickles): nothing in the file is run."""
    directory = Path(settings.CATALOGUE_COPY_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = hashlib.sha256(database.encode()).hexdigest()[:16]
    path = directory / f"{name}-{token}-{today.isoformat()}.npz"
    with open(directory / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():
                return _load(path)
            copy = Catalogue.read(token, today)
            _save(copy, path)
            for older in directory.glob(f"{name}-*.npz"):
                if older != path:
                    older.unlink(missing_ok=True)
            return copy
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _save(copy: Catalogue, path: Path) -> None:
    facts = {
        "token": copy.token,
        "today": copy.today.isoformat(),
        "values": [[*key, row] for key, row in copy.values.items()],
        "state_numbers": copy.state_numbers,
        "read_seconds": copy.read_seconds,
        "numbers": list(copy.numbers),
        "ranks": list(copy.ranks),
    }
    arrays = {name: getattr(copy, name) for name in _ARRAYS}
    arrays.update({f"number {name}": column for name, column in copy.numbers.items()})
    arrays.update({f"rank {name}": rank for name, rank in copy.ranks.items()})
    written = path.with_name(path.name + ".part")
    with open(written, "wb") as file:
        np.savez(file, facts=np.array(json.dumps(facts)), **arrays)
    os.replace(written, path)  # whole or not at all, for a worker loading it meanwhile


def _load(path: Path) -> Catalogue:
    with np.load(path, allow_pickle=False) as stored:
        facts = json.loads(str(stored["facts"]))
        return Catalogue(
            token=facts["token"],
            today=date.fromisoformat(facts["today"]),
            values={(name, value): row for name, value, row in facts["values"]},
            numbers={name: stored[f"number {name}"] for name in facts["numbers"]},
            ranks={name: stored[f"rank {name}"] for name in facts["ranks"]},
            state_numbers=facts["state_numbers"],
            read_seconds=facts["read_seconds"],
            **{name: stored[name] for name in _ARRAYS},
        )


def chosen(cleaned: dict, name: str) -> list[str]:
    """The chosen values of a faceted parameter in a cleaned search."""
    value = cleaned.get(name)
    if value in (None, "", [], False):
        return []
    if value is True:
        return ["1"]
    return list(value) if isinstance(value, list) else [value]


def effective_sort(cleaned: dict) -> str:
    """The asked-for order if it can apply; else nearest with a ZIP, best match with words,
    else by name."""
    asked = cleaned.get("sort")
    needs = {"distance": "near", "relevance": "q"}
    if asked and (asked not in needs or cleaned.get(needs[asked])):
        return asked
    if cleaned.get("near"):
        return "distance"
    if cleaned.get("q"):
        return "relevance"
    return "name"


@dataclass(frozen=True)
class Reach:
    """How programs reach a person near a ZIP code: within the radius (in person, or any
    format), or by telehealth from a site in their state."""

    place: places.Place
    radius: int
    within: np.ndarray  # yes/no per program
    online: np.ndarray

    @classmethod
    def of(cls, catalogue: Catalogue, place: places.Place, radius: int) -> "Reach":
        return cls(
            place, radius, catalogue.within(place, float(radius)), catalogue.online_in(place.state)
        )

    @cached_property
    def bits(self) -> np.ndarray:
        return _pack(self.within | self.online)

    @cached_property
    def within_bits(self) -> np.ndarray:
        return _pack(self.within)


class Search:
    """One search over the copy: which programs match, how many would with each faceted
    value added, and any page of them in any order."""

    def __init__(self, cleaned: dict, *, catalogue: Catalogue | None = None):
        self.catalogue = catalogue = catalogue or current()
        self.cleaned = cleaned
        self.sort = effective_sort(cleaned)
        base = catalogue.everything.copy()
        self.word_rank = None  # relevance of each program the words find (others: NaN)
        if cleaned.get("q"):
            found, self.word_rank = words.found_by_words(
                catalogue, cleaned["q"], ranked=self.sort == "relevance"
            )
            base &= found
        for parameter in declared.PARAMETERS:
            if parameter.match == declared.AT_MOST and cleaned.get(parameter.name) is not None:
                base &= _pack(self._at_most(parameter))
        self.reach = None
        if cleaned.get("near"):
            place = places.place_of_zip(cleaned["near"])
            radius = cleaned.get("radius") or declared.DEFAULT_RADIUS
            self.reach = Reach.of(catalogue, place, radius)
            base &= self.reach.bits
        self.base = base
        self.chosen = {
            p.name: values for p in declared.FACETS if (values := chosen(cleaned, p.name))
        }
        self.passes = {name: self._passes(name, values) for name, values in self.chosen.items()}
        # A parameter not given that searches some values unless asked (care above PHP):
        # those values pass, as if chosen, and its counts are each value's on its own.
        self.unasked = {p.name for p in declared.FACETS if p.unasked and p.name not in self.chosen}
        for name in self.unasked:
            self.passes[name] = self._passes(name, list(declared.BY_NAME[name].unasked))
        self.matching = self._others(None)

    def _keeps_unknown(self, parameter) -> bool:
        """Whether this search keeps the programs whose fact the parameter reads is not yet
        verified (its Unknown's steer is given)."""
        return parameter.unknown is not None and bool(self.cleaned.get(parameter.unknown.steer))

    def _at_most(self, parameter) -> np.ndarray:
        numbers = self.catalogue.numbers[parameter.source.name]
        fits = numbers <= float(self.cleaned[parameter.name])
        if self._keeps_unknown(parameter):
            fits |= np.isnan(self.catalogue.numbers[parameter.unknown.number])
        return fits

    def held(self, name: str, value: str) -> np.ndarray:
        """A faceted value's bit set for this search: near a ZIP code, in person also means
        within the radius; with its steer, a program whose fact is unknown holds it too."""
        bits = self.catalogue.held(name, value)
        if self.reach is not None and (name, value) == ("format", declared.IN_PERSON):
            return bits & self.reach.within_bits
        parameter = declared.BY_NAME[name]
        if self._keeps_unknown(parameter):
            return bits | self.catalogue.unknown(parameter.unknown.number)
        return bits

    def _passes(self, name: str, values: list[str]) -> np.ndarray:
        rows = [self.held(name, value) for value in values]
        if declared.BY_NAME[name].match == declared.ALL_OF:
            return np.bitwise_and.reduce(rows)
        return np.bitwise_or.reduce(rows)

    def _others(self, left_out: str | None) -> np.ndarray:
        """The programs the search matches without one chosen parameter (None: with all)."""
        bits = self.base.copy()
        for name, passing in self.passes.items():
            if name != left_out:
                bits &= passing
        return bits

    @cached_property
    def total(self) -> int:
        return _count(self.matching)

    def counts(self) -> dict[tuple[str, str], int]:
        """For each faceted value, how many programs the search would find with it added:
        to an "any of" or "all of" parameter's values, or in place of a "one of" value."""
        counts = {}
        for parameter in declared.FACETS:
            picked = parameter.name in self.chosen
            if parameter.name in self.unasked:
                among, widened = self._others(parameter.name), None
            elif not picked or parameter.match == declared.ALL_OF:
                among, widened = self.matching, None
            else:
                among = self._others(parameter.name)
                widened = (
                    self.passes[parameter.name] if parameter.match == declared.ANY_OF else None
                )
            for value in parameter.values:
                held = self.held(parameter.name, value)
                if widened is not None:
                    held = held | widened
                counts[parameter.name, value] = _count(held & among)
        return counts

    @cached_property
    def positions(self) -> np.ndarray:
        """The matching programs' places in the copy."""
        return np.flatnonzero(unpack(self.matching, len(self.catalogue)))

    def miles(self, positions: np.ndarray) -> np.ndarray:
        return self.catalogue.miles(self.reach.place, positions)

    def page(self, offset: int, limit: int) -> list["Found"]:
        """The `limit` matches from `offset`, in the search's order."""
        if self.sort in STATIC_SORTS and self.total > STATIC_ORDER_FROM:
            # Many matches in an order known before the search: walk the copy's order and
            # keep the matches, rather than sort them all.
            order = self.catalogue.order(self.sort)
            matched = order[unpack(self.matching, len(self.catalogue))[order]]
            return self.found(matched[offset : offset + limit])
        positions = self.positions
        key = self._order_key(self.sort, positions)
        end = min(offset + limit, len(positions))
        if offset >= end:
            return []
        if end < len(positions):
            top = np.argpartition(key, end - 1)[:end]
        else:
            top = np.arange(len(positions))
        top = top[np.argsort(key[top], kind="stable")][offset:end]
        return self.found(positions[top])

    def found(self, positions: np.ndarray) -> list["Found"]:
        """Programs of the copy with what this search worked out about them."""
        ids = self.catalogue.ids[positions].tolist()
        if self.reach is None:
            return [Found(pk, None, None) for pk in ids]
        miles = self.miles(positions)
        within = self.reach.within[positions]
        return [
            Found(pk, None if np.isnan(m) else float(m), "distance" if near else "telehealth")
            for pk, m, near in zip(ids, miles.tolist(), within.tolist(), strict=True)
        ]

    def _order_key(self, sort: str, positions: np.ndarray) -> np.ndarray:
        """One whole number per match that sorts them: the order's own number, then name."""
        catalogue = self.catalogue
        if sort in STATIC_SORTS:
            return catalogue.ranks[sort][positions]
        if sort == "distance":
            primary = self.miles(positions)
        else:  # relevance: the words' rank, highest first
            primary = -self.word_rank[positions]
        dense = np.unique(np.nan_to_num(primary, nan=np.inf), return_inverse=True)[1]
        return dense.astype(np.int64) * len(catalogue) + catalogue.ranks["name"][positions]


@dataclass(frozen=True)
class Found:
    """A program a search found: its id, and near a ZIP code its miles from there and how
    it reaches the person ("distance" within the radius, else "telehealth")."""

    id: int
    distance: float | None
    reach: str | None
