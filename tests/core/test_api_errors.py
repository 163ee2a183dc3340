"""Under /api/ every answer is JSON, errors too: {"errors": {"__all__": ["..."]}} for 404, 405,
500 and 503 (iopfinder/api_errors.py; 429: tests/core/test_rate_limits.py). Pages keep their
HTML error pages (tests/core/test_error_pages.py)."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from programs import selectors

pytestmark = pytest.mark.django_db


def message(response) -> str:
    assert response["Content-Type"] == "application/json"
    [text] = response.json()["errors"]["__all__"]
    return text


@pytest.mark.parametrize("url", ["/api/programs/-1/", "/api/nothing/", "/api/programs/abc/"])
def test_an_unknown_api_address_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "http://testserver/api/schema/" in message(response)


def test_a_page_that_is_not_there_is_still_the_calm_page(client):
    response = client.get("/programs/-1/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("post", "/api/programs/", "GET, HEAD"),
        ("delete", "/api/programs/1/", "GET, HEAD"),
        ("put", "/api/schema/", "GET, HEAD"),
        ("post", "/api/screening/questions", "GET, HEAD"),
        ("get", "/api/screening/", "POST"),
    ],
)
def test_an_unknown_method_is_a_json_405_with_allow_even_without_a_csrf_token(method, url, allowed):
    response = getattr(Client(enforce_csrf_checks=True), method)(url)
    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert message(response) == f"This address answers only {allowed}."


def test_head_is_answered_like_get(client):
    assert client.head("/api/programs/").status_code == 200


def test_a_bad_page_number_is_a_400_naming_it(client):
    response = client.get("/api/programs/?page=0")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_that_does_not_answer_is_a_json_503_with_retry_after(monkeypatch, error):
    def unreachable(**_):
        raise error("could not connect to server")

    monkeypatch.setattr(selectors, "public_program_detail", unreachable)
    response = Client(raise_request_exception=False).get("/api/programs/1/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "unavailable" in message(response)


def test_a_failure_on_our_side_is_a_json_500(monkeypatch):
    def broken(**_):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "public_program_detail", broken)
    response = Client(raise_request_exception=False).get("/api/programs/1/")
    assert response.status_code == 500
    assert message(response) == "Something went wrong on our side"
