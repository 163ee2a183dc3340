"""The HSDS 3.0 read API: every endpoint answers what HSDS's schemas allow, only published
listings, paged with HSDS's Page object, found by the public search's filters."""

import pytest
from django.utils import timezone

from hsds import mapping
from hsds import taxonomy as tx
from tests.factories import make_program
from tests.hsds.conftest import validate

pytestmark = pytest.mark.django_db
API = "/api/hsds"


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_every_endpoint_validates_against_the_hsds_schemas(client, catalogue):
    validate(get(client, "/"), "root")
    services = get(client, "/services")
    validate(services, "service_list", page=True)
    validate(get(client, "/services", full="true"), "service", page=True)
    validate(get(client, "/services", minimal="true"), "service_list", page=True)
    for item in services["contents"]:
        validate(get(client, f"/services/{item['id']}"), "service")
    locations = get(client, "/service_at_locations")
    validate(locations, "service_at_location_list", page=True)
    full = get(client, "/service_at_locations", full="true")
    validate(full, "service_at_location", page=True)
    assert full["contents"][0]["service"]["schedules"]
    for item in locations["contents"]:
        validate(get(client, f"/service_at_locations/{item['id']}"), "service")
    organizations = get(client, "/organizations")
    validate(organizations, "organization", page=True)
    for item in organizations["contents"]:
        validate(get(client, f"/organizations/{item['id']}"), "organization")
        validate(get(client, f"/organizations/{item['id']}", full_service="true"), "organization")
    taxonomies = get(client, "/taxonomies")
    validate(taxonomies, "taxonomy", page=True)
    for item in taxonomies["contents"]:
        validate(get(client, f"/taxonomies/{item['id']}"), "taxonomy")
    terms = get(client, "/taxonomy_terms", per_page=500)
    validate(terms, "taxonomy_term", page=True)
    for item in terms["contents"]:
        validate(get(client, f"/taxonomy_terms/{item['id']}"), "taxonomy_term")


def test_only_published_programs_are_services(client, catalogue):
    names = {s["name"] for s in get(client, "/services")["contents"]}
    assert names == {"Harbor Evening IOP", "Valley Outpatient"}
    draft_id = mapping.service_id(catalogue["draft"])
    assert client.get(f"{API}/services/{draft_id}").status_code == 404
    assert client.get(f"{API}/services/not-an-id").status_code == 404
    organizations = {o["name"] for o in get(client, "/organizations")["contents"]}
    assert catalogue["draft"].provider.name not in organizations


def test_ids_are_stable_uuids_of_our_keys(client, catalogue):
    program = catalogue["curated"]
    service = get(client, f"/services/{mapping.service_id(program)}")
    assert service["id"] == mapping.hsds_id("service", program.pk)
    assert service["organization_id"] == mapping.organization_id(program.provider_id)
    assert service["service_at_locations"][0]["location_id"] == mapping.location_id(program.site_id)
    assert get(client, f"/organizations/{service['organization_id']}")["name"] == "Harbor Health"


def test_pages_say_where_they_are(client, catalogue):
    for number in range(3):
        make_program(name=f"Zeta {number}")
    first = get(client, "/services", per_page=2)
    assert first["total_items"] == 5
    assert (first["total_pages"], first["page_number"], first["size"]) == (3, 1, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = get(client, "/services", per_page=2, page=3)
    assert last["size"] == 1 and last["last_page"] and not last["first_page"]
    beyond = get(client, "/services", per_page=2, page=9)
    assert beyond["empty"] and beyond["contents"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"per_page": "501"},
        {"proximity": "1000"},
        {"postcode": "94612", "proximity": "far"},
        {"taxonomy_term_id": "nope"},
        {"modified_after": "yesterday"},
        {"postcode": "00000"},
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, catalogue, params):
    response = client.get(f"{API}/services", params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {*params, "postcode"}


def names(client, path="/services", **params):
    return {s.get("name") or s["service"]["name"] for s in get(client, path, **params)["contents"]}


def test_search_finds_words_as_the_public_search_does(client, catalogue):
    assert names(client, search="harbor") == {"Harbor Evening IOP"}


def test_postcode_and_proximity_find_what_is_near(client, catalogue):
    # Oakland 94612 and Fresno 93721 are about 150 miles apart; as in the public search, a
    # telehealth program reaches its whole state.
    assert names(client, postcode="94612", proximity="20000") == {"Harbor Evening IOP"}
    assert names(client, "/service_at_locations", postcode="93721", proximity="20000") == {
        "Valley Outpatient",
        "Harbor Evening IOP",
    }
    catalogue["curated"].format = "in_person"
    catalogue["curated"].save()
    assert names(client, postcode="93721", proximity="20000") == {"Valley Outpatient"}


def test_taxonomy_term_and_level_of_care_filter(client, catalogue):
    spanish = tx.TAXONOMIES[tx.LANGUAGE].term_id("spanish")
    dbt = tx.TAXONOMIES[tx.SERVICE].term_id("dbt")
    outpatient = tx.TAXONOMIES[tx.LEVEL_OF_CARE].term_id("outpatient")
    assert names(client, taxonomy_term_id=spanish) == {"Harbor Evening IOP", "Valley Outpatient"}
    assert names(client, taxonomy_term_id=dbt) == {"Harbor Evening IOP"}
    assert names(client, taxonomy_term_id=outpatient) == {"Valley Outpatient"}
    assert names(client, level_of_care="iop") == {"Harbor Evening IOP"}
    residential = make_program(name="Residential House", level_of_care="residential")
    assert residential.name in names(client)  # the whole catalogue, care above PHP too
    provenance = tx.TAXONOMIES[tx.PROVENANCE].term_id("curators")
    assert client.get(f"{API}/services", {"taxonomy_term_id": provenance}).status_code == 400


def test_modified_after_gives_only_what_changed(client, catalogue):
    later = timezone.now()
    assert names(client, modified_after=later.isoformat()) == set()
    site = catalogue["samhsa"].site
    site.city = "Clovis"
    site.save()
    assert names(client, modified_after=later.isoformat()) == {"Valley Outpatient"}
    catalogue["curated"].tracks.first().save()
    assert names(client, modified_after=later.isoformat()) == {
        "Valley Outpatient",
        "Harbor Evening IOP",
    }
    service = get(client, f"/services/{mapping.service_id(catalogue['samhsa'])}")
    assert service["last_modified"] >= mapping.timestamp(later)


def test_organization_id_filters_services(client, catalogue):
    org = mapping.organization_id(catalogue["curated"].provider_id)
    assert names(client, organization_id=org) == {"Harbor Evening IOP"}


def test_taxonomies_are_the_vocabularies(client):
    taxonomies = {t["name"] for t in get(client, "/taxonomies")["contents"]}
    assert {
        "iopfinder:level_of_care",
        "iopfinder:payment",
        "iopfinder:insurer",
        "iopfinder:language",
        "iopfinder:accreditation",
    } <= taxonomies
    payment = tx.TAXONOMIES[tx.PAYMENT]
    terms = get(client, "/taxonomy_terms", taxonomy_id=payment.id, per_page=100)["contents"]
    assert [t["code"] for t in terms] == list(payment.terms)


def test_lists_are_the_list_forms_full_and_minimal_on_request(client, catalogue):
    listed = get(client, "/services", search="harbor")["contents"][0]
    assert "schedules" not in listed and "attributes" not in listed
    assert listed["organization"]["name"] == "Harbor Health"
    full = get(client, "/services", search="harbor", full="true")["contents"][0]
    assert full["schedules"] and full["attributes"]
    minimal = get(client, "/services", search="harbor", minimal="true")["contents"][0]
    assert set(minimal) == {"id", "name", "status", "last_modified"}
    assert minimal["last_modified"] == listed["last_modified"]
    at = get(client, "/service_at_locations", search="harbor")["contents"][0]
    assert "addresses" not in at["location"] and at["location"]["name"] == "Harbor Oakland"


def test_taxonomy_id_finds_services_with_any_term_of_it(client, catalogue):
    insurer = tx.TAXONOMIES[tx.INSURER]
    assert names(client, taxonomy_id=insurer.id) == {"Harbor Evening IOP"}
    assert names(client, "/service_at_locations", taxonomy_id=insurer.id) == {"Harbor Evening IOP"}
    language = tx.TAXONOMIES[tx.LANGUAGE]
    english = language.term_id("english")
    assert names(client, taxonomy_id=language.id) == {"Harbor Evening IOP", "Valley Outpatient"}
    # With a term of the same taxonomy, the term narrows it.
    assert names(client, taxonomy_id=language.id, taxonomy_term_id=english) == {
        "Harbor Evening IOP"
    }
    focus = tx.TAXONOMIES[tx.FOCUS]  # every program has a focus
    assert names(client, taxonomy_id=focus.id) == {"Harbor Evening IOP", "Valley Outpatient"}
    for unusable in (tx.TAXONOMIES[tx.PROVENANCE].id, "nope"):
        response = client.get(f"{API}/services", {"taxonomy_id": unusable})
        assert response.status_code == 400 and "taxonomy_id" in response.json()["errors"]


def test_a_page_of_services_costs_the_same_queries_whatever_its_size(
    client, catalogue, django_assert_max_num_queries
):
    for number in range(30):
        make_program(name=f"More {number}", tracks=[{}], payments=["medicaid"])
    with django_assert_max_num_queries(12):
        full = get(client, "/services", full="true", per_page=50)
    assert full["size"] == 32
    for path in ("/services", "/service_at_locations"):
        for form in ({}, {"minimal": "true"}):
            with django_assert_max_num_queries(3):
                assert get(client, path, per_page=50, **form)["size"] == 32
