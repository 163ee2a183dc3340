"""Words (programs/words.py): PostgreSQL's reading of them, worked out over the engine's copy;
each stem read from the database once per copy."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from programs.selectors import program_search
from programs.words import Query
from tests.factories import add_terms, make_program


def test_a_tsquery_is_read_with_its_operators_in_postgresql_order():
    query = Query.parse("'famili' <-> 'therapi' & !'adolesc' | 'dbt'")
    assert query.tree == (
        "or",
        (
            "and",
            ("phrase", ("word", "'famili'"), ("word", "'therapi'")),
            ("not", ("word", "'adolesc'")),
        ),
        ("word", "'dbt'"),
    )
    assert query.stems() == (["'famili'", "'therapi'", "'dbt'"], ["'adolesc'"])
    assert query.has_phrase()


def test_a_tsquery_with_groups_distances_and_quotes():
    query = Query.parse("!( 'peer' <2> 'support' ) & 'o''brien':*")
    assert query.tree == (
        "and",
        ("not", ("phrase", ("word", "'peer'"), ("word", "'support'"))),
        ("word", "'o''brien'"),
    )
    assert query.stems() == (["'o''brien'"], ["'peer'", "'support'"])
    assert Query.parse("").tree is None  # only stop words: nothing to find
    assert not Query.parse("'dbt' & 'cbt'").has_phrase()


def names(query: str) -> list[str]:
    return [p.name for p in program_search(params=QueryDict(query)).paginate(1, 100)]


@pytest.mark.django_db
def test_web_search_syntax_finds_as_people_expect():
    add_terms(make_program(name="Harbor Family Program"), services=["family_therapy"])
    add_terms(make_program(name="Harbor Teen Program"), services=["dbt"])
    add_terms(make_program(name="Hillside Program"), services=["family_therapy", "dbt"])
    assert names("q=harbor") == ["Harbor Family Program", "Harbor Teen Program"]
    if connection.vendor == "postgresql":  # stems, "or", "-word" and phrases
        assert names("q=families+-teen") == ["Harbor Family Program", "Hillside Program"]
        assert names("q=teen+or+hillside") == ["Harbor Teen Program", "Hillside Program"]
        assert names('q="family+therapy"') == ["Harbor Family Program", "Hillside Program"]
        assert names('q="therapy+family"') == []
        assert names("q=the") == []  # only a stop word
        # Best match: the name (weight A) before the services (C).
        assert names("q=family&sort=relevance") == ["Harbor Family Program", "Hillside Program"]
        # Not the phrase: programs with both words apart are kept.
        add_terms(make_program(name="Therapy for the Family"))
        assert names('q=-"family+therapy"') == ["Harbor Teen Program", "Therapy for the Family"]
        assert names('q=harbor+-"teen+program"') == ["Harbor Family Program"]


@pytest.mark.django_db
def test_a_stem_is_read_from_the_database_once_per_copy():
    add_terms(make_program(name="Bayview Program"), services=["dbt"])
    names("q=dbt")

    def stem_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert names("q=dbt") == ["Bayview Program"]
        return sum("::tsquery" in query["sql"] for query in queries.captured_queries)

    assert stem_reads() == 0  # kept in the copy (SQLite: no stems, a LIKE each time)
    make_program(name="Cove Program")  # a change: a new copy, its stems read afresh
    assert stem_reads() == (1 if connection.vendor == "postgresql" else 0)
