"""Property: no query string, however odd, makes the search page or the API fail."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.filters import ProgramFilterSet
from tests.factories import add_terms, make_program

pytestmark = pytest.mark.django_db

PARAMETERS = [*ProgramFilterSet.base_filters, "page", "utm_source"]
GOOD_VALUES = [
    "iop",
    "php",
    "medicaid",
    "evening",
    "dbt",
    "spanish",
    "telehealth",
    "94612",
    "10001",
    "99999",
    "25",
    "100",
    "0",
    "1",
    "-3",
    "2.5",
    "1e400",
    "99999999999999999999",
    "NaN",
    "distance",
    "relevance",
    "peer support",
    '"group" -teen or',
    "",
]
values = st.one_of(st.sampled_from(GOOD_VALUES), st.text(max_size=30))
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=8).map(urlencode)


@pytest.fixture
def catalogue():
    add_terms(
        make_program(name="Evening IOP", tracks=[{}], payments=["medicaid"], format="both"),
        services=["dbt"],
    )
    make_program(name="Day PHP", level_of_care="php", payments=["self_pay"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=query_strings)
def test_random_query_strings_never_cause_a_server_error(catalogue, query):
    client = Client(raise_request_exception=True)
    page = client.get(f"/programs/?{query}")
    if page.status_code == 302:  # words that are just a ZIP code: a search near it
        assert page["Location"].startswith("/programs/?") and "near=" in page["Location"]
        page = client.get(page["Location"])
    assert page.status_code == 200
    api = client.get(f"/api/programs/?{query}")
    assert api.status_code in (200, 400)
    body = api.json()
    if api.status_code == 400:
        assert body["errors"] and all(isinstance(m, list) for m in body["errors"].values())
    else:
        assert body["count"] == len(body["results"]) or body["next"]
