"""The catalogue's copy in memory (programs/catalogue_index.py): it agrees with the database's
own conditions on every search, and it never answers from an older catalogue."""

import random
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs import catalogue_index
from programs.models import CatalogueVersion, Program
from programs.search_sql import FACETS, ONE
from programs.selectors import program_search
from tests.factories import add_terms, make_program, make_site, make_site_at_zip

pytestmark = pytest.mark.django_db

OAKLAND = "94612"
ZIPS = ["94612", "94117", "94541", "94703", "95814", "90012", "93721", "89501", "10001"]


def token() -> str | None:
    return CatalogueVersion.objects.values_list("token", flat=True).first()


def names(query: str) -> list[str]:
    return [row.name for row in program_search(params=QueryDict(query)).paginate("1", 100)]


@pytest.fixture
def varied_catalogue():
    """Forty programs with every kind of difference the search tests, drawn at random once
    (a fixed seed): places near and far, formats, levels, focus, times, costs, terms."""
    chance = random.Random(7)
    for number in range(40):
        site = (
            make_site(latitude=None, longitude=None, state="CA")
            if number % 13 == 0
            else make_site_at_zip(chance.choice(ZIPS))
        )
        program = make_program(
            name=f"Program {number:02}",
            site=site,
            level_of_care=chance.choice(["php", "iop", "outpatient"]),
            focus=chance.choice(["substance_use", "mental_health", "co_occurring"]),
            format=chance.choice(["in_person", "telehealth", "both"]),
            accepting_new_clients=chance.random() < 0.6,
            cost_per_session_min=chance.choice([None, 40, 150, 400]),
            payments=chance.sample(["medicaid", "self_pay", "sliding_scale", "medicare"], 2),
            tracks=[
                {
                    "time_of_day": chance.choice(["morning", "afternoon", "evening"]),
                    "weekend": chance.random() < 0.3,
                    "days_per_week_min": chance.choice([2, 3, 5]),
                    "days_per_week_max": 5,
                    "length_weeks_min": chance.choice([None, 6, 12]),
                    "length_weeks_max": 16,
                }
            ]
            if chance.random() < 0.8
            else [],
        )
        add_terms(
            program,
            services=chance.sample(
                ["dbt", "group_therapy", "family_therapy"], chance.randint(0, 2)
            ),
            languages=["spanish"] if chance.random() < 0.3 else [],
            insurers=chance.sample(["aetna", "cigna", "kaiser"], chance.randint(0, 2)),
            populations=["adolescents"] if chance.random() < 0.3 else [],
        )
    make_program(name="Draft nearby", status=Program.Status.DRAFT)


CHOICES = {
    "near": [OAKLAND, "10001", "95814"],
    "radius": ["5", "25", "100"],
    "level": ["php", "iop", "outpatient"],
    "focus": ["substance_use", "mental_health", "co_occurring"],
    "payment": ["medicaid", "self_pay", "sliding_scale"],
    "time_of_day": ["morning", "afternoon", "evening", "weekend"],
    "format": ["in_person", "telehealth"],
    "service": ["dbt", "group_therapy", "family_therapy"],
    "language": ["spanish"],
    "insurer": ["aetna", "cigna"],
    "population": ["adolescents"],
    "accepting": ["1"],
    "max_cost_per_session": ["100", "400"],
    "include_unknown_cost": ["1"],
    "max_days_per_week": ["3"],
    "max_hours_per_week": ["9", "15"],
    "max_weeks": ["8"],
    "q": ["program", "0"],
}
searches = st.lists(
    st.sampled_from(list(CHOICES)).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(CHOICES[name]))
    ),
    max_size=5,
).map(urlencode)


def with_value(query: str, name: str, value: str) -> QueryDict:
    """The search with one more faceted value: added to an "any of" or "all of" parameter,
    in place of a "one of" parameter's value."""
    added = QueryDict(query, mutable=True)
    if FACETS[name][0] == ONE:
        added.setlist(name, [value])
    elif value not in added.getlist(name):
        added.appendlist(name, value)
    return added


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=searches)
def test_the_copy_agrees_with_the_database_on_any_search(varied_catalogue, query):
    result = program_search(params=QueryDict(query))
    assert result.is_valid, result.errors
    by_database = list(result.programs)  # ProgramFilterSet.qs: SQL conditions, SQL order
    assert result.count == len(by_database)
    if result.sort == "distance":  # nearest first: the ids come from the copy
        page = result.paginate("1", 100)
        assert [row.pk for row in page] == [program.pk for program in by_database]
    # Each facet count is the number of results with that value added, by the database.
    for name, facet_values in result.facets.items():
        if name not in CHOICES:
            continue
        for facet in facet_values:
            expected = program_search(params=with_value(query, name, facet.value))
            assert facet.count == expected.programs.count(), f"{name}={facet.value} {query!r}"


def test_a_program_added_changed_or_removed_shows_at_once(client):
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    assert names(f"near={OAKLAND}") == ["First"]
    copy = catalogue_index.current()
    assert catalogue_index.current() is copy  # nothing changed: the same copy

    second = make_program(name="Second", site=make_site_at_zip(OAKLAND))
    assert names(f"near={OAKLAND}") == ["First", "Second"]
    assert catalogue_index.current() is not copy

    Program.objects.filter(pk=second.pk).update(level_of_care="php")  # a bulk update
    assert names(f"near={OAKLAND}&level=php") == ["Second"]

    with connection.cursor() as cursor:  # raw SQL, past the application
        cursor.execute("UPDATE programs_program SET status = 'archived' WHERE id = %s", [second.pk])
    assert names(f"near={OAKLAND}") == ["First"]

    Program.objects.filter(name="First").delete()
    assert names(f"near={OAKLAND}") == []
    body = client.get(f"/api/programs/?near={OAKLAND}").json()
    assert body["count"] == 0


def test_every_write_changes_the_token_and_a_rolled_back_one_restores_it():
    program = make_program(name="Kept")
    before = token()
    assert before
    program.name = "Renamed"
    program.save()
    renamed = token()
    assert renamed not in (None, before)
    assert names("") == ["Renamed"]

    with pytest.raises(RuntimeError), transaction.atomic():
        make_program(name="Rolled back")
        assert token() != renamed
        assert names("") == ["Renamed", "Rolled back"]
        raise RuntimeError
    # The token went back with the write, so it names the catalogue it names again.
    assert token() == renamed
    assert names("") == ["Renamed"]


def test_without_a_token_the_copy_is_read_afresh_each_time():
    make_program(name="Here")
    CatalogueVersion.objects.all().delete()  # as a test database's flush leaves it
    assert names("") == ["Here"]
    Program.objects.update(name="Still here")
    assert token() is not None  # the write put a token back
    assert names("") == ["Still here"]
