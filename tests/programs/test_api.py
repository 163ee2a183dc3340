"""The JSON API: same search as the page, paginated, with errors per parameter; schema."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.filters import ProgramFilterSet
from programs.models import Program
from tests.factories import add_terms, make_program

pytestmark = pytest.mark.django_db


def test_results_carry_the_documented_fields(client):
    program = make_program(
        name="Evening IOP",
        tracks=[{"length_weeks_min": 8, "length_weeks_max": 12}],
        payments=["medicaid"],
        cost_per_session_min=Decimal("250"),
        cost_per_session_max=Decimal("400"),
        last_verified_on=date(2026, 3, 2),
    )
    body = client.get("/api/programs/?level=iop&near=94612").json()
    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    [result] = body["results"]
    assert result["id"] == program.pk
    assert result["name"] == "Evening IOP"
    assert result["provider"]["name"] == program.provider.name
    assert result["level_of_care"] == "iop"
    assert result["focus"] == "substance_use"
    assert result["format"] == "in_person"
    assert result["schedule"]["days_per_week"] == {"min": 3, "max": 3}
    assert result["schedule"]["hours_per_week"] == {"min": 9.0, "max": 9.0}
    assert result["schedule"]["length_weeks"] == {"min": 8, "max": 12}
    assert result["schedule"]["times_of_day"] == ["evening"]
    assert result["schedule"]["text"].startswith("3 days/week")
    assert result["cost"]["per_session"] == {"min": 250.0, "max": 400.0}
    assert result["cost"]["text"] == "$250-$400 per session"
    assert result["payment"] == ["medicaid"]
    assert result["latitude"] == pytest.approx(37.8044)
    assert result["longitude"] == pytest.approx(-122.2712)
    assert result["distance_miles"] == 0.4
    assert result["reach"] == "distance"
    assert result["last_verified"] == "2026-03-02"
    assert result["url"] == f"http://testserver/programs/{program.pk}/"


def test_distance_is_null_without_near(client):
    make_program()
    [result] = client.get("/api/programs/").json()["results"]
    assert result["distance_miles"] is None
    assert result["reach"] is None


def test_pages_link_to_each_other_keeping_the_filters(client):
    for number in range(45):
        make_program(name=f"P{number:02}", payments=["medicaid"])
    body = client.get("/api/programs/?payment=medicaid&sort=name").json()
    assert body["count"] == 45
    assert len(body["results"]) == 20
    assert body["next"] == "http://testserver/api/programs/?payment=medicaid&sort=name&page=2"
    last = client.get("/api/programs/?payment=medicaid&sort=name&page=3").json()
    assert [r["name"] for r in last["results"]] == [f"P{n}" for n in range(40, 45)]
    assert last["next"] is None
    assert last["previous"].endswith("page=2")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("near=99999", "near", "99999 is not a US ZIP code."),
        ("near=abcde", "near", "Enter a 5-digit ZIP code, like 94103."),
        ("radius=0&near=94612", "radius", "Ensure this value is greater than or equal to 1."),
        ("payment=bitcoin", "payment", "Select a valid choice."),
        ("max_hours_per_week=lots", "max_hours_per_week", "Enter a number."),
    ],
)
def test_bad_parameters_answer_400_with_messages_per_field(client, query, field, message):
    response = client.get(f"/api/programs/?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


def test_unknown_parameters_are_ignored(client):
    make_program()
    response = client.get("/api/programs/?utm_source=newsletter")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_one_program_in_full(client):
    program = make_program(name="Full", tracks=[{"name": "Evening track"}], website="https://x.org")
    add_terms(program, services=["dbt"], languages=["spanish"], insurers=["aetna"])
    body = client.get(f"/api/programs/{program.pk}/").json()
    assert body["name"] == "Full"
    assert body["services"] == ["dbt"]
    assert body["languages"] == ["spanish"]
    assert body["insurers"] == ["aetna"]
    assert body["tracks"][0]["name"] == "Evening track"
    assert body["tracks"][0]["hours_per_day"] == {"min": 3.0, "max": 3.0}
    assert body["website"] == "https://x.org"
    assert body["site"]["zip_code"] == "94612"


def test_drafts_are_not_found(client):
    draft = make_program(status=Program.Status.DRAFT)
    response = client.get(f"/api/programs/{draft.pk}/")
    assert response.status_code == 404
    assert response.json() == {"errors": {"id": ["No published program has this id."]}}


def test_schema_describes_both_endpoints_and_every_search_parameter(client):
    schema = client.get("/api/schema/").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/programs/",
        "/api/programs/{id}/",
        "/api/screening/",
        "/api/screening/questions",
    }
    documented = {p["name"] for p in schema["paths"]["/api/programs/"]["get"]["parameters"]}
    assert set(ProgramFilterSet.base_filters) <= documented
    assert documented - set(ProgramFilterSet.base_filters) == {"page"}
    payment = next(
        p for p in schema["paths"]["/api/programs/"]["get"]["parameters"] if p["name"] == "payment"
    )
    assert "medicaid" in payment["schema"]["items"]["enum"]
    required = schema["components"]["schemas"]["ProgramSummary"]["required"]
    assert {"distance_miles", "schedule", "cost", "url"} <= set(required)


def test_a_page_of_results_costs_the_same_queries_whatever_the_count(client):
    def queries_for(count: int) -> int:
        for _ in range(count):
            make_program(payments=["medicaid"], tracks=[{}])
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/programs/?near=94612&payment=medicaid&page=1").json()
        assert len(body["results"]) == min(body["count"], 20)
        return len(captured)

    # The catalogue's version token; the copy in memory read again (programs were added; on
    # PostgreSQL under the longer statement timeout, set and reset); the page's rows (their
    # payment kinds come from the copy).
    read_again = 3 if connection.vendor == "postgresql" else 1
    assert queries_for(5) == queries_for(45) == 2 + read_again
    # Nothing changed: the token and the page only.
    assert queries_for(0) == 2


def test_a_page_past_the_end_gives_the_last_page(client):
    for number in range(22):
        make_program(name=f"P{number:02}")
    body = client.get("/api/programs/?sort=name&page=9").json()
    assert body["count"] == 22
    assert [r["name"] for r in body["results"]] == ["P20", "P21"]


@pytest.mark.parametrize("number", ["100001", "99999999999999999999"])
def test_a_huge_page_number_gives_the_last_page_not_an_error(client, number):
    for index in range(22):
        make_program(name=f"P{index:02}")
    for url in ("/api/programs/", "/programs/"):
        response = client.get(url, {"sort": "name", "page": number})
        assert response.status_code == 200, url
    body = client.get("/api/programs/", {"sort": "name", "page": number}).json()
    assert [r["name"] for r in body["results"]] == ["P20", "P21"]


def test_accreditation_is_a_search_parameter_of_the_api(client):
    add_terms(make_program(name="Accredited"), accreditations=["ncqa"])
    make_program(name="Not accredited")
    body = client.get("/api/programs/?accreditation=ncqa").json()
    assert [row["name"] for row in body["results"]] == ["Accredited"]
    schema = client.get("/api/schema/").json()
    accreditation = next(
        p
        for p in schema["paths"]["/api/programs/"]["get"]["parameters"]
        if p["name"] == "accreditation"
    )
    assert accreditation["schema"]["items"]["enum"] == ["joint_commission", "carf", "coa", "ncqa"]
    bad = client.get("/api/programs/?accreditation=iso")
    assert bad.status_code == 400 and "accreditation" in bad.json()["errors"]
