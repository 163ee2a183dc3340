"""A self-screen is anonymous: answers are not stored, not logged and not put in URLs."""

import json
import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from intake.rules import QUESTIONS
from tests.intake.answers import answers
from tests.intake.walk import SCREENING, parse, submit, walk

pytestmark = pytest.mark.django_db

HAND_OFF_FILTERS = {"level", "focus", "time_of_day", "format", "population", "payment", "near"}
QUESTION_KEYS = {question.key for question in QUESTIONS}
# Distinctive answers, so finding them anywhere means the answers leaked.
PRIVATE = answers(
    recent_care="outpatient",
    outpatient_enough="no",
    hours_available="3_to_8",
    home_support="unstable",
    severity="moderate",
    zip="02139",
    payment=["medicaid"],
    age_group="adolescent",
)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_result_page_links_carry_only_the_derived_filters(client):
    response, _steps = walk(client, PRIVATE)
    targets = parse(response).targets
    search = [t for t in targets if urlsplit(t).path == "/programs/" and urlsplit(t).query]
    assert len(search) == 1
    assert {key for key, _value in parse_qsl(urlsplit(search[0]).query)} <= HAND_OFF_FILTERS
    for target in targets:
        query = urlsplit(target).query
        if target == search[0]:
            continue
        assert query == "", target
        for key in QUESTION_KEYS:
            assert key not in target
    assert all("02139" not in t for t in targets if t != search[0])


def test_the_answers_travel_only_in_the_form_body(client):
    response, steps = walk(client, PRIVATE)
    assert len(steps) == 8
    page = parse(response)
    assert all(
        urlsplit(target).query == "" for target in page.targets if "/programs/" not in target
    )
    assert ("recent_care", "outpatient") in page.hidden  # for "Change my answers", in the body


def test_a_screening_writes_no_session_and_no_rows(client):
    before = row_counts()
    walk(client, PRIVATE)
    client.post("/api/screening/", json.dumps(PRIVATE), content_type="application/json")
    assert row_counts() == before
    assert "sessionid" not in client.cookies


def test_the_views_do_not_log_the_answers(client, caplog):
    caplog.set_level(logging.DEBUG)
    walk(client, PRIVATE)
    client.post("/api/screening/", json.dumps(PRIVATE), content_type="application/json")
    client.post(
        "/api/screening/", json.dumps({**PRIVATE, "zip": "0213x"}), content_type="application/json"
    )
    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    assert "Bad Request: /api/screening/" in logged  # logging was captured
    for secret in ["02139", "0213x", "outpatient_enough", "recent_care", "3_to_8", "unstable"]:
        assert secret not in logged


def test_error_reports_hide_the_answers(client):
    response = client.post("/screening/", {"step": "safety", "danger_now": "no"})
    posted = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert posted["danger_now"] != "no"  # replaced by the filter's mask
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_every_screen_page_tells_the_next_request_only_the_sites_origin(client):
    first = client.get(SCREENING)
    crisis = submit(client, first, {"danger_now": "yes"})
    result, _steps = walk(client, PRIVATE)
    for response in (first, crisis, result):
        assert response["Referrer-Policy"] == "strict-origin"
    assert client.get("/programs/")["Referrer-Policy"] == "same-origin"  # the site's default
    page = parse(result)
    [search] = [target for target in page.targets if urlsplit(target).query.startswith("level=")]
    assert "noreferrer" in page.rel[search].split()


def test_the_language_switch_still_works_on_a_screen_page():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(SCREENING)
    # A browser's Origin for a same-origin form post (Fetch standard, "serializing a request
    # origin"): "null" when the page's referrer policy is no-referrer, the origin otherwise.
    origin = "null" if page["Referrer-Policy"] == "no-referrer" else "http://testserver"
    response = browser.post(
        "/i18n/setlang/",
        {
            "language": "es",
            "next": SCREENING,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
        headers={"origin": origin},
    )
    assert response.status_code == 302
    assert response["Location"] == SCREENING
