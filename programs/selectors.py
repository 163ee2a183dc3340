"""Reads from the catalogue. Everything the public sees goes through published_programs()."""

from dataclasses import dataclass
from functools import cache, cached_property
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Prefetch, QuerySet

from programs import prepared, search_sql
from programs.filters import ProgramFilterSet, choice_labels
from programs.models import Program, Provider, ScheduleTrack, Site

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


class ResultRow:
    """One search result as the cards and the API read it: the program's own fields
    (search_sql.PROGRAM_FIELDS), its provider's name, its site's place, and what the query
    worked out (distance and reach near a ZIP; the guides' score). Plain attributes, not
    model instances: building 60 of those a page cost more than the query that reads them."""

    @property
    def pk(self) -> int:
        return self.id

    schedule_known = Program.schedule_known
    cost_known = Program.cost_known

    def get_level_of_care_display(self) -> str:
        return Program.LevelOfCare(self.level_of_care).label

    def get_focus_display(self) -> str:
        return str(dict(Program._meta.get_field("focus").flatchoices).get(self.focus, self.focus))


@cache
def _converters(vendor: str) -> list[tuple[int, list, object]]:
    """Django's own conversions of the raw columns, as (position, functions, column): dates,
    decimals and booleans arrive as text and numbers from SQLite; PostgreSQL needs none."""
    converters = []
    fields = [
        (Program, search_sql.PROGRAM_FIELDS),
        (Provider, search_sql.PROVIDER_FIELDS),
        (Site, search_sql.SITE_FIELDS),
    ]
    position = 0
    for model, names in fields:
        for name in names:
            column = model._meta.get_field(name).get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if functions:
                converters.append((position, functions, column))
            position += 1
    return converters


def result_rows(query: search_sql.Sql, extra: tuple[str, ...]) -> list[ResultRow]:
    """Run a statement of search_sql.full_rows(): each row is the program's, provider's and
    site's fields, then the `extra` columns."""
    converters = _converters(connection.vendor)
    programs = len(search_sql.PROGRAM_FIELDS)
    sites = programs + len(search_sql.PROVIDER_FIELDS)
    extras = sites + len(search_sql.SITE_FIELDS)
    with connection.cursor() as cursor:
        prepared.execute(cursor, query.text, query.params)
        raw_rows = cursor.fetchall()
    rows = []
    for raw in raw_rows:
        values = list(raw)
        for position, functions, column in converters:
            for function in functions:
                values[position] = function(values[position], column, connection)
        row = ResultRow()
        fields = row.__dict__
        fields.update(zip(search_sql.PROGRAM_FIELDS, values[:programs], strict=True))
        fields.update(zip(extra, values[extras:], strict=True))
        provider = zip(search_sql.PROVIDER_FIELDS, values[programs:sites], strict=True)
        row.provider = SimpleNamespace(id=row.provider_id, **dict(provider))
        site = zip(search_sql.SITE_FIELDS, values[sites:extras], strict=True)
        row.site = SimpleNamespace(**dict(site))
        rows.append(row)
    return rows


@dataclass
class SearchResult:
    """One search: the validated parameters and how the results are ordered.

    `count`, `facets` and each page run their statements only when read (the JSON API never
    pays for facet counts); `programs` is every match as a queryset (ProgramFilterSet.qs).
    """

    filterset: ProgramFilterSet
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
    def programs(self) -> QuerySet[Program]:
        if not self.is_valid:
            return Program.objects.none()
        return self.filterset.qs.order_by(*_ordering(self.sort))

    @cached_property
    def count(self) -> int:
        return self.programs.count() if self.is_valid else 0

    def paginate(self, page_number, per_page: int = 20) -> Page:
        """The asked-for page (the first for a bad number, the last past the end).

        When the total is not known yet (the API reads no facets), the page's own query
        carries it, saving a separate COUNT over the same rows.
        """
        paginator = SearchPaginator(self, per_page)
        if not self.is_valid:
            return paginator.get_page(1)
        number = _page_number(page_number)
        if "count" in self.__dict__:
            number = min(number, paginator.num_pages)  # known past the end: the last page
        rows = self._page(number, per_page) if number <= MAX_PAGE else []
        if not rows and number > 1:
            # Past the end (or past any real catalogue): the last page, as Paginator does.
            number = paginator.num_pages
            rows = self._page(number, per_page)
        if "count" not in self.__dict__:
            self.__dict__["count"] = rows[0][1] if rows else 0
        return Page([row for row, _total in rows], number, paginator)

    def _page(self, number: int, per_page: int) -> list[tuple[ResultRow, int | None]]:
        return self._rows(
            search_sql.page_sql(
                self.form.cleaned_data,
                self.sort,
                offset=(number - 1) * per_page,
                limit=per_page,
                with_total="count" not in self.__dict__,
            )
        )

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        """For each filter value, how many programs the search would find with it added
        (search_sql.facet_counts_sql); the total comes with them."""
        if not self.is_valid:
            return {}
        facets, _page = self._read_facets(search_sql.facet_counts_sql(self.form.cleaned_data))
        return facets

    def paginate_with_facets(self, page_number, per_page: int = 20) -> Page:
        """The results page's reads: facet counts, total and the asked-for page. Nearest
        first near a ZIP on PostgreSQL, one pass over the candidates gives all three."""
        number = _page_number(page_number)
        if not self.is_valid or number > MAX_PAGE:
            self.facets  # noqa: B018 (read the counts and total first)
            return self.paginate(page_number, per_page)
        query = search_sql.facet_counts_sql(
            self.form.cleaned_data, page_end=number * per_page if self.sort == "distance" else None
        )
        self.__dict__["facets"], found = self._read_facets(query)
        rows = []
        if found and found[0]:
            ids, distances, reaches = found
            rows = self._rows(
                search_sql.rows_by_id_sql(
                    ids, distances, reaches, offset=(number - 1) * per_page, limit=per_page
                )
            )
        if not rows:
            # Another order, or past the end (the last page instead): a page query.
            return self.paginate(page_number, per_page)
        return Page([row for row, _total in rows], number, SearchPaginator(self, per_page))

    def _read_facets(self, query: "search_sql.FacetQuery"):
        """Run a facet query and keep its total. Returns the facets, and the ids, distances
        and reaches of the page it found (None when it looked for none)."""
        cleaned = self.form.cleaned_data
        with connection.cursor() as cursor:
            prepared.execute(cursor, query.sql.text, query.sql.params)
            rows = cursor.fetchall()
        total, counts = search_sql.facet_counts(query, rows)
        self.__dict__.setdefault("count", total)
        facets = {}
        for name, (_combine, values) in search_sql.FACETS.items():
            filter_ = self.filterset.filters[name]
            labels = {"1": filter_.label} if name == "accepting" else choice_labels(name)
            picked = search_sql.chosen(cleaned, name)
            facets[name] = [
                FacetValue(value, labels[value], counts[name, value], value in picked)
                for value in values
            ]
        if not query.with_page:
            return facets, None
        first = next((row for row in rows if row[0] == 0), None)
        return facets, tuple(values or [] for values in first[-3:]) if first else ([], [], [])

    def _rows(self, query: "search_sql.Sql") -> list[tuple[ResultRow, int | None]]:
        rows = result_rows(query, ("distance", "reach", "total"))
        return [(row, row.__dict__.pop("total")) for row in rows]


def _page_number(page_number) -> int:
    try:
        return max(int(page_number), 1)
    except (TypeError, ValueError):
        return 1


class SearchPaginator(Paginator):
    """Pages of a search: the count is the result's (read with the facets or the page)."""

    def __init__(self, result: SearchResult, per_page: int):
        super().__init__([], per_page)
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
        return SearchResult(filterset, "name")
    return SearchResult(filterset, _effective_sort(filterset.form.cleaned_data))


def _ordering(sort: str) -> list:
    """search_sql.SORT_KEYS for the ORM: the same order for ProgramFilterSet.qs."""
    return [
        (F(name).desc if descending else F(name).asc)(nulls_last=True if last else None)
        for name, descending, last in search_sql.SORT_KEYS[sort]
    ]


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
