"""The search as SQL: what each public parameter asks of one program row, and one page of
results, as plain SQL built from the cleaned parameters.

Every condition reads only programs_program's own columns (the bit sets, the copy of the
site's place, the schedule and cost summaries), so one table answers the whole search. The
same conditions serve three uses, which therefore agree by construction:
  - ProgramFilterSet's methods apply them through the ORM (filters.py, `.qs`);
  - the total, the facet counts and the nearest results, tested on the catalogue's copy in
    memory (catalogue_index.py): each faceted value is a Bits, a column and its bits;
  - a results page in any other order: ids from the narrow indexes, then 20 full rows
    (page_sql); nearest first, the full rows of the ids the copy found (rows_by_id_sql).
The statements are written as SQL, not built through the ORM, because resolving and
compiling the ORM expressions cost more than running them (bench/run.py measures it).

Near a ZIP code a person is reached in two ways: a site within the radius, or telehealth in
their state (Near).
"""

import json
from dataclasses import dataclass

from django.db import connection

from programs import search
from programs.models import FACET_COLUMNS, Program
from programs.search import DEFAULT_RADIUS, FOCUS_SERVED_BY, TIME_OF_DAY_FIELDS

PUBLISHED = Program.Status.PUBLISHED.value


@dataclass(frozen=True)
class Sql:
    """A fragment of SQL with its parameters."""

    text: str
    params: tuple = ()


@dataclass(frozen=True)
class Bits(Sql):
    """A row holds at least one of `mask`'s bits in the bit-set column `column_name`: as SQL
    for the database, and as data for the same test on the catalogue in memory
    (catalogue_index.py), so the two cannot disagree."""

    column_name: str = ""
    mask: int = 0


def bits(column_name: str, mask: int) -> Bits:
    # The bits as literals: they are fixed by the code, and as parameters a prepared
    # statement's generic plan would read one per value and row.
    return Bits(f"({column(column_name)} & {mask:d}) <> 0", (), column_name, mask)


TRUE = Sql("1 = 1")
FALSE = Sql("1 = 0")


def column(name: str) -> str:
    """A quoted column name; PostgreSQL and SQLite both quote with double quotes."""
    return f'"{name}"'


def program_column(name: str) -> str:
    """A column named after the table, for the conditions that also run through the ORM
    beside the provider's and site's columns (`name` is in all three)."""
    return f"{column(Program._meta.db_table)}.{column(name)}"


def all_of(conditions) -> Sql:
    return _joined(conditions, "AND", TRUE)


def any_of(conditions) -> Sql:
    return _joined(conditions, "OR", FALSE)


def _joined(conditions, operator: str, neutral: Sql) -> Sql:
    """The conditions joined by AND or OR; `neutral` (TRUE for AND, FALSE for OR) for none."""
    conditions = [c for c in conditions if c is not neutral]
    if not conditions:
        return neutral
    if len(conditions) == 1:
        return conditions[0]
    return Sql(
        f" {operator} ".join(f"({c.text})" for c in conditions),
        tuple(p for c in conditions for p in c.params),
    )


def all_sums(terms: list[Sql]) -> Sql:
    if not terms:
        return Sql("0")
    return Sql(" + ".join(t.text for t in terms), tuple(p for t in terms for p in t.params))


def values_in(name: str, values) -> Sql:
    values = tuple(values)
    return Sql(f"{column(name)} IN ({', '.join(['%s'] * len(values))})", values)


def _terms(parameter: str) -> dict[str, Bits]:
    mask_column = search.MASK_FIELDS[parameter]
    return {slug: bits(mask_column, bit) for slug, bit in search.TERM_BITS[parameter].items()}


def has_flag(*flags: str) -> Bits:
    """The program's facet_bits hold at least one of the flags (search.FLAGS)."""
    return bits("facet_bits", search.flags_mask(*flags))


# Faceted parameters: how their values combine, and each value's condition on one row. A
# chosen parameter filters the search; every value of every parameter is also counted.
ANY, ONE, ALL = "any", "one", "all"
FACETS: dict[str, tuple[str, dict[str, Bits]]] = {
    "level": (ANY, {value: has_flag(f"level:{value}") for value in Program.LevelOfCare.values}),
    "focus": (
        ONE,
        {
            value: has_flag(*(f"focus:{focus}" for focus in served_by))
            for value, served_by in FOCUS_SERVED_BY.items()
        },
    ),
    "payment": (ANY, _terms("payment")),
    "insurer": (ANY, _terms("insurer")),
    "time_of_day": (ANY, {value: has_flag(f"time:{value}") for value in TIME_OF_DAY_FIELDS}),
    # A person asks for a way to attend; "both" programs offer either.
    "format": (
        ONE,
        {
            value: has_flag(f"format:{value}", "format:both")
            for value in ("in_person", "telehealth")
        },
    ),
    "service": (ALL, _terms("service")),
    "population": (ANY, _terms("population")),
    "language": (ANY, _terms("language")),
    "accepting": (ONE, {"1": has_flag("accepting")}),
}
assert set(search.MASK_FIELDS.values()) <= set(FACET_COLUMNS)


def chosen(cleaned: dict, name: str) -> list[str]:
    """The values of a faceted parameter in the cleaned search, as facet keys."""
    value = cleaned.get(name)
    if value in (None, "", [], False):
        return []
    if value is True:
        return ["1"]
    return list(value) if isinstance(value, list) else [value]


def facet_selection(name: str, values, *, keyed: bool = False) -> Sql:
    """The condition a chosen faceted parameter puts on a row. keyed: the level of care as
    its own column, the key of the results' indexes (program_level_place), not as a flag.
    Near a ZIP, "in person" also means within the radius: Near.condition(in_person_only)."""
    if keyed and name == "level":
        return values_in("level_of_care", values)
    combine, conditions = FACETS[name]
    picked = [conditions[value] for value in values]
    return all_of(picked) if combine == ALL else any_of(picked)


# ---------------------------------------------------------------------------------------
# Parameters without counts: words, cost, schedule limits, distance.


def text_condition(text: str) -> Sql:
    """PostgreSQL: websearch syntax (evening group, dbt -adolescent, "peer support")
    over the weighted, GIN-indexed vector (migration 0003). Elsewhere: every word must appear
    in the name, provider, place or services (case-insensitive)."""
    if search.uses_full_text_search():
        return Sql(
            f"{column('search_vector')} @@ websearch_to_tsquery('english'::regconfig, %s)", (text,)
        )
    words = []
    for word in text.split():
        pattern = "%" + _escape_like(word) + "%"
        words.append(
            any_of(
                Sql(f"{program_column(name)} LIKE %s ESCAPE '\\'", (pattern,))
                for name in ("name", "search_provider", "search_place", "search_services")
            )
        )
    return all_of(words)


def text_rank(text: str) -> Sql:
    """Higher is more relevant; without full-text search, names that contain the whole text
    rank first, then providers."""
    if search.uses_full_text_search():
        return Sql(
            f"ts_rank({column('search_vector')}, websearch_to_tsquery('english'::regconfig, %s))",
            (text,),
        )
    pattern = "%" + _escape_like(text) + "%"
    return Sql(
        f"CASE WHEN {program_column('name')} LIKE %s ESCAPE '\\' THEN 2.0 "
        f"WHEN {program_column('search_provider')} LIKE %s ESCAPE '\\' THEN 1.0 ELSE 0.0 END",
        (pattern, pattern),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The cost limit compares the program's lowest per-session cost (filters.py says why).
COST_LIMIT = "cost_per_session_min"


def cost_condition(most: object, include_unknown: bool) -> Sql:
    fits = Sql(f"{column(COST_LIMIT)} <= %s", (most,))
    if include_unknown:
        return any_of([fits, Sql(f"{column(COST_LIMIT)} IS NULL")])
    return fits


# Schedule limits compare against the program's lightest track (filters.py says why).
SCHEDULE_LIMITS = {
    "max_days_per_week": "days_per_week_min",
    "max_hours_per_week": "hours_per_week_min",
    "max_weeks": "length_weeks_min",
}


def limit_condition(name: str, most) -> Sql:
    return Sql(f"{column(SCHEDULE_LIMITS[name])} <= %s", (most,))


@dataclass(frozen=True)
class Near:
    """A person's place and how far they will travel: the two ways a program reaches them."""

    place: search.Place
    radius: int

    @classmethod
    def of(cls, cleaned: dict) -> "Near | None":
        if not cleaned.get("near"):
            return None
        return cls(search.place_of_zip(cleaned["near"]), cleaned.get("radius") or DEFAULT_RADIUS)

    @property
    def distance(self) -> Sql:
        return Sql(*search.distance_sql(self.place))

    @property
    def in_box(self) -> Sql:
        """Inside the latitude/longitude box around the circle: cheap on indexed columns."""
        (low_lat, high_lat), (low_lon, high_lon) = search.box_bounds(self.place, self.radius)
        latitude, longitude = (column(name) for name in search.PROGRAM_COLUMNS)
        return Sql(
            f"{latitude} BETWEEN %s AND %s AND {longitude} BETWEEN %s AND %s",
            (low_lat, high_lat, low_lon, high_lon),
        )

    @property
    def in_radius(self) -> Sql:
        box, distance = self.in_box, self.distance
        return Sql(
            f"{box.text} AND {distance.text} <= %s",
            (*box.params, *distance.params, float(self.radius)),
        )

    @property
    def telehealth_in_state(self) -> Sql:
        return Sql(
            f"{column('format')} IN (%s, %s) AND {column('search_state')} = %s",
            ("telehealth", "both", self.place.state),
        )

    def condition(self, *, in_person_only: bool = False) -> Sql:
        if in_person_only:
            return self.in_radius
        return any_of([self.in_radius, self.telehealth_in_state])

    @property
    def reach(self) -> Sql:
        """'distance' inside the radius, else 'telehealth' (shown instead of miles)."""
        distance = self.distance
        return Sql(
            f"CASE WHEN {distance.text} <= %s THEN %s ELSE %s END",
            (*distance.params, float(self.radius), "distance", "telehealth"),
        )


def plain_conditions(cleaned: dict) -> list[Sql]:
    """Conditions of the parameters that have no counts, except distance (see Near)."""
    # The status as a literal, not a parameter: a prepared statement's generic plan can
    # then use the indexes that hold published programs only.
    conditions = [Sql(f"{program_column('status')} = '{PUBLISHED}'")]
    if cleaned.get("q"):
        conditions.append(text_condition(cleaned["q"]))
    if cleaned.get("max_cost_per_session") is not None:
        conditions.append(
            cost_condition(
                cleaned["max_cost_per_session"], bool(cleaned.get("include_unknown_cost"))
            )
        )
    for name in SCHEDULE_LIMITS:
        if cleaned.get(name) is not None:
            conditions.append(limit_condition(name, cleaned[name]))
    return conditions


def selections(cleaned: dict, *, keyed: bool = False) -> dict[str, Sql]:
    """parameter -> its condition, for each chosen faceted parameter."""
    return {
        name: facet_selection(name, values, keyed=keyed)
        for name in FACETS
        if (values := chosen(cleaned, name))
    }


def in_person_only(cleaned: dict) -> bool:
    return cleaned.get("format") == "in_person"


# ---------------------------------------------------------------------------------------
# A page of results

# Sort name -> the order, as (expression over the inner row set, descending?, nulls last?).
SORT_KEYS = {
    "distance": [("distance", False, True), ("name", False, False), ("id", False, False)],
    "relevance": [("rank", True, False), ("name", False, False), ("id", False, False)],
    "cost": [("cost_per_session_min", False, True), ("name", False, False), ("id", False, False)],
    "hours": [("hours_per_week_min", False, True), ("name", False, False), ("id", False, False)],
    "verified": [("last_verified_on", True, True), ("name", False, False), ("id", False, False)],
    "name": [("name", False, False), ("id", False, False)],
}

# What a result card and the API's summary read from a program, its provider and its site.
PROGRAM_FIELDS = (
    "id",
    "name",
    "provider_id",
    "level_of_care",
    "focus",
    "format",
    "days_per_week_min",
    "days_per_week_max",
    "hours_per_day_min",
    "hours_per_day_max",
    "hours_per_week_min",
    "hours_per_week_max",
    "length_weeks_min",
    "length_weeks_max",
    "offers_morning",
    "offers_afternoon",
    "offers_evening",
    "offers_weekend",
    "cost_per_session_min",
    "cost_per_session_max",
    "total_cost_min",
    "total_cost_max",
    "payment_mask",
    "accepting_new_clients",
    "is_sample",
    "last_verified_on",
    "phone",
)
PROVIDER_FIELDS = ("name",)
SITE_FIELDS = ("city", "state", "zip_code", "latitude", "longitude")


# SORT_KEYS["distance"] over full_rows(): the distance the inner query found, then the
# program's name and id.
NEAREST_FIRST = "found.distance NULLS LAST, p.name, p.id"


def _order(sort: str, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(
        f"{prefix}{column(name)}"
        + (" DESC" if descending else "")
        + (" NULLS LAST" if last else "")
        for name, descending, last in SORT_KEYS[sort]
    )


def page_sql(cleaned: dict, sort: str, offset: int, limit: int) -> Sql:
    """One page of the search in an order other than nearest first (which reads its ids
    from catalogue_index): each row is PROGRAM_FIELDS, PROVIDER_FIELDS, SITE_FIELDS, then
    distance and reach.

    The inner query finds the page's ids reading only programs_program's indexed columns;
    the outer one reads 20 full rows by id.
    """
    near = Near.of(cleaned)
    where = [*plain_conditions(cleaned), *selections(cleaned, keyed=True).values()]
    extra = [Sql("NULL AS distance"), Sql("NULL AS reach")]
    if near:
        where.append(near.condition(in_person_only=in_person_only(cleaned)))
        extra = [
            Sql(f"{near.distance.text} AS distance", near.distance.params),
            Sql(f"{near.reach.text} AS reach", near.reach.params),
        ]
    if cleaned.get("q"):
        rank = text_rank(cleaned["q"])
        extra.append(Sql(f"{rank.text} AS rank", rank.params))
    keys = [name for name, _d, _n in SORT_KEYS[sort] if name not in ("distance", "rank", "id")]
    key_columns = "".join(f", {column(name)}" for name in keys)
    condition = all_of(where)
    inner = Sql(
        f"SELECT {column('id')}, {', '.join(e.text for e in extra)}{key_columns} "
        f"FROM programs_program WHERE {condition.text} "
        f"ORDER BY {_order(sort)} LIMIT %s OFFSET %s",
        (*(p for e in extra for p in e.params), *condition.params, limit, offset),
    )
    return full_rows(inner, Sql(f" ORDER BY {_order(sort, 'found')}"))


def full_rows(found: Sql, order: Sql, extra=("distance", "reach")) -> Sql:
    """The full rows (PROGRAM_FIELDS, PROVIDER_FIELDS, SITE_FIELDS, then the `extra` columns
    of `found`) of the programs whose ids `found` gives, in `order` (over found and p)."""
    selected = ", ".join(
        [
            *(f"p.{column(name)}" for name in PROGRAM_FIELDS),
            *(f"provider.{column(name)}" for name in PROVIDER_FIELDS),
            *(f"site.{column(name)}" for name in SITE_FIELDS),
            *(f"found.{column(name)}" for name in extra),
        ]
    )
    text = (
        f"SELECT {selected} FROM ({found.text}) found "
        "JOIN programs_program p ON p.id = found.id "
        "JOIN programs_provider provider ON provider.id = p.provider_id "
        "JOIN programs_site site ON site.id = p.site_id" + order.text
    )
    return Sql(text, (*found.params, *order.params))


def rows_by_id_sql(ids, distances, reaches, offset: int, limit: int) -> Sql:
    """The full rows of the nearest programs catalogue_index found (ids, miles, reaches),
    nearest first, then by name: the `limit` from `offset`."""
    if connection.vendor == "postgresql":
        found = Sql(
            "SELECT id, distance, reach FROM unnest(%s::bigint[], %s::float8[], %s::text[]) "
            "AS nearest(id, distance, reach)",
            (list(ids), list(distances), list(reaches)),
        )
    else:  # SQLite: the three lists as one JSON array of rows
        found = Sql(
            "SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS distance, "
            "json_extract(value, '$[2]') AS reach FROM json_each(%s)",
            (json.dumps(list(zip(ids, distances, reaches, strict=True))),),
        )
    return full_rows(found, Sql(f" ORDER BY {NEAREST_FIRST} LIMIT %s OFFSET %s", (limit, offset)))
