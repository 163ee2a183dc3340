"""Words (`q`): which programs they find, and how well each matches.

PostgreSQL reads the words the way its full-text search does (`websearch_to_tsquery`: "peer
support", dbt -adolescent, cbt or dbt, "family therapy" as a phrase) and knows, for each
word stem, the programs whose search vector holds it (migration 0003: name and provider
weigh A, place B, services C). The engine keeps, for each stem searched since the
catalogue last changed, its programs as bit sets over the copy, one per weight, and works
the query out in memory: searching "dbt" a second time reads no row. A phrase is checked
by the database among the programs that hold all its words.

Relevance: for each word the query asks for (not one it excludes), the weight of the best
place it is found, as PostgreSQL's ts_rank weighs them (A 1.0, B 0.4, C 0.2), summed.
Ties go by name.

SQLite (the embedded default, small catalogues) has no stems: every word must appear in
the name, provider, place or services; names holding the whole text rank first, then
providers.
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from programs.models import Program

# The weights migration 0003 gives each part of a program, in tenths of ts_rank's (A 1.0,
# B 0.4, C 0.2): whole numbers, so a sum is the same in any order.
WEIGHTS = {"A": 10, "B": 4, "C": 2}
# Stems kept per copy: at most this many bytes of bit sets (least recently searched go).
KEPT_BYTES = 64 * 1024 * 1024

_TOKEN = re.compile(r"\s*('(?:[^']|'')*'(?::[*A-D]+)?|<->|<\d+>|[&|!()])")
_QUOTED = re.compile(r"'(?:[^']|'')*'")


@dataclass(frozen=True)
class Query:
    """A parsed tsquery: ("word", stem) | ("not", q) | ("and"|"or"|"phrase", q, q)."""

    tree: tuple | None  # None: no words left (only stop words)

    @classmethod
    def parse(cls, text: str) -> "Query":
        tokens = _TOKEN.findall(text)
        if not tokens:
            return cls(None)
        tree, rest = _parse(tokens, 0)
        assert not rest, f"unread tsquery tokens: {rest}"
        return cls(tree)

    def stems(self, tree=None, negated=False) -> tuple[list[str], list[str]]:
        """The stems asked for, and the stems only excluded."""
        tree = self.tree if tree is None else tree
        if tree is None:
            return [], []
        kind = tree[0]
        if kind == "word":
            return ([], [tree[1]]) if negated else ([tree[1]], [])
        if kind == "not":
            return self.stems(tree[1], not negated)
        left, right = self.stems(tree[1], negated), self.stems(tree[2], negated)
        return left[0] + right[0], left[1] + right[1]

    def has_phrase(self, tree=None) -> bool:
        tree = self.tree if tree is None else tree
        if tree is None or tree[0] == "word":
            return False
        return tree[0] == "phrase" or any(self.has_phrase(part) for part in tree[1:])


# tsquery operators, loosest first (PostgreSQL prints them so: | then & then <-> then !).
_BINARY = [("|", "or"), ("&", "and"), ("<->", "phrase")]


def _parse(tokens: list[str], level: int) -> tuple[tuple, list[str]]:
    if level == len(_BINARY):
        return _parse_unary(tokens)
    symbol, kind = _BINARY[level]
    left, tokens = _parse(tokens, level + 1)
    while tokens and (tokens[0] == symbol or (kind == "phrase" and tokens[0].startswith("<"))):
        right, tokens = _parse(tokens[1:], level + 1)
        left = (kind, left, right)
    return left, tokens


def _parse_unary(tokens: list[str]) -> tuple[tuple, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head == "!":
        inner, rest = _parse_unary(rest)
        return ("not", inner), rest
    if head == "(":
        inner, rest = _parse(rest, 0)
        assert rest and rest[0] == ")", "unbalanced tsquery"
        return inner, rest[1:]
    return ("word", _QUOTED.match(head).group()), rest


class Stems:
    """For one copy of the catalogue: each searched stem's programs, a bit set per weight."""

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # threads of one worker share the copy

    def of(self, stem: str) -> np.ndarray:
        """(weights, words): the programs holding the stem at weight A, B and C."""
        with self._lock:
            if stem in self._kept:
                self._kept.move_to_end(stem)
                return self._kept[stem]
        bits = self._read(stem)
        with self._lock:
            if stem not in self._kept:
                self._kept[stem] = bits
                self._bytes += bits.nbytes
            while len(self._kept) > 1 and self._bytes > KEPT_BYTES:
                _stem, dropped = self._kept.popitem(last=False)
                self._bytes -= dropped.nbytes
        return bits

    def _read(self, stem: str) -> np.ndarray:
        table = Program._meta.db_table
        better = [f"{stem}:{weight}" for weight in WEIGHTS][:-1]  # the last: the rest
        best = " ".join(
            f"WHEN search_vector @@ %s::tsquery THEN {place}" for place in range(len(better))
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, CASE {best} ELSE {len(better)} END FROM {table} "
                "WHERE status = %s AND search_vector @@ %s::tsquery",
                [*better, Program.Status.PUBLISHED, stem],
            )
            rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
        found, present = self.catalogue.places_of(rows[:, 0])
        held = np.zeros((len(WEIGHTS), len(self.catalogue)), dtype=bool)
        held[rows[present, 1], found] = True
        return np.array([self.catalogue.pack(row) for row in held])

    def matching(self, tree, everything: np.ndarray, *, negated: bool = False) -> np.ndarray:
        """The bit set of the programs a query tree matches, but for phrases: at least all
        its matches (a phrase counts as all its words; the database checks them after),
        which under a "not" means at most them (a phrase there counts as matching none)."""
        kind = tree[0]
        if kind == "word":
            return np.bitwise_or.reduce(self.of(tree[1]))
        if kind == "not":
            return everything & ~self.matching(tree[1], everything, negated=not negated)
        if kind == "phrase" and negated:
            return np.zeros_like(everything)
        left, right = (self.matching(part, everything, negated=negated) for part in tree[1:])
        return left | right if kind == "or" else left & right


def found_by_words(catalogue, text: str, *, ranked: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The bit set of the programs the words find, and (when `ranked`) each program's
    relevance in the copy's order (NaN where not found)."""
    if connection.vendor != "postgresql":
        ids, ranks = _like_words(text)
        found, present = catalogue.places_of(ids)
        held = np.zeros(len(catalogue), dtype=bool)
        held[found] = True
        rank = np.full(len(catalogue), np.nan)
        rank[found] = ranks[present]
        return catalogue.pack(held), rank if ranked else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english'::regconfig, %s)::text", [text])
        query = Query.parse(cursor.fetchone()[0])
    if query.tree is None:
        return catalogue.nothing, np.full(len(catalogue), np.nan) if ranked else None
    stems = catalogue.stems
    bits = stems.matching(query.tree, catalogue.everything)
    if query.has_phrase():
        bits = _phrase_checked(catalogue, bits, text)
    if not ranked:
        return bits, None
    rank = np.zeros(len(catalogue))
    for stem in dict.fromkeys(query.stems()[0]):
        weights = stems.of(stem)
        taken = np.zeros(len(catalogue), dtype=bool)
        for place, weight in enumerate(WEIGHTS.values()):
            held = catalogue.unpack(weights[place]) & ~taken
            rank[held] += weight
            taken |= held
    rank[~catalogue.unpack(bits)] = np.nan
    return bits, rank


def _phrase_checked(catalogue, bits: np.ndarray, text: str) -> np.ndarray:
    """Of the programs holding a phrase's words, those where the database finds the phrase."""
    ids = catalogue.ids[np.flatnonzero(catalogue.unpack(bits))]
    table = Program._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE id = ANY(%s) "
            "AND search_vector @@ websearch_to_tsquery('english'::regconfig, %s)",
            [ids.tolist(), text],
        )
        found, _present = catalogue.places_of(
            np.array([pk for (pk,) in cursor.fetchall()], dtype=np.int64)
        )
    held = np.zeros(len(catalogue), dtype=bool)
    held[found] = True
    return catalogue.pack(held)


def _like_words(text: str) -> tuple[np.ndarray, np.ndarray]:
    """SQLite: every word in the name, provider, place or services (case-insensitive)."""
    table = Program._meta.db_table
    columns = ("name", "search_provider", "search_place", "search_services")
    words = text.split()
    condition = " AND ".join(
        "(" + " OR ".join(f"{name} LIKE %s ESCAPE '\\'" for name in columns) + ")"
        for _word in words
    )
    whole = "%" + _escape_like(text) + "%"
    sql = (
        "SELECT id, CASE WHEN name LIKE %s ESCAPE '\\' THEN 2.0 "
        "WHEN search_provider LIKE %s ESCAPE '\\' THEN 1.0 ELSE 0.0 END "
        f"FROM {table} WHERE status = %s AND {condition or '1 = 1'}"
    )
    params = [whole, whole, Program.Status.PUBLISHED]
    params += ["%" + _escape_like(word) + "%" for word in words for _name in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.array([pk for pk, _rank in rows], dtype=np.int64)
    return ids, np.array([rank for _pk, rank in rows], dtype=np.float64)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
