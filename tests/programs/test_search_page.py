"""The results page /programs/: counts, chips, facets, pagination, errors, empty state."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import add_terms, make_program, make_provider, make_site, make_site_at_zip

pytestmark = pytest.mark.django_db

OAKLAND = "94612"


def card_names(html: str) -> list[str]:
    return re.findall(
        r'<h2 class="card-title"><a href="[^"]+">([^<]+)<span class="visually-hidden">', html
    )


def get(client, query: str):
    response = client.get(f"/programs/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_cards_show_what_a_person_compares(client):
    program = make_program(
        name="Evening IOP",
        tracks=[{"length_weeks_min": 8, "length_weeks_max": 12}],
        payments=["medicaid", "sliding_scale"],
        cost_per_session_min=Decimal("250"),
        cost_per_session_max=Decimal("400"),
        last_verified_on=date(2026, 3, 2),
        is_sample=True,
    )
    html = get(client, f"near={OAKLAND}")
    assert card_names(html) == ["Evening IOP"]
    assert f'href="/programs/{program.pk}/?near={OAKLAND}"' in html
    assert "Intensive outpatient (IOP)" in html
    assert "3 days/week · 3 h/day · evenings · 8-12 weeks · about 9 h/week" in html
    assert "$250-$400 per session" in html
    assert "Accepts: Medicaid, Sliding fee scale" in html
    assert "0.4 miles away" in html
    assert "Last verified March 2, 2026" in html
    assert "Sample listing" in html
    assert "1 program found" in html


def test_telehealth_programs_in_the_state_show_telehealth_instead_of_miles(client):
    make_program(
        name="Video IOP",
        format="telehealth",
        site=make_site(city="Fresno", zip_code="93721", latitude=36.7378, longitude=-119.7871),
    )
    html = get(client, f"near={OAKLAND}")
    assert card_names(html) == ["Video IOP"]
    assert "Telehealth (serves your state)" in html
    assert "miles away" not in html


def test_facet_counts_say_how_many_programs_each_choice_would_give(client):
    make_program(name="A", level_of_care="iop", payments=["medicaid"])
    make_program(name="B", level_of_care="iop", payments=["sliding_scale"])
    make_program(name="C", level_of_care="php", payments=["medicaid"])
    html = get(client, "level=iop")

    def count_for(name, value):
        match = re.search(
            rf'name="{name}" value="{value}"[^>]*>\s*<label[^>]*>[^<]*'
            rf'<span class="facet-count">\((\d+)',
            html,
        )
        assert match, f"no facet count for {name}={value}"
        return int(match.group(1))

    assert count_for("level", "iop") == 2  # chosen: today's count
    assert count_for("level", "php") == 3  # iop OR php
    assert count_for("level", "outpatient") == 2
    assert count_for("payment", "medicaid") == 1  # within today's IOP results
    assert count_for("payment", "sliding_scale") == 1
    assert count_for("payment", "self_pay") == 0


def test_active_filters_are_chips_that_remove_one_value(client):
    make_program(name="A", payments=["medicaid"])
    html = get(client, "payment=medicaid&payment=sliding_scale&level=iop&page=1")
    chips = dict(
        (label.strip(), url.replace("&amp;", "&"))
        for url, label in re.findall(
            r'<a class="chip" href="([^"]+)"><span class="visually-hidden">Remove: </span>'
            r"([^<]+)<",
            html,
        )
    )
    assert chips["Medicaid"] == "?payment=sliding_scale&level=iop"
    assert chips["Sliding fee scale"] == "?payment=medicaid&level=iop"
    assert chips["Intensive outpatient (IOP)"] == "?payment=medicaid&payment=sliding_scale"


def test_pagination_keeps_every_filter(client):
    for number in range(25):
        make_program(name=f"Program {number:02}", payments=["medicaid"])
    make_program(name="Cash only", payments=["self_pay"])
    first = get(client, "payment=medicaid&sort=name")
    assert len(card_names(first)) == 20
    assert "25 programs found" in first
    assert 'href="?payment=medicaid&amp;sort=name&amp;page=2"' in first
    second = get(client, "payment=medicaid&sort=name&page=2")
    assert card_names(second) == [f"Program {n:02}" for n in range(20, 25)]
    assert "Page 2 of 2" in second


def test_a_zip_code_that_does_not_exist_is_explained_at_the_field(client):
    make_program(name="A")
    html = get(client, "near=99999")
    assert "99999 is not a US ZIP code." in html
    assert 'id="id_near_error"' in html
    assert 'aria-invalid="true"' in html
    assert card_names(html) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("near=123", "Enter a 5-digit ZIP code, like 94103."),
        ("near=94612&radius=500", "Ensure this value is less than or equal to 100."),
        ("level=rehab", "Select a valid choice. rehab is not one of the available choices."),
        ("max_days_per_week=nine", "Enter a whole number."),
        ("max_cost_per_session=-5", "Ensure this value is greater than or equal to 0."),
        ("sort=cheapest", "Select a valid choice. cheapest is not one of the available choices."),
    ],
)
def test_bad_input_gives_a_message_not_an_error_page(client, query, message):
    html = get(client, query)
    assert message in html
    assert "Please check your search" in html


def test_empty_results_suggest_what_to_loosen(client):
    far = make_site(city="Sacramento", zip_code="95814", latitude=38.5804, longitude=-121.4944)
    make_program(name="Far away", site=far, cost_per_session_min=Decimal("500"))
    html = get(client, f"near={OAKLAND}&radius=10&max_cost_per_session=100&max_weeks=4")
    assert "No programs match all of these choices." in html
    assert "Look up to 100 miles away" in html
    assert "Include programs whose cost is not yet verified" in html
    assert "Remove the schedule limits" in html


def test_the_number_of_queries_does_not_grow_with_the_results(client):
    def queries_for(count: int) -> int:
        for _ in range(count):
            program = make_program(payments=["medicaid", "self_pay"], tracks=[{}])
            add_terms(program, services=["dbt"])
        query = f"near={OAKLAND}&payment=medicaid&level=iop&time_of_day=evening&service=dbt"
        with CaptureQueriesContext(connection) as captured:
            html = get(client, query)
        assert len(card_names(html)) == min(count, 20)
        return len(captured)

    few = queries_for(5)
    many = queries_for(45)  # 50 in all
    assert few == many


def test_accreditation_is_in_the_panel_with_counts_and_chips(client):
    add_terms(make_program(name="Joint"), accreditations=["joint_commission"])
    add_terms(make_program(name="CARF"), accreditations=["carf"])
    html = get(client, "accreditation=carf")
    assert card_names(html) == ["CARF"]
    assert "<legend>Accreditation</legend>" in html
    assert re.search(
        r'name="accreditation" value="joint_commission"[^>]*>\s*<label[^>]*>The Joint Commission'
        r' <span class="facet-count">\(2',  # CARF or the Joint Commission: both programs
        html,
    )
    assert '<a class="chip" href="?"><span class="visually-hidden">Remove: </span>CARF' in html
    spanish = client.get("/programs/?accreditation=carf", HTTP_ACCEPT_LANGUAGE="es")
    assert "<legend>Acreditación</legend>" in spanish.content.decode()


def test_a_schedule_or_cost_filter_says_how_many_unverified_programs_it_left_out(client):
    """Most real listings have no verified schedule or cost: a filter on them says how many
    programs it left out for that, with one click to include them."""
    make_program(name="Evening IOP", tracks=[{"time_of_day": "evening"}], cost_per_session_min=90)
    make_program(name="Unverified A")
    make_program(name="Unverified B")
    page = html.unescape(client.get("/programs/?time_of_day=evening").content.decode())
    assert "1 program found" in page
    assert "2 more programs may fit, but their schedule is not yet verified." in page
    assert "their cost" not in page
    include = client.get("/programs/?time_of_day=evening&include_unknown_schedule=1")
    text = html.unescape(include.content.decode())
    assert "3 programs found" in text and "may fit" not in text
    assert "Including schedules not yet verified" in text  # its chip, to undo it
    page = html.unescape(client.get("/programs/?max_cost_per_session=100").content.decode())
    assert "2 more programs may fit, but their cost is not yet verified." in page
    assert "Include programs whose cost is not yet verified</a>" in page
    assert (
        'href="?max_cost_per_session=100&amp;include_unknown_cost=1"'
        in client.get("/programs/?max_cost_per_session=100").content.decode()
    )


def test_one_program_left_out_is_said_in_the_singular(client):
    make_program(name="Morning IOP", tracks=[{"time_of_day": "morning"}])
    make_program(name="Unverified")
    page = html.unescape(client.get("/programs/?time_of_day=evening").content.decode())
    assert "1 more program may fit, but its schedule is not yet verified." in page


# From a search to a first call (issue 13)


def test_a_zip_code_typed_as_words_searches_near_it(client):
    """The home page has one box: a ZIP code typed there (or in the words box) searches
    near it, keeping the other choices; saved links with ?q=43215 land there too."""
    response = client.get("/programs/?q=+43215+&level=iop&page=2")
    assert response.status_code == 302
    assert response["Location"] == "/programs/?level=iop&near=43215"
    # The results page's own form sends an empty ZIP code box and the radius.
    response = client.get("/programs/?q=43215&near=&radius=10")
    assert response["Location"] == "/programs/?near=43215&radius=10"


def test_the_home_page_search_finds_programs_near_a_zip_code(client):
    make_program(name="Scioto IOP", site=make_site_at_zip("43215", city="Columbus"))
    make_program(name="Far away", site=make_site_at_zip("94612", city="Oakland"))
    home = client.get("/").content.decode()
    assert re.search(r'<form action="/programs/" method="get"[^>]*>\s*<label for="hero-q">', home)
    assert '<input id="hero-q" name="q"' in home
    response = client.get("/programs/", {"q": "43215"}, follow=True)
    assert response.redirect_chain == [("/programs/?near=43215", 302)]
    page = response.content.decode()
    assert card_names(page) == ["Scioto IOP"]
    assert "Within 25 miles of 43215" in page


@pytest.mark.parametrize(
    "query", ["q=Columbus", "q=99999", "q=4321", "q=432150", "q=43215+IOP", "q=43215&near=94612"]
)
def test_words_that_are_not_only_a_zip_code_stay_words(client, query):
    """Not a ZIP code we can place, more than one, or a ZIP code already given."""
    assert client.get(f"/programs/?{query}").status_code == 200


def calls(page: str) -> list[tuple[str, str, str]]:
    """Each card's call button: (its tel: address, what it shows, the program it names)."""
    return re.findall(
        r'<a class="button card-call-link" href="([^"]+)">([^<]+)'
        r'<span class="visually-hidden">, ([^<]+)</span></a>',
        page,
    )


def test_each_card_calls_the_program_or_else_its_provider(client):
    make_program(name="A own number with extension", phone="626-797-1124 x116")
    make_program(
        name="B provider number",
        site=make_site(provider=make_provider(phone="(510) 555-0134")),
    )
    make_program(name="C letters", phone="1-800-GET-HELP")
    make_program(name="D no number")
    page = get(client, "sort=name")
    assert calls(page) == [
        ("tel:+1-626-797-1124;ext=116", "Call 626-797-1124 x116", "A own number with extension"),
        ("tel:+1-510-555-0134", "Call (510) 555-0134", "B provider number"),
    ]
    # A number that cannot be dialled is shown, not linked; no number, no line.
    assert '<p class="card-call">Call 1-800-GET-HELP</p>' in page
    assert page.count('class="card-call"') == 3


def test_calling_from_the_cards_costs_no_query_per_card(client):
    def queries_for(count: int) -> int:
        for _ in range(count):
            make_program(site=make_site(provider=make_provider(phone="(510) 555-0134")))
        with CaptureQueriesContext(connection) as captured:
            page = get(client, f"near={OAKLAND}")
        assert len(calls(page)) == min(count, 20)
        return len(captured)

    assert queries_for(2) == queries_for(20)


def test_result_links_say_the_city_and_level_of_programs_of_the_same_name(client):
    for city, zip_code, level in (("Pasadena", "91101", "iop"), ("Pasadena", "91101", "php")):
        make_program(
            name="Elijahs House", site=make_site_at_zip(zip_code, city=city), level_of_care=level
        )
    make_program(name="Elijahs House", site=make_site_at_zip("95814", city="Sacramento"))
    titles = re.findall(
        r'<h2 class="card-title"><a href="[^"]+">([^<]+)'
        r'<span class="visually-hidden">([^<]+)</span></a></h2>',
        get(client, "q=Elijahs"),
    )
    assert sorted(titles) == [
        ("Elijahs House", ", Pasadena, Intensive outpatient (IOP)"),
        ("Elijahs House", ", Pasadena, Partial hospitalization (PHP)"),
        ("Elijahs House", ", Sacramento, Intensive outpatient (IOP)"),
    ]


def test_a_skip_link_leads_to_the_results_heading(client):
    page = get(client, "")
    skips = re.findall(r'<a class="skip-link" href="#([^"]+)">([^<]+)</a>', page)
    assert skips == [("main", "Skip to main content"), ("results-heading", "Skip to results")]
    assert '<p id="results-heading" class="result-count" tabindex="-1">' in page
