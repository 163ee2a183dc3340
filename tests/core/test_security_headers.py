"""Every kind of page answers with the Content-Security-Policy (our own files only, no inline
script or style) and the Permissions-Policy (no camera, microphone, place, payment...)."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from guides.roles import CURATORS, GUIDES
from tests.factories import make_program
from tests.guides.conftest import make_caller, make_user, signed_in
from tests.intake.answers import answers
from tests.intake.walk import SCREENING, parse, submit

pytestmark = pytest.mark.django_db

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]


def assert_protected(response):
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    features = response["Permissions-Policy"].split(", ")
    for feature in DENIED:
        assert f"{feature}=()" in features


def test_public_pages_answer_with_both_policies(client):
    program = make_program(name="Evening IOP", tracks=[{}])
    client.post("/shortlist/add/", {"program": program.pk})
    for path in [
        "/",
        "/programs/",
        "/programs/?near=94612&level=iop",
        f"/programs/{program.pk}/",
        f"/programs/{program.pk}/update/",
        "/shortlist/",
        f"/compare/?ids={program.pk}",
        "/screening/",
        "/about/data/",
        "/accounts/login/",
        "/programs/999999/",
        "/healthz",
        "/api/programs/",
    ]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_protected(response)


def test_the_self_screens_steps_and_result_answer_with_both_policies(client):
    response = client.get(SCREENING)
    assert_protected(response)
    while parse(response).asked:
        response = submit(client, response, answers())
        assert_protected(response)
    assert "Your result" in response.content.decode()


def test_staff_pages_answer_with_both_policies():
    guide, curator = make_user("gina", GUIDES), make_user("cora", CURATORS)
    curator.is_staff = True
    curator.save()
    caller = make_caller(guide=guide)
    for user, path in [
        (guide, "/guides/"),
        (guide, f"/guides/callers/{caller.pk}/"),
        (curator, "/admin/"),
        (curator, "/admin/programs/program/"),
    ]:
        response = signed_in(user).get(path)
        assert response.status_code == 200, path
        assert_protected(response)


@pytest.fixture
def database_down(monkeypatch):
    def hung(*args, **kwargs):
        raise OperationalError("connection to server failed: timeout expired")

    monkeypatch.setattr(CursorWrapper, "execute", hung)


def test_a_database_that_does_not_answer_gives_the_error_page(client, database_down):
    response = client.get("/programs/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Our listings are unavailable for a moment" in html
    for number in ["988", "1-800-662-4357", "911"]:
        assert number in html
    assert_protected(response)


def test_the_api_leaves_a_database_outage_to_its_own_errors(database_down):
    response = Client(raise_request_exception=False).get("/api/programs/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
