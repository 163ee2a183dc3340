"""The search's SQL paths agree with its definition: every page of the results page and of the
API lists exactly the programs of ProgramFilterSet.qs, in its order, whichever statement
(the nearest from the catalogue's copy in memory, or a page query) found them;
the statements are prepared once per connection on PostgreSQL; the markup built in Python
escapes what it shows."""

import pytest
from django.db import connection
from django.http import QueryDict

from programs import prepared
from programs.search_ui import cards_html, field_html, result_cards
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
    expected = [program.pk for program in program_search(params=QueryDict(query)).programs]
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


def test_search_statements_are_prepared_once_per_connection(catalogue, settings):
    nearest = QueryDict(f"near={OAKLAND}&payment=medicaid")
    by_name = QueryDict(f"near={OAKLAND}&payment=medicaid&sort=name")
    if connection.vendor != "postgresql":
        program_search(params=nearest).paginate("1")
        assert not getattr(connection, "_search_prepared", None)
        return
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection._search_prepared = (connection.connection, set())
    for _ in range(3):
        program_search(params=nearest).paginate("1")
        program_search(params=by_name).paginate("1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'search_%%'")
        names = {name for (name,) in cursor.fetchall()}
    assert len(names) == 2  # the nearest programs' full rows, and a page in name order
    assert connection._search_prepared[1] == names
    # Prepared statements outlive what this process remembers of them (a rolled-back
    # transaction, say): a statement already on the server is used, not prepared again.
    connection._search_prepared = (connection.connection, set())
    program_search(params=nearest).paginate("1")
    program_search(params=by_name).paginate("1")
    assert connection._search_prepared[1] == names
    settings.SEARCH_PREPARED_STATEMENTS = False
    with connection.cursor() as cursor:
        prepared.execute(cursor, "SELECT %s + 1", (41,))
        assert cursor.fetchone() == (42,)
    assert len(connection._search_prepared[1]) == 2
    assert "SELECT %s + 1" not in str(names)


def test_a_new_connection_prepares_again(catalogue):
    query = QueryDict(f"near={OAKLAND}")
    first = program_search(params=query).paginate("1")
    if connection.vendor == "postgresql":
        connection._search_prepared = (object(), {"search_from_an_old_connection"})
    again = program_search(params=query).paginate("1")
    assert [row.pk for row in first] == [row.pk for row in again]


def test_cards_and_fields_escape_what_they_show(catalogue, client):
    make_program(name="<script>alert(1)</script> & co", site=make_site_at_zip(OAKLAND))
    result = program_search(params=QueryDict(f"near={OAKLAND}&radius=1"))
    html = cards_html(result_cards(result.paginate("1", 50)))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html

    invalid = program_search(params=QueryDict('near="><b>'))
    field = field_html(invalid.form["near"], "text", hint="5 digits")
    assert '"><b>' not in field
    assert 'value="&quot;&gt;&lt;b&gt;"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_near_hint id_near_error"' in field


def test_the_in_person_count_near_a_zip_counts_only_programs_within_the_radius(catalogue):
    query = f"near={OAKLAND}&radius=10"
    result = program_search(params=QueryDict(query))
    in_person = {facet.value: facet.count for facet in result.facets["format"]}["in_person"]
    expected = program_search(params=QueryDict(f"near={OAKLAND}&radius=10&format=in_person"))
    assert in_person == expected.count == len(list(expected.programs))
    telehealth = {facet.value: facet.count for facet in result.facets["format"]}["telehealth"]
    assert telehealth == program_search(params=QueryDict(f"{query}&format=telehealth")).count
