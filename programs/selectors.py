"""Reads from the catalogue. Everything the public sees goes through published_programs()."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from programs import engine
from programs import parameters as declared
from programs.filters import ProgramFilterSet, choice_labels
from programs.models import Program, ScheduleTrack


def published_programs() -> QuerySet[Program]:
    """Only published listings ever reach the public."""
    return Program.objects.published().select_related("provider", "site")


def public_program_detail(*, pk: int) -> Program:
    """One published program with everything its page shows; raises DoesNotExist otherwise."""
    program = (
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
    program.payment_slugs = [kind.slug for kind in program.payment_kinds.all()]
    return program


def programs_found(found: list[engine.Found], catalogue: engine.Catalogue) -> list[Program]:
    """The published programs the engine found, in its order, each with its `distance` and
    `reach`, and the payment kinds their cards show (two queries, whatever the number)."""
    programs = published_programs().order_by().in_bulk([f.id for f in found])  # no sort
    rows = []
    for item in found:
        program = programs.get(item.id)
        if program is not None:  # unpublished since the copy was read
            program.distance, program.reach = item.distance, item.reach
            rows.append(program)
    return with_payment_slugs(rows, catalogue)


def with_payment_slugs(
    programs: list[Program], catalogue: engine.Catalogue | None = None
) -> list[Program]:
    """Set `payment_slugs` on each published program: the payment kinds it accepts, in
    vocabulary order, as the engine's copy holds them (no query of its own)."""
    catalogue = catalogue or engine.current()
    accepted = catalogue.values_held("payment", [program.pk for program in programs])
    for program in programs:
        program.payment_slugs = accepted.get(program.pk, [])
    return programs


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    """One search: the validated parameters, and the engine's answer worked out when read
    (the JSON API never pays for facet counts)."""

    filterset: ProgramFilterSet

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
    def search(self) -> engine.Search:
        return engine.Search(self.form.cleaned_data)

    @property
    def sort(self) -> str:
        return self.search.sort if self.is_valid else "name"

    @cached_property
    def count(self) -> int:
        return self.search.total if self.is_valid else 0

    def paginate(self, page_number, per_page: int = 20) -> Page:
        """The asked-for page (the first for a bad number, the last past the end)."""
        paginator = SearchPaginator(self, per_page)
        if not self.is_valid or not self.count:
            return paginator.get_page(1)
        number = min(_page_number(page_number), paginator.num_pages)
        found = self.search.page((number - 1) * per_page, per_page)
        return Page(programs_found(found, self.search.catalogue), number, paginator)

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        """For each filter value, how many programs the search would find with it added."""
        if not self.is_valid:
            return {}
        counts = self.search.counts()
        facets = {}
        for parameter in declared.FACETS:
            labels = choice_labels(parameter.name)
            picked = engine.chosen(self.form.cleaned_data, parameter.name)
            facets[parameter.name] = [
                FacetValue(value, labels[value], counts[parameter.name, value], value in picked)
                for value in parameter.values
            ]
        return facets


def _page_number(page_number) -> int:
    try:
        return max(int(page_number), 1)
    except (TypeError, ValueError):
        return 1


class SearchPaginator(Paginator):
    """Pages of a search: the count is the engine's."""

    def __init__(self, result: SearchResult, per_page: int):
        super().__init__([], per_page)
        self.result = result

    @cached_property
    def count(self) -> int:
        return self.result.count


def program_search(*, params) -> SearchResult:
    """Search published programs with the public query parameters (programs/parameters.py).

    Invalid parameters give a result with per-field errors and no programs; unknown
    parameters are ignored.
    """
    filterset = ProgramFilterSet(params)
    filterset.is_valid()
    return SearchResult(filterset)
