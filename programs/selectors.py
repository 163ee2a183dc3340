"""Reads from the catalogue. Everything the public sees goes through published_programs()."""

from dataclasses import dataclass
from functools import cache, cached_property
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Prefetch, QuerySet

from programs import catalogue_index, prepared, search_sql
from programs.filters import ProgramFilterSet, choice_labels
from programs.models import Program, Provider, ScheduleTrack, Site


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

    `count`, `facets` and each page are worked out only when read (the JSON API never pays
    for facet counts): the total and the counts from the catalogue's copy in memory
    (catalogue_index.Found), a page's rows from the database. `programs` is every match as a
    queryset (ProgramFilterSet.qs), by the database's own conditions.
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
    def found(self) -> catalogue_index.Found:
        """The search over the published catalogue in memory: total, counts, nearest."""
        return catalogue_index.Found(self.form.cleaned_data)

    @cached_property
    def count(self) -> int:
        return self.found.total if self.is_valid else 0

    def paginate(self, page_number, per_page: int = 20) -> Page:
        """The asked-for page (the first for a bad number, the last past the end)."""
        paginator = SearchPaginator(self, per_page)
        if not self.is_valid or not self.count:
            return paginator.get_page(1)
        number = min(_page_number(page_number), paginator.num_pages)
        return Page(self._page(number, per_page), number, paginator)

    def _page(self, number: int, per_page: int) -> list[ResultRow]:
        offset = (number - 1) * per_page
        if self.sort == "distance":
            # Nearest first: the ids from the copy in memory, then their full rows.
            ids, miles, reaches = self.found.nearest(offset + per_page)
            query = search_sql.rows_by_id_sql(ids, miles, reaches, offset, per_page)
        else:
            query = search_sql.page_sql(self.form.cleaned_data, self.sort, offset, per_page)
        return result_rows(query, ("distance", "reach"))

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        """For each filter value, how many programs the search would find with it added."""
        if not self.is_valid:
            return {}
        counts = self.found.counts()
        cleaned = self.form.cleaned_data
        facets = {}
        for name, (_combine, values) in search_sql.FACETS.items():
            filter_ = self.filterset.filters[name]
            labels = {"1": filter_.label} if name == "accepting" else choice_labels(name)
            picked = search_sql.chosen(cleaned, name)
            facets[name] = [
                FacetValue(value, labels[value], counts[name, value], value in picked)
                for value in values
            ]
        return facets


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
