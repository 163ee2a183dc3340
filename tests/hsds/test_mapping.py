"""What each of our facts becomes in HSDS (README "Open data: HSDS" has the table)."""

import json

import pytest

from hsds import mapping, tabular
from hsds import taxonomy as tx
from hsds.selectors import services_queryset
from programs import parameters
from tests.hsds.conftest import SCHEMAS, day_after

pytestmark = pytest.mark.django_db


def service_of(program) -> dict:
    return mapping.service(services_queryset().get(pk=program.pk))


def attributes(service, taxonomy) -> dict:
    return {
        a["taxonomy_term"]["code"]: a.get("value")
        for a in service["attributes"]
        if a["link_type"] == taxonomy
    }


def test_schedule_tracks_are_weekly_rrules_with_clock_times(catalogue):
    evening, morning = service_of(catalogue["curated"])["schedules"]
    assert evening["freq"] == "WEEKLY" and evening["byday"] == "MO,WE,TH"
    assert (evening["opens_at"], evening["closes_at"]) == ("18:00", "21:00")
    assert evening["description"] == "Evening, 3–3 days a week, 3–3 hours a day, 8–12 weeks"
    assert attributes(evening, tx.SCHEDULE_TRACK)["length_weeks"] == "8-12"
    assert "byday" not in morning and "opens_at" not in morning
    assert attributes(morning, tx.SCHEDULE_TRACK)["hours_per_day"] == "2.5-3"


def test_costs_payments_and_insurers(catalogue):
    service = service_of(catalogue["curated"])
    amounts = {o.get("amount_description"): o.get("amount") for o in service["cost_options"]}
    assert amounts["per session, lowest"] == 120 and amounts["per session, highest"] == 180.5
    assert amounts["whole program, lowest"] == 2400
    options = {o["option"] for o in service["cost_options"]}
    assert {"Sliding fee scale", "Free of charge"} <= options
    assert {f["source"] for f in service["funding"]} == {"Medicaid", "Aetna (private insurance)"}
    assert service["fees_description"] == (
        "$120-$180.5 per session. $2400 for the whole program. Ask about scholarships."
    )
    assert set(attributes(service, tx.PAYMENT)) == {"medicaid", "sliding_scale", "free"}
    assert service["required_documents"][0]["document"].startswith("A referral")


def test_languages_accreditation_and_verification(catalogue):
    service = service_of(catalogue["curated"])
    assert {(lang["name"], lang["code"]) for lang in service["languages"]} == {
        ("English", "en"),
        ("Spanish", "es"),
    }
    assert service["accreditations"] == "CARF"
    assert service["assured_date"] == catalogue["curated"].last_verified_on.isoformat()
    assert attributes(service, tx.LICENSING) == {"state_health": None, "licence_number": "CA-12345"}


def test_availability_is_the_alert_and_attributes_while_recent(catalogue, settings):
    program = catalogue["curated"]
    service = service_of(program)
    assert service["alert"] == (
        f"Accepting new clients. Next intake {day_after(5).isoformat()}. Wait about 3 days. "
        f"As of {day_after(-2).isoformat()}, from the program, accepted by IOP Finder curators."
    )
    assert attributes(service, tx.AVAILABILITY) == {
        "accepting_new_clients": "yes",
        "next_intake": day_after(5).isoformat(),
        "wait_days": "3",
        "as_of": day_after(-2).isoformat(),
        "source": "program",
    }
    settings.AVAILABILITY_STALE_DAYS = 1
    stale = service_of(program)
    assert "alert" not in stale and not attributes(stale, tx.AVAILABILITY)


def test_provenance_says_where_each_fact_came_from(catalogue):
    samhsa = attributes(service_of(catalogue["samhsa"]), tx.PROVENANCE)
    # The name and languages are as SAMHSA's directory gave them; the phone was changed since.
    assert samhsa == {"samhsa_directory": "name, languages, level_of_care", "curators": "phone"}
    curated = attributes(service_of(catalogue["curated"]), tx.PROVENANCE)
    assert curated == {"program": "listing, schedule, cost, availability"}


def test_taxonomies_filter_on_public_search_parameters():
    for taxonomy in tx.TAXONOMIES.values():
        if taxonomy.parameter:
            assert taxonomy.parameter in parameters.BY_NAME


def test_the_tables_are_hsds_own():
    schemas = [json.loads((SCHEMAS / f"{n}.json").read_text()) for n in ("service", "organization")]
    assert tabular.resources() == tabular.resources_of(*schemas)
