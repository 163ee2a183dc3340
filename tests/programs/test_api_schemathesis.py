"""The API does what its OpenAPI description (/api/schema/, programs/openapi.py) says:
schemathesis draws requests from the description, valid and invalid, sends them to the
Django app through WSGI and checks every answer against it (status codes, JSON bodies,
headers, 405 for methods it does not list, valid values accepted and invalid ones refused).
Bounded: a few examples per operation, a few seconds in all."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from programs import openapi, places
from tests.factories import add_terms, make_program

pytestmark = pytest.mark.django_db


# A format is the server's to check: `near` values are ZIP codes the search can place.
schemathesis.openapi.format(
    openapi.ZIP_CODE_FORMAT,
    st.from_regex(r"\d{5}", fullmatch=True).filter(places.place_of_zip),
)
# Loaded through the app itself, as a client would: the description is pure data (no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.generation.update(max_examples=20)


@pytest.fixture
def connections_kept_open():
    """As Django's test client does: the start of a request would close the test's database
    connection, and its transaction with the listings."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def listings(settings, connections_kept_open):
    # Every request comes from one address: the search API's rate is not what is tested.
    settings.SEARCH_API_PER_ADDRESS_PER_MINUTE = 100_000
    settings.SCREENING_API_PER_ADDRESS_PER_MINUTE = 100_000
    evening = make_program(name="Evening IOP", tracks=[{}], payments=["medicaid"])
    add_terms(evening, accreditations=["carf"], languages=["es"])
    make_program(name="Harbor PHP", level_of_care="php", site=evening.site)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_description_says(case, listings):
    case.call_and_validate()
