"""Distance: ZIP centroids, the radius bound, telehealth in the same state, distance order."""

import html

import pytest
from django.http import QueryDict

from programs.places import miles_between, place_of_zip
from programs.selectors import program_search
from tests.factories import make_program, make_site, make_site_at_zip

pytestmark = pytest.mark.django_db

OAKLAND = "94612"


def search(query: str):
    result = program_search(params=QueryDict(query))
    assert result.is_valid, result.errors
    return {program.name: program for program in result.paginate(1, 1000)}


def test_the_radius_keeps_a_site_just_inside_and_drops_one_just_outside():
    oakland = place_of_zip(OAKLAND)
    inside, outside = place_of_zip("94117"), place_of_zip("94131")
    here = (oakland.latitude, oakland.longitude)
    assert 9.5 < miles_between(here, (inside.latitude, inside.longitude)) < 10
    assert 10 < miles_between(here, (outside.latitude, outside.longitude)) < 10.5
    make_program(name="Haight", site=make_site_at_zip("94117", city="San Francisco"))
    make_program(name="Glen Park", site=make_site_at_zip("94131", city="San Francisco"))
    found = search(f"near={OAKLAND}&radius=10")
    assert set(found) == {"Haight"}
    assert round(found["Haight"].distance, 1) == 9.9
    assert set(search(f"near={OAKLAND}&radius=11")) == {"Haight", "Glen Park"}


def test_the_default_radius_is_25_miles():
    make_program(name="San Jose", site=make_site_at_zip("95112", city="San Jose"))  # about 38 miles
    make_program(name="Berkeley", site=make_site_at_zip("94704", city="Berkeley"))
    assert set(search(f"near={OAKLAND}")) == {"Berkeley"}
    assert set(search(f"near={OAKLAND}&radius=50")) == {"Berkeley", "San Jose"}


def test_telehealth_programs_in_the_same_state_appear_outside_the_radius():
    make_program(name="LA video", format="telehealth", site=make_site_at_zip("90012", city="LA"))
    make_program(name="LA hybrid", format="both", site=make_site_at_zip("90012", city="LA"))
    make_program(name="LA clinic", format="in_person", site=make_site_at_zip("90012", city="LA"))
    make_program(
        name="Reno video", format="telehealth", site=make_site_at_zip("89501", city="Reno")
    )
    make_program(name="Near video", format="telehealth", site=make_site_at_zip("94607"))
    found = search(f"near={OAKLAND}")
    assert set(found) == {"LA video", "LA hybrid", "Near video"}
    assert found["LA video"].reach == "telehealth"
    assert found["Near video"].reach == "distance"


def test_sites_without_coordinates_only_appear_by_telehealth():
    make_program(name="No map", site=make_site(latitude=None, longitude=None))
    make_program(
        name="No map video", format="telehealth", site=make_site(latitude=None, longitude=None)
    )
    found = search(f"near={OAKLAND}")
    assert set(found) == {"No map video"}
    assert found["No map video"].distance is None
    assert found["No map video"].reach == "telehealth"


def test_distance_is_the_default_order_with_a_zip_code():
    make_program(name="A far", site=make_site_at_zip("94117"))
    make_program(name="B near", site=make_site_at_zip("94607"))
    make_program(name="C middle", site=make_site_at_zip("94704"))
    make_program(name="D video", format="telehealth", site=make_site_at_zip("90012"))
    result = program_search(params=QueryDict(f"near={OAKLAND}"))
    assert result.sort == "distance"
    assert [p.name for p in result.paginate(1, 1000)] == ["B near", "C middle", "A far", "D video"]


def test_a_zip_code_without_a_known_centre_is_refused():
    result = program_search(params=QueryDict("near=09001"))  # military APO: no centroid
    assert not result.is_valid
    assert result.errors == {"near": ["09001 is not a US ZIP code."]}


def test_a_place_from_the_zip_code_says_so_wherever_its_distance_shows(client):
    """SAMHSA's National Directory gives no coordinates: a site placed at its ZIP code's
    centre gets an approximate distance, and every page says so; an unpublished street
    address shows as such, never as a broken address."""
    placed = make_program(
        name="Directory IOP", site=make_site_at_zip("94610", placed_at_zip=True, address="")
    )
    exact = make_program(name="Surveyed IOP", site=make_site_at_zip("94610", address="1 Main St"))
    page = html.unescape(client.get("/programs/?near=94612").content.decode())
    assert page.count("from the ZIP code's centre") == 1
    assert "miles away" in page.split("Surveyed IOP")[1]
    api = client.get("/api/programs/?near=94612").json()["results"]
    assert {r["name"]: r["placed_at_zip_centre"] for r in api} == {
        "Directory IOP": True,
        "Surveyed IOP": False,
    }
    detail = html.unescape(client.get(f"/programs/{placed.pk}/?near=94612").content.decode())
    assert "measured from the centre of the program's ZIP code" in detail
    assert "The street address is not published. Call for directions." in detail
    detail = client.get(f"/programs/{exact.pk}/?near=94612").content.decode()
    assert "measured from the centre" not in detail
    assert "1 Main St" in detail and "not published" not in detail
