"""HSDS 3.0's own schemas (hsds/schemas/) as validators, and a catalogue that uses every
fact the mapping writes."""

import json
from datetime import date, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from programs.models import AvailabilitySource, Program, VerificationSource
from tests.factories import add_terms, make_program, make_provider, make_site, make_site_at_zip

SCHEMAS = Path(__file__).resolve().parents[2] / "hsds" / "schemas"
PAGE_KEYS = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
]


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def _nested(*path) -> dict:
    node = schema("service")
    for key in path:
        node = node["properties"][key]
        node = node.get("items", node)
    return node


def _closed(node):
    """A schema allowing only the properties it names: the list forms must hold no more
    than HSDS's *_list.json gives them."""
    if isinstance(node, dict):
        node = {key: _closed(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
    elif isinstance(node, list):
        node = [_closed(item) for item in node]
    return node


@cache
def item_schemas() -> dict:
    return {
        "service": schema("service"),
        "service_list": _closed(schema("service_list")),
        "service_at_location": schema("service_at_location"),
        "service_at_location_list": _closed(schema("service_at_location_list")),
        "organization": schema("organization"),
        "taxonomy_term": _nested("attributes", "taxonomy_term"),
        "taxonomy": _nested("attributes", "taxonomy_term", "taxonomy_detail"),
        "root": schema("openapi")["paths"]["/"]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"],
    }


def validate(instance, kind: str, *, page: bool = False):
    """Raises when `instance` is not a valid HSDS `kind` (a Page of them with page=True)."""
    item = item_schemas()[kind]
    if page:
        page_schema = schema("openapi")["components"]["schemas"]["Page"]
        item = {
            **page_schema,
            "required": PAGE_KEYS,
            "properties": {
                **page_schema["properties"],
                "contents": {"type": "array", "items": item},
            },
        }
    Draft202012Validator(item, format_checker=FormatChecker()).validate(instance)


@pytest.fixture
def catalogue(db):
    """A curated program with every fact, a SAMHSA listing, and a draft nobody may see."""
    provider = make_provider(
        name="Harbor Health", website="https://harbor.example.org", phone="510-555-0100"
    )
    site = make_site(provider=provider, name="Harbor Oakland", address="1 Main St")
    today = timezone.localdate()
    curated = make_program(
        site=site,
        name="Harbor Evening IOP",
        description="Evening groups for working adults.",
        format="both",
        tracks=[
            {
                "name": "Evening",
                "weekdays": ["mon", "wed", "thu"],
                "starts_at": time(18),
                "ends_at": time(21),
                "time_of_day": "",
                "length_weeks_min": 8,
                "length_weeks_max": 12,
            },
            {
                "time_of_day": "morning",
                "days_per_week_min": 2,
                "days_per_week_max": 3,
                "hours_per_day_min": Decimal("2.5"),
                "hours_per_day_max": Decimal("3"),
            },
        ],
        payments=["medicaid", "sliding_scale", "free"],
        cost_per_session_min=Decimal("120"),
        cost_per_session_max=Decimal("180.50"),
        total_cost_min=Decimal("2400"),
        cost_notes="Ask about scholarships.",
        intake_process="referral",
        intake_notes="Call the front desk.",
        accepting_new_clients=True,
        next_intake_on=today + timedelta(days=5),
        wait_time_days=3,
        availability_as_of=today - timedelta(days=2),
        availability_source=AvailabilitySource.PROGRAM,
        last_verified_on=today - timedelta(days=10),
        last_verified_source=VerificationSource.PROGRAM,
        license_number="CA-12345",
        phone="510-555-0199 x12",
        website="https://harbor.example.org/iop",
        directory_facts={"sex_served": ["women", "men"], "licensing": ["state_health"]},
    )
    add_terms(
        curated,
        insurers=["aetna"],
        services=["group_therapy", "dbt"],
        populations=["adults"],
        languages=["english", "spanish"],
        accreditations=["carf"],
    )
    samhsa_site = make_site_at_zip("93721", name="", address="", city="Fresno", placed_at_zip=True)
    samhsa = make_program(
        site=samhsa_site,
        name="Valley Outpatient",
        level_of_care=Program.LevelOfCare.OUTPATIENT,
        focus="mental_health",
        source=Program.Source.SAMHSA,
        external_key="samhsa-1",
        phone="559-555-0123",
        imported_values={
            "name": "Valley Outpatient",
            "phone": "559-555-0000",
            "languages": ["spanish"],
            "directories": ["mh"],
        },
    )
    add_terms(samhsa, languages=["spanish"])
    draft = make_program(name="Draft Program", status=Program.Status.DRAFT)
    return {"curated": curated, "samhsa": samhsa, "draft": draft}


def day_after(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
