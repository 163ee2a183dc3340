"""Pages of a search: every page holds the next programs of the whole ordered list, whether
the facets were read first or not; page numbers out of range; distance and reach on each row;
the page escapes what it shows."""

import pytest
from django.http import QueryDict

from programs.selectors import program_search
from tests.factories import make_program, make_site, make_site_at_zip

pytestmark = pytest.mark.django_db

OAKLAND = "94612"
PER_PAGE = 4


@pytest.fixture
def catalogue():
    """Programs near Oakland, several at one site (the same distance: name breaks the tie),
    telehealth ones elsewhere in California, one without coordinates, one in Nevada."""
    shared = make_site_at_zip(OAKLAND)
    for name in ["Delta", "Alpha", "Charlie", "Bravo", "Echo"]:
        make_program(name=f"{name} at one site", site=shared, payments=["medicaid"])
    for number, zip_code in enumerate(["94117", "94131", "94541", "94601", "94703"]):
        make_program(
            name=f"Nearby {number}",
            site=make_site_at_zip(zip_code),
            level_of_care="php" if number % 2 else "iop",
            payments=["medicaid"] if number % 3 else ["self_pay"],
        )
    for number, zip_code in enumerate(["90012", "92101", "95814"]):
        make_program(
            name=f"Video {number}",
            site=make_site_at_zip(zip_code),
            format="telehealth" if number else "both",
            payments=["medicaid"],
        )
    make_program(
        name="Video without a place",
        site=make_site(latitude=None, longitude=None, state="CA"),
        format="telehealth",
    )
    make_program(name="Reno", site=make_site_at_zip("89501"), format="telehealth")


QUERIES = [
    f"near={OAKLAND}",
    f"near={OAKLAND}&radius=100",
    f"near={OAKLAND}&payment=medicaid",
    f"near={OAKLAND}&level=iop&level=php&sort=name",
    f"near={OAKLAND}&format=in_person",
    f"near={OAKLAND}&format=telehealth&sort=cost",
    "payment=medicaid",
    "q=site",
    "",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_page_holds_the_searchs_programs_in_its_order(catalogue, query):
    expected = [row.pk for row in program_search(params=QueryDict(query)).paginate(1, 1000)]
    assert expected, f"{query!r} should find something, or it proves little"
    pages = -(-len(expected) // PER_PAGE)
    for facets_first in (True, False):
        found, count = [], None
        for number in range(1, pages + 1):
            result = program_search(params=QueryDict(query))
            if facets_first:  # as the results page reads them
                assert result.facets["level"]
            page = result.paginate(str(number), PER_PAGE)
            assert page.number == number
            found.extend(row.pk for row in page)
            count = result.count
        assert found == expected, (query, facets_first)
        assert count == len(expected)


def test_programs_at_one_distance_are_ordered_by_name_across_a_page_break(catalogue):
    result = program_search(params=QueryDict(f"near={OAKLAND}"))
    first = [row.name for row in result.paginate("1", PER_PAGE)]
    second = program_search(params=QueryDict(f"near={OAKLAND}")).paginate("2", PER_PAGE)
    assert first == [f"{name} at one site" for name in ["Alpha", "Bravo", "Charlie", "Delta"]]
    assert [row.name for row in second][0] == "Echo at one site"
    assert {row.reach for row in second} >= {"distance"}


@pytest.mark.parametrize("page_number", ["99", "100001", "-3", "x"])
def test_a_page_out_of_range_gives_the_first_or_the_last(catalogue, page_number):
    result = program_search(params=QueryDict(f"near={OAKLAND}"))
    page = result.paginate(page_number, PER_PAGE)
    last = -(-result.count // PER_PAGE)
    assert page.number == (1 if page_number in {"-3", "x"} else last)
    assert len(page) > 0
    assert result.facets["level"]


def test_distance_and_reach_come_with_each_row(catalogue):
    rows = list(program_search(params=QueryDict(f"near={OAKLAND}&radius=10")).paginate("1", 50))
    by_name = {row.name: row for row in rows}
    assert by_name["Alpha at one site"].distance == pytest.approx(0, abs=0.01)
    assert by_name["Alpha at one site"].reach == "distance"
    assert by_name["Video 1"].reach == "telehealth"
    assert by_name["Video without a place"].distance is None
    assert "Reno" not in by_name  # telehealth in another state


def test_cards_and_fields_escape_what_they_show(catalogue, client):
    make_program(name="<script>alert(1)</script> & co", site=make_site_at_zip(OAKLAND))
    html = client.get(f"/programs/?near={OAKLAND}&radius=1").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html

    invalid = client.get("/programs/?near=%22%3E%3Cb%3E").content.decode()
    assert '"><b>' not in invalid
    assert 'value="&#34;&gt;&lt;b&gt;"' in invalid
    assert 'aria-invalid="true"' in invalid
    assert 'aria-describedby="id_near_hint id_near_error"' in invalid


def test_the_in_person_count_near_a_zip_counts_only_programs_within_the_radius(catalogue):
    query = f"near={OAKLAND}&radius=10"
    result = program_search(params=QueryDict(query))
    in_person = {facet.value: facet.count for facet in result.facets["format"]}["in_person"]
    expected = program_search(params=QueryDict(f"near={OAKLAND}&radius=10&format=in_person"))
    assert in_person == expected.count == len(expected.paginate(1, 1000))
    telehealth = {facet.value: facet.count for facet in result.facets["format"]}["telehealth"]
    assert telehealth == program_search(params=QueryDict(f"{query}&format=telehealth")).count
