"""Reads from the catalogue. Everything the public sees goes through published_programs()."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet, Window

from programs import search
from programs.filters import (
    FOCUS_CHOICES,
    FOCUS_SERVED_BY,
    FORMAT_CHOICES,
    LEVEL_CHOICES,
    TIME_OF_DAY_FIELDS,
    ProgramFilterSet,
)
from programs.models import FACET_COLUMNS, Program, ScheduleTrack

# No catalogue has this many pages; larger page numbers are answered with the last page.
MAX_PAGE = 100_000


def published_programs() -> QuerySet[Program]:
    """Only published listings ever reach the public."""
    return Program.objects.published().select_related("provider", "site")


def public_program_detail(*, pk: int) -> Program:
    """One published program with everything its page shows; raises DoesNotExist otherwise."""
    return (
        published_programs()
        .prefetch_related(
            Prefetch("tracks", queryset=ScheduleTrack.objects.order_by("time_of_day", "id")),
            "payment_kinds",
            "insurers",
            "services",
            "populations",
            "languages",
            "accreditations",
        )
        .get(pk=pk)
    )


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    """One search: the validated parameters, the matching programs and how they are ordered.

    `programs` is lazy; `count` and `facets` run their queries only when read, so the JSON
    API never pays for facet counts.
    """

    filterset: ProgramFilterSet
    programs: QuerySet[Program]
    sort: str

    @property
    def form(self):
        return self.filterset.form

    @property
    def is_valid(self) -> bool:
        return not self.form.errors

    @property
    def errors(self) -> dict[str, list[str]]:
        return {field: list(messages) for field, messages in self.form.errors.items()}

    @property
    def params(self) -> dict:
        """The valid, non-empty parameters, cleaned."""
        if not self.is_valid:
            return {}
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "", [])}

    @cached_property
    def count(self) -> int:
        return self.programs.count() if self.is_valid else 0

    def paginate(self, page_number, per_page: int = 20) -> Page:
        """The asked-for page (the first for a bad number, the last past the end).

        When the total is not known yet (the API reads no facets), the page's own query
        carries it as COUNT(*) OVER (), saving a separate COUNT over the same rows.
        """
        paginator = SearchPaginator(self, per_page)
        if "count" in self.__dict__ or not self.is_valid:
            return paginator.get_page(page_number)
        try:
            number = max(int(page_number), 1)
        except (TypeError, ValueError):
            number = 1
        if number > MAX_PAGE:
            # Past any real catalogue, and an OFFSET the database may refuse: the paginator
            # counts and answers with the last page.
            return paginator.get_page(page_number)
        start = (number - 1) * per_page
        rows = list(self.programs.annotate(total=Window(Count("pk")))[start : start + per_page])
        if not rows:
            return paginator.get_page(page_number)  # past the end, or nothing found
        self.__dict__["count"] = rows[0].total
        return Page(rows, number, paginator)

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        return _facet_counts(self) if self.is_valid else {}


class SearchPaginator(Paginator):
    """Reuses the result's count: read after the facets, it costs no query of its own."""

    def __init__(self, result: SearchResult, per_page: int):
        super().__init__(result.programs, per_page)
        self.result = result

    @cached_property
    def count(self) -> int:
        return self.result.count


def program_search(*, params) -> SearchResult:
    """Search published programs with the public query parameters (programs/filters.py).

    Invalid parameters give a result with per-field errors and no programs; unknown
    parameters are ignored.
    """
    filterset = ProgramFilterSet(params, queryset=published_programs())
    if not filterset.is_valid():
        return SearchResult(filterset, Program.objects.none(), "name")
    cleaned = filterset.form.cleaned_data
    sort = _effective_sort(cleaned)
    # Payments are read from each row's bit set (search.terms_in): no query per page for them.
    programs = filterset.qs.order_by(*SORT_ORDERINGS[sort])
    return SearchResult(filterset, programs, sort)


SORT_ORDERINGS = {
    "distance": [F("distance").asc(nulls_last=True), "name", "pk"],
    "relevance": ["-rank", "name", "pk"],
    "cost": [F("cost_per_session_min").asc(nulls_last=True), "name", "pk"],
    "hours": [F("hours_per_week_min").asc(nulls_last=True), "name", "pk"],
    "verified": [F("last_verified_on").desc(nulls_last=True), "name", "pk"],
    "name": ["name", "pk"],
}


def _effective_sort(cleaned: dict) -> str:
    """The asked-for order if it can apply; else nearest with a ZIP, best match with text."""
    asked = cleaned.get("sort")
    can_sort = {
        "distance": bool(cleaned.get("near")),
        "relevance": bool(cleaned.get("q")),
    }
    if asked and can_sort.get(asked, True):
        return asked
    if cleaned.get("near"):
        return "distance"
    if cleaned.get("q"):
        return "relevance"
    return "name"


# Faceted parameters: how their values combine, and each value's condition on one program
# row as SQL, valid on SQLite and PostgreSQL. They mirror the filters in filters.py (the
# facet tests check each count against the real filtered search).
ANY, ONE, ALL = "any", "one", "all"
assert set(search.MASK_FIELDS.values()) <= set(FACET_COLUMNS)


def _column(name: str) -> str:
    return connection.ops.quote_name(name)


def _equals(column: str, values) -> dict[str, tuple[str, list]]:
    return {value: (f"{_column(column)} = %s", [value]) for value in values}


def _terms(parameter: str) -> dict[str, tuple[str, list]]:
    column = _column(search.MASK_FIELDS[parameter])
    return {
        slug: (f"({column} & %s) <> 0", [bit]) for slug, bit in search.TERM_BITS[parameter].items()
    }


FACETS = {
    "level": (ANY, _equals("level_of_care", [v for v, _label in LEVEL_CHOICES])),
    "focus": (
        ONE,
        {
            v: (
                f"{_column('focus')} IN ({', '.join(['%s'] * len(FOCUS_SERVED_BY[v]))})",
                FOCUS_SERVED_BY[v],
            )
            for v, _label in FOCUS_CHOICES
        },
    ),
    "payment": (ANY, _terms("payment")),
    "insurer": (ANY, _terms("insurer")),
    "time_of_day": (
        ANY,
        {v: (f"{_column(field)} = %s", [True]) for v, field in TIME_OF_DAY_FIELDS.items()},
    ),
    "format": (
        ONE,
        {v: (f"{_column('format')} IN (%s, %s)", [v, "both"]) for v, _label in FORMAT_CHOICES},
    ),
    "service": (ALL, _terms("service")),
    "population": (ANY, _terms("population")),
    "language": (ANY, _terms("language")),
    "accepting": (ONE, {"1": (f"{_column('accepting_new_clients')} = %s", [True])}),
}


def _facet_candidates(filterset: ProgramFilterSet, columns) -> QuerySet:
    """The rows the counts test: the search without its faceted parameters. Near a ZIP on
    PostgreSQL, the two ways of reaching a person (within the radius; by telehealth in their
    state) are two index-only scans joined by UNION ALL (indexes program_place_facets and
    program_state_facets) instead of one OR that reads every wide row."""

    def rows(near_branch=None):
        return filterset.filter_queryset(
            published_programs().order_by(), leave_out={*FACETS, "sort"}, near_branch=near_branch
        ).values(*columns)

    if filterset.form.cleaned_data.get("near") and connection.vendor == "postgresql":
        return rows("radius").union(rows("telehealth"), all=True)
    return rows()


IN_PERSON_NEAR = {
    "in_person": (
        f"{_column('format')} IN (%s, %s) AND {_column('reach')} = %s",
        ["in_person", "both", "distance"],
    )
}


def _chosen(cleaned: dict, name: str) -> list[str]:
    value = cleaned.get(name)
    if value in (None, "", [], False):
        return []
    if value is True:
        return ["1"]
    return list(value) if isinstance(value, list) else [value]


def _all_of(conditions) -> tuple[str, list]:
    conditions = list(conditions)
    if not conditions:
        return "1 = 1", []
    return " AND ".join(f"({sql})" for sql, _ in conditions), [
        param for _, params in conditions for param in params
    ]


def _any_of(conditions) -> tuple[str, list]:
    conditions = list(conditions)
    return " OR ".join(f"({sql})" for sql, _ in conditions), [
        param for _, params in conditions for param in params
    ]


def _facet_counts(result: SearchResult) -> dict[str, list[FacetValue]]:
    """For each filter value, how many programs the search would find with it added.

    A value already chosen shows the current count; for a single-choice parameter a value
    counts the programs you would get by switching to it. All counts, and the total, come
    from ONE query: a pass over the programs matching the parameters without counts (words,
    distance, cost, schedule limits) that tests each row's own columns (the bit sets stand
    for the many-to-many terms). It is written as SQL because building ~60 filtered
    aggregates through the ORM costs more than running them.
    """
    filterset = result.filterset
    cleaned = filterset.form.cleaned_data
    facet_conditions = FACETS
    row_columns = FACET_COLUMNS
    if cleaned.get("near"):
        # Near a ZIP, "in person" means within the radius (programs farther away are shown
        # for telehealth only): the row's `reach` says which (filters.filter_near).
        facet_conditions = {**FACETS, "format": (ONE, {**FACETS["format"][1], **IN_PERSON_NEAR})}
        row_columns = [*FACET_COLUMNS, "reach"]
    candidates = _facet_candidates(filterset, row_columns)
    selections = {}
    for name, (combine, conditions) in facet_conditions.items():
        chosen = _chosen(cleaned, name)
        if chosen:
            picked = [conditions[value] for value in chosen]
            selections[name] = _all_of(picked) if combine == ALL else _any_of(picked)

    def all_but(name):
        return [selection for other, selection in selections.items() if other != name]

    columns, params = [], []

    def count_where(condition):
        sql, condition_params = condition
        columns.append(f"COUNT(*) FILTER (WHERE {sql})")
        params.extend(condition_params)

    count_where(_all_of(selections.values()))
    keys = []
    for name, (combine, conditions) in facet_conditions.items():
        mine = selections.get(name)
        for value, condition in conditions.items():
            if mine is not None and combine == ANY:
                condition = _any_of([mine, condition])
            elif mine is not None and combine == ALL:
                condition = _all_of([mine, condition])
            count_where(_all_of([*all_but(name), condition]))
            keys.append((name, value))
    inner_sql, inner_params = candidates.query.sql_with_params()
    # A row that fails two or more chosen parameters counts for no value: leave it out
    # before the ~70 counts are tested on each row.
    misses, where_params = [], []
    for sql, condition_params in selections.values():
        misses.append(f"CASE WHEN {sql} THEN 0 ELSE 1 END")
        where_params.extend(condition_params)
    where = f" WHERE {' + '.join(misses)} <= 1" if len(misses) > 1 else ""
    where_params = where_params if where else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM ({inner_sql}) candidates{where}",
            [*params, *inner_params, *where_params],
        )
        total, *numbers = (number or 0 for number in cursor.fetchone())
    # The page shows the total too: it comes with the counts, not as another query.
    result.__dict__.setdefault("count", total)
    counts = dict(zip(keys, numbers, strict=True))

    facets = {}
    for name, (_combine, conditions) in facet_conditions.items():
        if name == "accepting":
            labels = {"1": filterset.filters[name].label}
        else:
            labels = dict(filterset.filters[name].extra["choices"])
        chosen = _chosen(cleaned, name)
        facets[name] = [
            FacetValue(value, labels[value], counts[name, value], value in chosen)
            for value in conditions
        ]
    return facets
