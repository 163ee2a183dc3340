"""Facet counts: beside each value, how many programs the search would find with it added."""

import pytest
from django.http import QueryDict

from programs.selectors import program_search
from tests.factories import add_terms, make_program, make_site

pytestmark = pytest.mark.django_db


def facets(query: str) -> dict[str, dict[str, int]]:
    result = program_search(params=QueryDict(query))
    assert result.is_valid, result.errors
    return {
        name: {facet.value: facet.count for facet in values}
        for name, values in result.facets.items()
    }


def results_with(query: str) -> int:
    """The number of results by the database's own conditions (ProgramFilterSet.qs), not
    the catalogue's copy in memory that the counts come from."""
    return len(program_search(params=QueryDict(query)).paginate(1, 1000))


@pytest.fixture
def catalogue():
    add_terms(
        make_program(
            name="Evening IOP",
            level_of_care="iop",
            payments=["medicaid"],
            tracks=[{"time_of_day": "evening"}],
            accepting_new_clients=True,
        ),
        services=["dbt", "group_therapy"],
        languages=["spanish"],
    )
    add_terms(
        make_program(
            name="Morning IOP",
            level_of_care="iop",
            payments=["sliding_scale", "self_pay"],
            tracks=[{"time_of_day": "morning"}],
            format="both",
        ),
        services=["group_therapy"],
        insurers=["aetna"],
    )
    add_terms(
        make_program(
            name="Day PHP",
            level_of_care="php",
            focus="mental_health",
            payments=["medicaid", "private_insurance"],
            tracks=[{"time_of_day": "morning", "weekend": True}],
        ),
        services=["dbt"],
        populations=["adolescents"],
    )
    make_program(name="Video outpatient", level_of_care="outpatient", format="telehealth")


QUERIES = [
    "",
    "level=iop",
    "level=iop&payment=medicaid",
    "payment=medicaid&payment=self_pay&time_of_day=morning",
    "service=dbt",
    "focus=mental_health",
    "format=telehealth&accepting=1",
    "language=spanish&insurer=aetna",
    "q=iop",
    "near=94612&level=php&service=group_therapy",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_count_is_the_number_of_results_after_adding_that_value(catalogue, query):
    """The definition, checked by running each added-value search for real."""
    chosen = QueryDict(query)
    for name, counts in facets(query).items():
        for value, count in counts.items():
            added = chosen.copy()
            if name in ("focus", "format", "accepting"):
                added[name] = value
            elif value not in added.getlist(name):
                added.appendlist(name, value)
            assert count == results_with(added.urlencode()), f"{name}={value} after {query!r}"


def test_counts_with_nothing_chosen(catalogue):
    counts = facets("")
    assert counts["level"] == {
        "php": 1,
        "iop": 2,
        "outpatient": 1,
        "residential": 0,
        "inpatient": 0,
        "detox": 0,
    }
    assert counts["payment"]["medicaid"] == 2
    assert counts["payment"]["free"] == 0
    assert counts["time_of_day"] == {"morning": 2, "afternoon": 0, "evening": 1, "weekend": 1}
    assert counts["format"] == {"in_person": 3, "telehealth": 2}
    assert counts["service"]["dbt"] == 2
    assert counts["accepting"] == {"1": 1}


def test_an_or_choice_grows_the_count_of_its_siblings(catalogue):
    counts = facets("payment=medicaid")
    assert counts["payment"]["medicaid"] == 2  # chosen: today's count
    assert counts["payment"]["self_pay"] == 3  # medicaid OR self-pay
    assert counts["level"]["iop"] == 1  # within today's medicaid results


def test_every_count_and_the_total_cost_two_queries_at_most(catalogue, django_assert_num_queries):
    query = QueryDict("near=94612&level=iop&payment=medicaid&time_of_day=evening&q=iop")
    program_search(params=query).facets  # noqa: B018 (the copy in memory is read here)
    result = program_search(params=query)
    # The catalogue's version token and the words' matches; the counts from the copy.
    with django_assert_num_queries(2):
        assert result.facets["level"]
        assert result.count == 1


def test_facets_work_with_text_search_and_distance_together(catalogue):
    make_program(
        name="Fresno IOP",
        site=make_site(city="Fresno", zip_code="93721", latitude=36.7378, longitude=-119.7871),
    )
    counts = facets("q=iop&near=94612")
    assert counts["level"]["iop"] == 2
    assert counts["payment"]["medicaid"] == 1


@pytest.mark.parametrize(
    "query",
    ["near=94612", "near=94612&format=in_person", "near=94612&format=telehealth&level=iop"],
)
def test_in_person_near_a_zip_means_within_the_radius_in_results_and_counts(catalogue, query):
    """A hybrid program far away serves the person by telehealth only: it is not 'in person'."""
    make_program(
        name="LA hybrid IOP",
        format="both",
        site=make_site(city="Los Angeles", zip_code="90012", latitude=34.0614, longitude=-118.2385),
    )
    in_person = program_search(params=QueryDict("near=94612&format=in_person"))
    assert "LA hybrid IOP" not in {p.name for p in in_person.paginate(1, 1000)}
    telehealth = program_search(params=QueryDict("near=94612&format=telehealth"))
    assert "LA hybrid IOP" in {p.name for p in telehealth.paginate(1, 1000)}
    test_every_count_is_the_number_of_results_after_adding_that_value(catalogue, query)
