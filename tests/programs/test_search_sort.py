"""Every order the search offers, and the defaults."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import QueryDict

from programs.selectors import program_search
from tests.factories import add_terms, make_program

pytestmark = pytest.mark.django_db


def order(query: str) -> list[str]:
    result = program_search(params=QueryDict(query))
    assert result.is_valid, result.errors
    return [program.name for program in result.paginate(1, 1000)]


@pytest.fixture
def programs():
    make_program(
        name="Bravo",
        cost_per_session_min=Decimal("300"),
        tracks=[{"days_per_week_min": 5, "days_per_week_max": 5}],
        last_verified_on=date(2026, 1, 5),
    )
    make_program(
        name="Alpha",
        cost_per_session_min=Decimal("120"),
        tracks=[{"days_per_week_min": 4, "days_per_week_max": 4}],
        last_verified_on=date(2026, 6, 1),
    )
    make_program(
        name="Charlie", tracks=[{}], last_verified_on=date(2025, 12, 1)
    )  # cost unknown, 9 h/week
    make_program(name="Delta")  # nothing verified


def test_sort_by_name_is_the_default_without_zip_or_words(programs):
    assert order("") == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert program_search(params=QueryDict("")).sort == "name"


def test_sort_by_cost_puts_unknown_costs_last(programs):
    # Unknown costs come last, in name order.
    assert order("sort=cost") == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert order("sort=cost&max_cost_per_session=500&include_unknown_cost=1")[-2:] == [
        "Charlie",
        "Delta",
    ]


def test_sort_by_hours_puts_the_lightest_week_first(programs):
    assert order("sort=hours") == ["Charlie", "Alpha", "Bravo", "Delta"]


def test_sort_by_verified_puts_the_most_recent_first(programs):
    assert order("sort=verified") == ["Alpha", "Bravo", "Charlie", "Delta"]


def test_relevance_is_the_default_with_words_and_ranks_name_matches_first():
    add_terms(make_program(name="Sunrise Recovery"))
    add_terms(make_program(name="Another place"), services=["peer_support"])
    add_terms(make_program(name="Peer Support Center"))
    result = program_search(params=QueryDict("q=peer+support"))
    assert result.sort == "relevance"
    assert [p.name for p in result.paginate(1, 1000)] == ["Peer Support Center", "Another place"]


def test_orders_that_cannot_apply_fall_back_to_the_default():
    make_program(name="Only")
    assert program_search(params=QueryDict("sort=distance")).sort == "name"
    assert program_search(params=QueryDict("sort=relevance&near=94612")).sort == "distance"
