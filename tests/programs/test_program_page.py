"""The program page shows every fact a person compares, and only for published listings."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import places
from programs.models import (
    Accreditation,
    Insurer,
    Language,
    Population,
    Program,
    ScheduleTrack,
    Service,
)
from tests.factories import make_program, make_site

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.fixture
def harbor():
    site = make_site(
        name="Harbor House",
        address="1200 Broadway",
        city="Oakland",
        state="CA",
        zip_code="94612",
    )
    program = make_program(
        name="Harbor Evening IOP",
        site=site,
        description="Groups for adults balancing work and recovery.",
        level_of_care=Program.LevelOfCare.IOP,
        focus="co_occurring",
        format="both",
        tracks=[
            {
                "name": "Evening track",
                "time_of_day": ScheduleTrack.TimeOfDay.EVENING,
                "days_per_week_min": 3,
                "days_per_week_max": 3,
                "hours_per_day_min": Decimal("3"),
                "hours_per_day_max": Decimal("3.5"),
                "length_weeks_min": 8,
                "length_weeks_max": 12,
            },
            {
                "name": "Saturday morning track",
                "time_of_day": ScheduleTrack.TimeOfDay.MORNING,
                "weekend": True,
                "days_per_week_min": 4,
                "days_per_week_max": 4,
                "hours_per_day_min": Decimal("3"),
                "hours_per_day_max": Decimal("3"),
                "length_weeks_min": 6,
                "length_weeks_max": 6,
            },
        ],
        payments=["medicaid", "private_insurance", "sliding_scale"],
        cost_per_session_min=Decimal("250"),
        cost_per_session_max=Decimal("400"),
        total_cost_min=Decimal("3000"),
        total_cost_max=Decimal("10000"),
        cost_notes="Ask about the weekend rate.",
        accepting_new_clients=True,
        wait_time_days=7,
        license_number="CA-DHCS-010203",
        phone="(510) 555-0134",
        website="https://harbor.example.org/iop",
        last_verified_on=date(2026, 10, 5),
    )
    program.insurers.set(Insurer.objects.filter(slug__in=["aetna", "kaiser"]))
    program.services.set(Service.objects.filter(slug__in=["group_therapy", "cbt"]))
    program.populations.set(Population.objects.filter(slug__in=["women", "veterans"]))
    program.languages.set(Language.objects.filter(slug__in=["english", "spanish"]))
    program.accreditations.set(Accreditation.objects.filter(slug="carf"))
    return program


def get_page(client, program):
    return client.get(reverse("programs:detail", args=[program.pk]))


def test_page_shows_level_and_what_it_means(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "Intensive outpatient (IOP)" in text
    assert "3-5 days a week, 3-4 hours a day (9-20 hours a week)" in text
    assert "What Is an Intensive Outpatient Program (IOP)? How does IOP work" in text
    assert ".txt" not in text


def test_page_shows_schedule_tracks_as_a_table(client, harbor):
    response = get_page(client, harbor)
    page = response.content.decode()
    assert '<caption id="tracks-caption">Ways to attend</caption>' in page
    assert 'role="region" aria-labelledby="tracks-caption" tabindex="0"' in page
    assert page.count('<th scope="col">') == 6
    assert '<th scope="row">Evening track</th>' in page
    assert '<th scope="row">Saturday morning track</th>' in page
    text = page_text(response)
    assert "Evening track Evening 3 3-3.5 9-10.5 8-12 weeks" in text
    assert "Saturday morning track Morning, weekends 4 3 12 6 weeks" in text


def test_page_shows_schedule_summary(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "Hours per week 9-12 hours" in text
    assert "Length 6-12 weeks" in text
    assert "Times of day Mornings, evenings, weekends" in text


def test_page_shows_costs_and_payment(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "Per session $250-$400" in text
    assert "Whole program $3,000-$10,000" in text
    assert "Ask about the weekend rate." in text
    assert "Sliding fee scale: the fee depends on your income." in text
    assert "Medicaid" in text and "Private insurance" in text
    assert "Insurers Aetna Kaiser Permanente" in text


def test_page_shows_services_people_and_languages(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "Group therapy" in text
    assert "Cognitive behavioral therapy (CBT)" in text
    assert "Focus: Both (co-occurring)" in text
    assert "Women" in text and "Veterans" in text
    assert "Languages English Spanish" in text
    assert "Format In person and telehealth" in text


def test_page_shows_availability_and_trust(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "New clients Accepting new clients" in text
    assert "Wait time About 7 days" in text
    assert "Accreditation CARF" in text
    assert "Licence CA-DHCS-010203" in text
    assert "Last verified Oct. 5, 2026" in text


def test_page_has_click_to_call_website_and_address(client, harbor):
    response = get_page(client, harbor)
    page = response.content.decode()
    assert '<a class="call-link" href="tel:+1-510-555-0134">(510) 555-0134</a>' in page
    assert 'href="https://harbor.example.org/iop"' in page
    assert "Harbor House 1200 Broadway Oakland, CA 94612" in page_text(response)


def test_unknown_facts_say_so_plainly(client):
    program = make_program(name="Quiet Street IOP")
    text = page_text(get_page(client, program))
    assert "Cost not yet verified — call to ask." in text
    assert "Schedule not yet verified — call to ask" in text
    assert "Not yet verified by our curators." in text
    assert "New clients Not known — call to ask" in text
    assert "Ways to attend" not in text
    assert "Sample listing" not in text


def test_free_programs_say_so(client):
    program = make_program(name="Community Free IOP", payments=["free"])
    assert "Free of charge." in page_text(get_page(client, program))


def test_sample_listing_is_marked(client):
    program = make_program(name="Sample Valley IOP", is_sample=True)
    text = page_text(get_page(client, program))
    assert "Sample listing" in text
    assert "It is not a real program." in text


def test_imported_samhsa_listing_without_schedule_or_cost_is_flagged(client):
    imported = make_program(
        name="Imported Coast IOP", source=Program.Source.SAMHSA, external_key="ca-1-iop"
    )
    checked = make_program(
        name="Checked Coast IOP",
        source=Program.Source.SAMHSA,
        external_key="ca-2-iop",
        cost_per_session_min=Decimal("100"),
    )
    assert "comes from SAMHSA, the US government's treatment directory" in page_text(
        get_page(client, imported)
    )
    assert "comes from SAMHSA, the US government's treatment directory" not in page_text(
        get_page(client, checked)
    )


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ARCHIVED])
def test_unpublished_programs_are_not_found(client, status):
    program = make_program(name="Hidden Hills IOP", status=status)
    response = get_page(client, program)
    assert response.status_code == 404
    assert "Hidden Hills IOP" not in response.content.decode()


def test_missing_program_is_not_found(client):
    assert client.get(reverse("programs:detail", args=[999999])).status_code == 404


def test_query_count_does_not_grow_with_the_listing(client, harbor):
    small = make_program(name="Small IOP", tracks=[{}], payments=["medicaid"])
    for program in (small, harbor):  # each page's view count for today exists: one UPDATE
        get_page(client, program)
    with CaptureQueriesContext(connection) as small_queries:
        assert get_page(client, small).status_code == 200
    with CaptureQueriesContext(connection) as big_queries:
        assert get_page(client, harbor).status_code == 200
    assert len(big_queries) == len(small_queries)
    assert len(small_queries) <= 11  # 8 reads, and the view count: an UPDATE (and a savepoint)


def test_add_to_shortlist_button_works_without_javascript(client, harbor):
    page = get_page(client, harbor).content.decode()
    assert f'action="{reverse("programs:shortlist_add")}"' in page
    assert "Add to shortlist" in page
    client.post(
        reverse("programs:shortlist_add"),
        {"program": harbor.pk, "next": reverse("programs:detail", args=[harbor.pk])},
    )
    page = get_page(client, harbor).content.decode()
    assert "Remove from shortlist" in page
    assert "Shortlist (1)" in page


# From the page to a first call (issue 13): call, get there, pass it on, know what to ask.


def test_the_call_button_comes_right_under_the_name(client, harbor):
    page = get_page(client, harbor).content.decode()
    header = page[page.index("<h1>") : page.index('class="card-provider"')]
    assert 'class="button call-button" href="tel:+1-510-555-0134">Call (510) 555-0134</a>' in header


def test_the_call_button_keeps_the_extension_apart(client):
    program = make_program(phone="626-797-1124 x116")
    page = get_page(client, program).content.decode()
    assert 'class="button call-button" href="tel:+1-626-797-1124;ext=116"' in page
    assert 'class="call-link" href="tel:+1-626-797-1124;ext=116">626-797-1124 x116</a>' in page


def test_a_number_one_cannot_dial_is_shown_without_a_link(client):
    program = make_program(phone="Ask at the front desk")
    page = get_page(client, program).content.decode()
    assert "call-button" not in page
    assert "Phone: Ask at the front desk" in page_text(get_page(client, program))


def test_directions_lead_to_the_street_address(client, harbor):
    page = get_page(client, harbor).content.decode()
    assert (
        'href="https://www.google.com/maps/dir/?api=1&amp;destination='
        '1200%20Broadway%2C%20Oakland%2C%20CA%2094612"'
    ) in page
    assert "Directions in Google Maps" in page
    assert "(approximate)" not in page


def test_without_a_street_address_directions_are_to_the_zip_code_area(client):
    program = make_program(site=make_site(city="Fresno", zip_code="93721"))
    text = page_text(get_page(client, program))
    assert "The street address is not published. Call for directions." in text
    assert "Directions to the ZIP code area in Google Maps (approximate)" in text
    assert "destination=Fresno%2C%20CA%2093721" in get_page(client, program).content.decode()


def test_a_telehealth_only_program_gives_no_directions(client):
    program = make_program(format="telehealth")
    assert "google.com/maps" not in get_page(client, program).content.decode()


def test_the_page_offers_to_share_it_by_text_email_or_link(client, harbor):
    page = html.unescape(get_page(client, harbor).content.decode())
    url = f"http://testserver/programs/{harbor.pk}/"
    sms = re.search(r'href="(sms:\?&body=[^"]+)"', page)[1]
    assert sms.startswith("sms:?&body=Harbor%20Evening%20IOP%0APhone%3A%20%28510%29%20555-0134%0A")
    assert "mailto:?subject=Harbor%20Evening%20IOP&body=" in page
    assert f'id="share-url" class="share-url" value="{url}" readonly' in page
    assert "/static/js/share.js" in page


def test_the_shared_link_never_carries_the_zip_code_searched(client, harbor):
    page = client.get(reverse("programs:detail", args=[harbor.pk]), {"near": "94103"})
    assert f'value="http://testserver/programs/{harbor.pk}/" readonly' in page.content.decode()


def test_the_page_lists_the_questions_to_ask_and_their_source(client, harbor):
    from programs import questions

    response = get_page(client, harbor)
    text = page_text(response)
    assert "Questions to ask when you call" in text
    for entry in questions.QUESTIONS:
        assert f"{entry['topic']}: {entry['question']}" in text
    assert "NIAAA Alcohol Treatment Navigator" in text
    assert 'href="https://alcoholtreatment.niaaa.nih.gov/"' in response.content.decode()


def test_signs_of_quality_include_medication_for_opioid_use_disorder(client, harbor):
    harbor.services.add(*Service.objects.filter(slug__in=["naltrexone", "buprenorphine"]))
    text = page_text(get_page(client, harbor))
    assert "Medication for opioid use disorder Offered here: Buprenorphine, Naltrexone" in text


def test_no_medication_listed_says_so(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "Medication for opioid use disorder None listed — ask the program" in text


def test_the_last_check_says_when_and_by_whom(client, harbor):
    text = page_text(get_page(client, harbor))
    assert "Last verified Oct. 5, 2026, by an IOP Finder curator" in text


def test_one_day_a_week_is_singular(client):
    program = make_program(tracks=[{"days_per_week_min": 1, "days_per_week_max": 1}])
    text = page_text(get_page(client, program))
    assert "1 day/week ·" in text
    assert "1 days/week" not in text


def test_in_spanish_dollars_and_miles_are_written_as_the_result_cards_write_them(client, harbor):
    from django.utils import translation

    from programs import display

    response = client.get(
        reverse("programs:detail", args=[harbor.pk]), {"near": "94103"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "$3,000-$10,000" in page
    assert "$250-$400" in page
    assert "3\xa0000" not in page
    sf = places.place_of_zip("94103")
    miles = places.miles_between((sf.latitude, sf.longitude), (37.8044, -122.2712))
    with translation.override("es"):
        written = display.miles(miles)
    assert written == f"{miles:.1f}".replace(".", ",")
    assert f"{written} millas" in page_text(response)
