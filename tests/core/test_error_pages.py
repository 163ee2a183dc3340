"""Error pages keep the crisis lines and plain words; the self-screen works without cookies."""

import pytest
from django.test import Client
from django.urls import path

from iopfinder import urls as project_urls

pytestmark = pytest.mark.django_db

CRISIS = ["988", "1-800-662-4357", "911"]


def assert_crisis_lines(html: str):
    for number in CRISIS:
        assert number in html


def test_a_missing_page_is_calm_and_shows_crisis_help(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert_crisis_lines(html)
    assert 'href="/programs/"' in html


def test_an_unpublished_program_is_a_404_with_crisis_help(client):
    from tests.factories import make_program

    draft = make_program(status="draft")
    response = client.get(f"/programs/{draft.pk}/")
    assert response.status_code == 404
    assert_crisis_lines(response.content.decode())


def test_a_form_sent_without_its_cookie_gets_a_calm_page_with_crisis_help():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/shortlist/add/", {"program": "1"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please try again" in html
    assert_crisis_lines(html)


def test_danger_now_reaches_the_crisis_panel_even_without_cookies():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/screening/", {"step": "safety", "danger_now": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "911" in html and "988" in html
    assert not client.cookies.get("sessionid")


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.mark.urls("tests.core.test_error_pages")
def test_a_server_error_shows_crisis_help_without_needing_the_database():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert_crisis_lines(html)
