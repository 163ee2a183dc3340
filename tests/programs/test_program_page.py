"""The program page shows every fact a person compares, and only for published listings."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
    assert "003_6f45defad1b00d45.txt" in text


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
    assert '<a class="call-link" href="tel:+1-510-555-0134">Call (510) 555-0134</a>' in page
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
    with CaptureQueriesContext(connection) as small_queries:
        assert get_page(client, small).status_code == 200
    with CaptureQueriesContext(connection) as big_queries:
        assert get_page(client, harbor).status_code == 200
    assert len(big_queries) == len(small_queries)
    assert len(small_queries) <= 8


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
