"""The JSON contract: GET /api/screening/questions and POST /api/screening/."""

import json

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.rules import MULTIPLE_CHOICE, QUESTIONS, ZIP
from tests.intake.answers import answers

pytestmark = pytest.mark.django_db

URL = "/api/screening/"


def post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **headers)


def test_questions_list_every_key_with_wording_and_choices(client):
    response = client.get("/api/screening/questions")
    assert response.status_code == 200
    questions = response.json()["questions"]
    assert [q["key"] for q in questions] == [q.key for q in QUESTIONS]
    by_key = {q["key"]: q for q in questions}
    assert by_key["danger_now"]["text"].startswith("Right now")
    assert [c["value"] for c in by_key["severity"]["choices"]] == ["mild", "moderate", "severe"]
    assert by_key["outpatient_enough"]["asked_when"] == {"recent_care": ["outpatient"]}
    assert by_key["payment"]["type"] == "multiple_choice"
    assert "medicaid" in {c["value"] for c in by_key["payment"]["choices"]}
    assert by_key["zip"]["required"] is False
    assert by_key["zip"]["pattern"] == "^[0-9]{5}$"
    assert "no-store" in response["Cache-Control"]


def test_questions_answer_in_the_requests_language(client):
    response = client.get("/api/screening/questions", headers={"accept-language": "es"})
    assert response.status_code == 200
    assert response["Content-Language"] == "es"


def test_a_screening_answers_the_contract(client):
    response = post(
        client,
        answers(
            severity="moderate",
            recent_care="inpatient",
            home_support="strong",
            commitments="yes",
            payment=["medicaid"],
            zip="94612",
        ),
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert set(body) == {
        "level",
        "escalation",
        "reasons",
        "notes",
        "search_url",
        "escalation_search_url",
    }
    assert body["level"] == "iop"
    assert body["escalation"] is None
    assert body["reasons"] == [
        {
            "code": "L4",
            "text": body["reasons"][0]["text"],
            "source": "000_610a7fd06c2793d8.txt, 003_6f45defad1b00d45.txt",
        }
    ]
    assert "residential rehab" in body["reasons"][0]["text"]
    assert body["notes"] == [
        "Look for evening or weekend sessions, so you can keep up with your commitments."
    ]
    assert body["search_url"] == (
        "/programs/?level=iop&focus=substance_use&time_of_day=evening&time_of_day=weekend"
        "&payment=medicaid&near=94612"
    )


def test_an_escalation_comes_first_in_the_reasons(client):
    body = post(client, answers(withdrawal="severe", severity="moderate")).json()
    assert body["escalation"] == "detox"
    assert [reason["code"] for reason in body["reasons"]] == ["E3", "L11"]
    assert body["reasons"][0]["source"] == "001_ebe16e7093303e8b.txt"


def test_danger_now_is_an_emergency(client):
    body = post(client, answers(danger_now="yes")).json()
    assert body["escalation"] == "emergency"
    assert body["reasons"][0]["code"] == "E1"


def test_the_api_needs_no_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, answers()).status_code == 200


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({k: v for k, v in answers().items() if k != "focus"}, {"focus"}),
        (answers(severity="extreme"), {"severity"}),
        (answers(severity=3, zip="123"), {"severity", "zip"}),
        (answers(payment="medicaid"), {"payment"}),
        (answers(recent_care="outpatient"), {"outpatient_enough"}),
        (answers(colour="blue"), {"colour"}),
    ],
)
def test_bad_answers_get_400_with_errors_per_key(client, body, errors):
    response = post(client, body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == errors
    for messages in response.json()["errors"].values():
        assert messages and all(isinstance(m, str) and m for m in messages)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "{",
        "[]",
        '["danger_now"]',
        "null",
        "42",
        '"text"',
        b"\xff\xfe\x00",
        "[" * 5000,
    ],
)
def test_a_body_that_is_not_a_json_object_gets_400(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["__all__"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_gets_400_in_the_contracts_shape(client):
    response = post(client, json.dumps({"danger_now": "no", "notes": "x" * 2000}))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["__all__"]


def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def valid_answer(question):
    if question.kind == MULTIPLE_CHOICE:
        return st.lists(st.sampled_from(sorted(question.values)), max_size=3)
    if question.kind == ZIP:
        return st.from_regex(r"[0-9]{5}", fullmatch=True)
    return st.sampled_from(sorted(question.values))


# Mostly valid answers with some keys missing or replaced by junk: reaches 200s and 400s.
answer_like = st.fixed_dictionaries(
    {}, optional={q.key: valid_answer(q) | json_values for q in QUESTIONS}
)


# 300 bodies from one address: more than a minute's rate (tests/core/test_rate_limits.py).
@override_settings(SCREENING_API_PER_ADDRESS_PER_MINUTE=1000)
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | answer_like | st.binary(max_size=50).map(bytes))
def test_random_bodies_never_cause_a_500(client, body):
    response = post(client, body if isinstance(body, bytes) else json.dumps(body))
    assert response.status_code in {200, 400}
    payload = response.json()
    if response.status_code == 200:
        assert payload["level"] in {"php", "iop", "outpatient"}
    else:
        assert payload["errors"] and all(isinstance(v, list) for v in payload["errors"].values())
