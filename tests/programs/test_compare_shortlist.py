"""A shortlist kept in the session (no account), shared by link, and compare up to four programs."""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import places, shortlist
from programs.models import Program
from tests.factories import make_program, make_site

pytestmark = pytest.mark.django_db

SHORTLIST = reverse("programs:shortlist")
COMPARE = reverse("programs:compare")


def add(client, program_or_pk, **extra):
    pk = getattr(program_or_pk, "pk", program_or_pk)
    return client.post(reverse("programs:shortlist_add"), {"program": pk, **extra})


def remove(client, program):
    return client.post(reverse("programs:shortlist_remove"), {"program": program.pk})


def names_on(page: str) -> list[str]:
    """Program names in card titles, in order."""
    return re.findall(
        r'<h2 class="card-title"><a href="[^"]+">([^<]+)<span class="visually-hidden">', page
    )


# Shortlist


def test_added_programs_are_listed_in_order_with_their_cards(client):
    first, second = make_program(name="Harbor IOP"), make_program(name="Bay PHP")
    add(client, first)
    add(client, second)
    page = client.get(SHORTLIST).content.decode()
    assert names_on(page) == ["Harbor IOP", "Bay PHP"]
    assert "Shortlist (2)" in page
    assert "Print" in page


def test_adding_returns_to_the_page_it_came_from_with_a_message(client):
    program = make_program(name="Harbor IOP")
    back = reverse("programs:detail", args=[program.pk])
    response = add(client, program, next=back)
    assert response.status_code == 302
    assert response["Location"] == back
    assert "Harbor IOP is on your shortlist." in client.get(back).content.decode()


def test_adding_never_redirects_to_another_site(client):
    program = make_program()
    response = add(client, program, next="https://evil.example.com/")
    assert response["Location"] == reverse("programs:detail", args=[program.pk])


def test_adding_twice_keeps_one_entry(client):
    program = make_program()
    add(client, program)
    add(client, program)
    assert shortlist.program_ids(client.session) == [program.pk]


def test_removing_takes_a_program_off(client):
    keep, drop = make_program(name="Keep IOP"), make_program(name="Drop IOP")
    add(client, keep)
    add(client, drop)
    response = remove(client, drop)
    assert response["Location"] == SHORTLIST
    page = client.get(SHORTLIST).content.decode()
    assert names_on(page) == ["Keep IOP"]
    assert "Removed from your shortlist." in page


def test_the_shortlist_holds_at_most_twenty(client):
    programs = [make_program() for _ in range(shortlist.LIMIT + 1)]
    for program in programs[: shortlist.LIMIT]:
        add(client, program)
    response = add(client, programs[-1], next=SHORTLIST)
    assert shortlist.program_ids(client.session) == [p.pk for p in programs[: shortlist.LIMIT]]
    page = client.get(response["Location"]).content.decode()
    assert "Your shortlist is full (20 programs)." in page
    assert len(names_on(page)) == shortlist.LIMIT


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ARCHIVED])
def test_unpublished_programs_cannot_be_added(client, status):
    hidden = make_program(status=status)
    add(client, hidden)
    add(client, 999999)
    add(client, "not-a-number")
    assert shortlist.program_ids(client.session) == []


def test_programs_unpublished_later_are_silently_dropped(client):
    stays, goes = make_program(name="Stays IOP"), make_program(name="Goes IOP")
    add(client, stays)
    add(client, goes)
    Program.objects.filter(pk=goes.pk).update(status=Program.Status.ARCHIVED)
    page = client.get(SHORTLIST).content.decode()
    assert names_on(page) == ["Stays IOP"]
    assert shortlist.program_ids(client.session) == [stays.pk]


def test_empty_shortlist_says_how_to_fill_it(client):
    page = client.get(SHORTLIST).content.decode()
    assert "Your shortlist is empty." in page
    assert "Shortlist (0)" in page


def test_share_link_shows_a_read_only_shortlist_to_anyone(client):
    first, second = make_program(name="Harbor IOP"), make_program(name="Bay PHP")
    add(client, second)
    add(client, first)
    share_url = f"http://testserver{SHORTLIST}?ids={second.pk},{first.pk}"
    assert share_url in client.get(SHORTLIST).content.decode()

    someone_else = Client()
    page = someone_else.get(f"{SHORTLIST}?ids={second.pk},{first.pk}").content.decode()
    assert "A shared shortlist" in page
    assert names_on(page) == ["Bay PHP", "Harbor IOP"]
    assert reverse("programs:shortlist_remove") not in page
    assert shortlist.program_ids(someone_else.session) == []


def test_shared_link_leaves_out_unpublished_and_nonsense_ids(client):
    shown = make_program(name="Shown IOP")
    draft = make_program(name="Draft IOP", status=Program.Status.DRAFT)
    page = client.get(f"{SHORTLIST}?ids={draft.pk},x,{shown.pk},-3,{shown.pk}").content.decode()
    assert names_on(page) == ["Shown IOP"]


def test_shortlist_offers_compare_with_checkboxes(client):
    programs = [make_program() for _ in range(5)]
    for program in programs:
        add(client, program)
    page = client.get(SHORTLIST).content.decode()
    assert f'<form id="compare-form" method="get" action="{COMPARE}"' in page
    assert "Compare these" in page
    boxes = re.findall(r'<input type="checkbox" name="ids" value="(\d+)"[^>]*>', page)
    assert boxes == [str(p.pk) for p in programs]
    assert page.count('form="compare-form" checked') == 4


def test_shortlist_query_count_does_not_grow_with_its_length(client):
    programs = [make_program(payments=["medicaid", "free"]) for _ in range(6)]
    add(client, programs[0])
    with CaptureQueriesContext(connection) as one:
        client.get(SHORTLIST)
    for program in programs[1:]:
        add(client, program)
    with CaptureQueriesContext(connection) as six:
        page = client.get(SHORTLIST).content.decode()
    assert len(names_on(page)) == 6
    assert len(six) == len(one)


def test_parse_ids_keeps_order_drops_repeats_and_stops_at_the_limit():
    assert shortlist.parse_ids(["3,1", "3", " 2 ,abc,0,-4"], limit=10) == [3, 1, 2]
    assert shortlist.parse_ids(["1,2,3,4,5,6"], limit=5) == [1, 2, 3, 4, 5]
    assert shortlist.parse_ids(["99999999999999999999999"], limit=5) == []
    assert shortlist.parse_ids(["²,١,1"], limit=5) == [1]


ODD_IDS = ["", ",,,", "1e5", "²", "١٢", "0x10", "-1", "1;2", "9" * 40, "%00", "1,,2,x"]


@pytest.mark.parametrize("ids", ODD_IDS)
def test_odd_ids_never_break_the_pages(client, ids):
    make_program()
    assert client.get(SHORTLIST, {"ids": ids}).status_code == 200
    assert client.get(COMPARE, {"ids": ids, "near": ids}).status_code == 200
    assert add(client, ids).status_code == 302
    assert client.post(reverse("programs:shortlist_remove"), {"program": ids}).status_code == 302


# Compare


def compare_page(client, ids, **params):
    return client.get(COMPARE, {"ids": ",".join(str(pk) for pk in ids), **params})


def column_names(page: str) -> list[str]:
    return re.findall(r'<th scope="col"><a href="[^"]+">([^<]+)</a>', page)


def test_compare_shows_programs_side_by_side(client):
    first = make_program(
        name="Harbor IOP",
        tracks=[{"length_weeks_min": 8, "length_weeks_max": 12}],
        payments=["medicaid"],
        cost_per_session_min=250,
        cost_per_session_max=400,
    )
    second = make_program(name="Bay PHP", level_of_care=Program.LevelOfCare.PHP)
    response = compare_page(client, [first.pk, second.pk])
    assert response.status_code == 200
    page = response.content.decode()
    assert column_names(page) == ["Harbor IOP", "Bay PHP"]
    assert 'role="region" aria-labelledby="compare-caption" tabindex="0"' in page
    for row in [
        "Level of care",
        "Days per week",
        "Hours per day",
        "Hours per week",
        "Length",
        "Times of day",
        "Cost per session",
        "Payment accepted",
        "Services",
        "Format",
        "Last verified",
    ]:
        assert f'<th scope="row">{row}</th>' in page
    assert "8-12 weeks" in page
    assert "$250-$400" in page
    assert "Medicaid" in page
    assert "Partial hospitalization (PHP)" in page
    assert "Distance from" not in page


def test_compare_query_count_does_not_grow_with_the_programs(client):
    programs = [make_program(tracks=[{}], payments=["medicaid"]) for _ in range(4)]
    compare_page(client, [programs[0].pk], near="94103")  # the search copy read once
    with CaptureQueriesContext(connection) as two:
        compare_page(client, [p.pk for p in programs[:2]], near="94103")
    with CaptureQueriesContext(connection) as four:
        compare_page(client, [p.pk for p in programs], near="94103")
    assert len(four) == len(two)


def test_compare_accepts_repeated_ids_from_the_checkbox_form(client):
    first, second = make_program(name="Harbor IOP"), make_program(name="Bay PHP")
    page = client.get(f"{COMPARE}?ids={second.pk}&ids={first.pk}").content.decode()
    assert column_names(page) == ["Bay PHP", "Harbor IOP"]


def test_compare_shows_at_most_four_and_says_so(client):
    programs = [make_program(name=f"Program {letter}") for letter in "ABCDE"]
    page = compare_page(client, [p.pk for p in programs]).content.decode()
    assert column_names(page) == ["Program A", "Program B", "Program C", "Program D"]
    assert "You can compare up to 4 programs at a time, so this shows the first 4." in page


def test_four_programs_give_no_warning(client):
    programs = [make_program() for _ in range(4)]
    page = compare_page(client, [p.pk for p in programs]).content.decode()
    assert len(column_names(page)) == 4
    assert "You can compare up to 4" not in page


def test_compare_leaves_out_unpublished_programs(client):
    shown = make_program(name="Shown IOP")
    other = make_program(name="Other IOP")
    hidden = make_program(name="Hidden IOP", status=Program.Status.ARCHIVED)
    page = compare_page(client, [hidden.pk, shown.pk, other.pk]).content.decode()
    assert column_names(page) == ["Shown IOP", "Other IOP"]


def test_compare_with_fewer_than_two_programs_explains_what_to_do(client):
    page = client.get(COMPARE).content.decode()
    assert "Choose two to four programs to compare." in page
    assert "<table" not in page


def test_distance_from_a_zip_code_in_miles(client):
    oakland = make_program(
        name="Oakland IOP", site=make_site(latitude=37.8044, longitude=-122.2712)
    )
    fresno = make_program(name="Fresno IOP", site=make_site(latitude=36.7378, longitude=-119.7871))
    online = make_program(name="Online IOP", format="telehealth")
    page = compare_page(client, [oakland.pk, fresno.pk, online.pk], near="94103").content.decode()
    assert '<th scope="row">Distance from 94103</th>' in page
    sf = places.place_of_zip("94103")
    to_oakland = places.miles_between((sf.latitude, sf.longitude), (37.8044, -122.2712))
    to_fresno = places.miles_between((sf.latitude, sf.longitude), (36.7378, -119.7871))
    assert 5 < to_oakland < 15
    assert 150 < to_fresno < 200
    assert f"{to_oakland:.1f} miles" in page
    assert f"{to_fresno:.1f} miles" in page
    assert "<td>Telehealth</td>" in page


@pytest.mark.parametrize("near", ["99999", "abcde", "9410"])
def test_a_bad_zip_code_gets_a_clear_message_not_an_error(client, near):
    programs = [make_program(), make_program()]
    response = compare_page(client, [p.pk for p in programs], near=near)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{near} is not a US ZIP code. Enter 5 digits, like 94103." in page
    assert 'aria-invalid="true" aria-describedby="near-error"' in page
    assert "Distance from" not in page


# The ZIP code a person searched near follows them to the program page, the shortlist and
# compare, so distances show without typing it again.


def test_result_cards_link_to_program_pages_that_keep_the_zip_code(client):
    program = make_program(name="Oakland IOP")
    near_page = client.get(reverse("programs:list"), {"near": "94612"}).content.decode()
    assert f'href="/programs/{program.pk}/?near=94612"' in near_page
    plain_page = client.get(reverse("programs:list")).content.decode()
    assert f'href="/programs/{program.pk}/"' in plain_page
    assert "?near=" not in plain_page


def test_program_page_shows_the_distance_from_the_zip_code(client):
    program = make_program(site=make_site(latitude=37.8044, longitude=-122.2712))
    page = client.get(reverse("programs:detail", args=[program.pk]), {"near": "94103"})
    sf = places.place_of_zip("94103")
    miles = places.miles_between((sf.latitude, sf.longitude), (37.8044, -122.2712))
    html = page.content.decode()
    assert f"{miles:.1f} miles from 94103" in html
    assert '<input type="hidden" name="near" value="94103">' in html
    assert f'value="/programs/{program.pk}/?near=94103"' in html  # back here after adding


@pytest.mark.parametrize("near", ["99999", "abcde", "", "9410<"])
def test_program_page_ignores_a_zip_code_it_cannot_place(client, near):
    program = make_program()
    response = client.get(reverse("programs:detail", args=[program.pk]), {"near": near})
    assert response.status_code == 200
    html = response.content.decode()
    assert "miles from" not in html
    assert 'name="near"' not in html


def test_compare_from_the_shortlist_measures_from_the_zip_code_searched(client):
    oakland = make_program(name="Oakland IOP")
    fresno = make_program(name="Fresno IOP", site=make_site(latitude=36.7378, longitude=-119.7871))
    add(client, oakland, near="94103")
    add(client, fresno)  # reached without a ZIP code: the one remembered stays
    shortlist_page = client.get(SHORTLIST).content.decode()
    assert '<input type="hidden" name="near" value="94103">' in shortlist_page
    page = compare_page(client, [oakland.pk, fresno.pk], near="94103").content.decode()
    assert '<th scope="row">Distance from 94103</th>' in page


def test_the_zip_code_is_forgotten_with_the_shortlist(client):
    program = make_program()
    add(client, program, near="94103")
    assert client.session[shortlist.PLACE_KEY] == "94103"
    remove(client, program)
    assert shortlist.PLACE_KEY not in client.session
    assert 'name="near"' not in client.get(SHORTLIST).content.decode()


def test_a_bad_zip_code_posted_with_a_program_is_not_kept(client):
    program = make_program()
    add(client, program, near="99999")
    assert shortlist.PLACE_KEY not in client.session
    assert shortlist.program_ids(client.session) == [program.pk]


def test_a_shared_shortlist_never_carries_the_visitors_zip_code(client):
    program = make_program()
    add(client, program, near="94103")
    shared = client.get(SHORTLIST, {"ids": str(program.pk)}).content.decode()
    assert 'name="near"' not in shared


def test_a_telehealth_only_program_page_gives_no_distance(client):
    program = make_program(format="telehealth", site=make_site(latitude=40.75, longitude=-73.99))
    html = client.get(reverse("programs:detail", args=[program.pk]), {"near": "94103"})
    assert "miles from" not in html.content.decode()
    assert '<input type="hidden" name="near" value="94103">' in html.content.decode()


# Calling and passing the list on (issue 13).


def sms_body(page: str) -> str:
    """The text-message link's body, decoded."""
    href = unescape(re.search(r'href="(sms:\?&amp;body=[^"]+)"', page)[1])
    return unquote(href.removeprefix("sms:?&body="))


def test_the_shortlist_is_shared_with_each_programs_name_phone_and_page(client):
    first = make_program(name="Harbor IOP", phone="(510) 555-0134")
    second = make_program(name="Bay PHP", phone="415-555-0111 ext. 12")
    add(client, first)
    add(client, second)
    page = client.get(SHORTLIST).content.decode()
    list_url = f"http://testserver{SHORTLIST}?ids={first.pk},{second.pk}"
    assert sms_body(page) == (
        "Treatment programs from IOP Finder:\n\n"
        f"Harbor IOP\nPhone: (510) 555-0134\nhttp://testserver/programs/{first.pk}/\n\n"
        f"Bay PHP\nPhone: 415-555-0111 ext. 12\nhttp://testserver/programs/{second.pk}/\n\n"
        f"All of them on one page:\n{list_url}"
    )
    assert "mailto:?subject=Treatment%20programs%20to%20look%20at&amp;body=" in page
    assert f'value="{list_url}" readonly' in page


def test_a_shared_shortlist_can_be_passed_on_again(client):
    program = make_program(name="Harbor IOP")
    page = Client().get(SHORTLIST, {"ids": str(program.pk)}).content.decode()
    assert "A shared shortlist" in page
    assert "Harbor IOP" in sms_body(page)


def test_the_shortlist_carries_the_questions_to_ask(client):
    add(client, make_program())
    page = client.get(SHORTLIST).content.decode()
    assert "Questions to ask when you call" in page
    assert "NIAAA Alcohol Treatment Navigator" in page


def test_an_empty_shortlist_offers_nothing_to_share(client):
    page = client.get(SHORTLIST).content.decode()
    assert "sms:?" not in page
    assert "Questions to ask when you call" not in page


def test_compare_has_a_tap_to_call_number_for_each_program(client):
    first = make_program(name="Harbor IOP", phone="626-797-1124 x116")
    second = make_program(name="Bay PHP", phone="")
    page = compare_page(client, [first.pk, second.pk]).content.decode()
    assert '<th scope="row">Phone</th>' in page
    assert (
        '<a class="call-link" href="tel:+1-626-797-1124;ext=116">626-797-1124 x116'
        '<span class="visually-hidden">, Harbor IOP</span></a>'
    ) in page
    assert "<td>Not known</td>" in page


def test_compare_writes_dollars_and_miles_as_the_result_cards_do_in_spanish(client):
    from django.utils import translation

    from programs import display

    first = make_program(total_cost_min=3000, total_cost_max=10000)
    second = make_program(
        cost_per_session_min=250, site=make_site(latitude=36.7378, longitude=-119.7871)
    )
    response = client.get(
        COMPARE, {"ids": f"{first.pk},{second.pk}", "near": "94103"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "$3,000-$10,000" in page
    assert "$250<" in page
    sf = places.place_of_zip("94103")
    miles = places.miles_between((sf.latitude, sf.longitude), (36.7378, -119.7871))
    with translation.override("es"):
        written = display.miles(miles)
    assert "," in written
    assert f"{written} millas" in page
