"""From a search to a first call, on a phone (issue 13): a ZIP code typed on the home page
searches near it, every result card calls its program in one tap, result links say which
program they are, a skip link jumps to the results, and no public page is wider than a
320 px screen. Nothing the pages load comes from anywhere but this site."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import make_program, make_provider, make_site_at_zip

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

COLUMBUS = "43215"
LONG_WEBSITE = (
    "https://www.central-ohio-behavioral-health-and-recovery-services.example/programs/"
    "intensive-outpatient/evening-track?utm_source=samhsa_directory&utm_medium=listing"
)
SMALL_PHONE = {"width": 320, "height": 640}


def catalogue() -> dict:
    columbus = make_site_at_zip(COLUMBUS, city="Columbus")
    scioto = make_program(
        name="Scioto Evening IOP",
        site=columbus,
        phone="614-555-0152 x116",
        payments=["medicaid"],
        tracks=[{"time_of_day": "evening", "length_weeks_min": 8, "length_weeks_max": 12}],
    )
    riverside_provider = make_provider(
        name="Central Ohio Behavioral Health and Recovery Services", phone="(614) 555-0100"
    )
    riverside = make_program(
        name="Riverside Morning IOP",
        site=make_site_at_zip(COLUMBUS, city="Columbus", provider=riverside_provider),
        website=LONG_WEBSITE,
        payments=["medicaid", "private_insurance"],
        tracks=[{"time_of_day": "morning"}],
    )
    day = make_program(
        name="Short North Day Program",
        site=make_site_at_zip("43201", city="Columbus"),
        level_of_care="php",
        phone="(614) 555-0177",
        tracks=[{"days_per_week_min": 5, "days_per_week_max": 5}],
    )
    return {"scioto": scioto, "riverside": riverside, "day": day}


def named(name: str) -> re.Pattern:
    """A link's whole accessible name. Chromium puts a space before the words a visually
    hidden span adds ("Call 614-555-0152 , Scioto"); screen readers do not say it."""
    return re.compile("^" + re.escape(name).replace(",", r"\s?,") + "$")


def record_requests(page) -> list[str]:
    """Every address the page asks for, from now on."""
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    return asked


def assert_only_this_site(asked: list[str], *, dialled: str = "") -> None:
    assert any("/static/css/site.css" in url for url in asked), "no requests were recorded"
    elsewhere = [
        url
        for url in asked
        if url != dialled and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert not elsewhere, f"requests left the site: {elsewhere}"


def test_from_a_zip_code_on_the_home_page_to_a_call_in_one_tap(page, screenshot, assert_accessible):
    catalogue()
    asked = record_requests(page)
    taps = []

    def tap(locator) -> None:
        taps.append(locator)
        locator.click()

    page.goto("/")
    page.get_by_label("Search by ZIP code, name, city or service").fill(COLUMBUS)
    screenshot("home-390")
    with page.expect_navigation():
        tap(page.get_by_role("button", name="Search", exact=True))
    assert parse_qs(urlsplit(page.url).query) == {"near": [COLUMBUS]}
    expect(page.get_by_label("ZIP code")).to_have_value(COLUMBUS)
    expect(page.locator(".result-count")).to_have_text("3 programs found")

    tap(page.get_by_text("Filter results"))
    tap(page.get_by_role("checkbox", name="Intensive outpatient"))
    with page.expect_navigation():
        tap(page.get_by_role("button", name="Show results"))
    assert parse_qs(urlsplit(page.url).query)["level"] == ["iop"]
    expect(page.locator(".result-count")).to_have_text("2 programs found")
    filtered = page.url
    screenshot("results-390")
    assert_accessible("on the filtered results")

    cards = page.locator(".program-card")
    expect(cards).to_have_count(2)
    for card in cards.all():
        expect(card.locator('a[href^="tel:"]')).to_have_count(1)
    # The program's own number, else its provider's.
    expect(
        page.get_by_role("link", name=named("Call (614) 555-0100, Riverside Morning IOP"))
    ).to_have_attribute("href", "tel:+1-614-555-0100")

    taps.clear()
    call = page.get_by_role("link", name=named("Call 614-555-0152 x116, Scioto Evening IOP"))
    with page.expect_request(lambda request: request.url.startswith("tel:")) as dialled:
        tap(call)
    assert dialled.value.url == "tel:+1-614-555-0152;ext=116"
    assert len(taps) <= 3
    assert page.url == filtered
    assert_only_this_site(asked, dialled=dialled.value.url)


def test_results_of_the_same_name_are_told_apart_by_city_and_level(page):
    for city, zip_code, level in (
        ("Pasadena", "91101", "iop"),
        ("Pasadena", "91101", "php"),
        ("Sacramento", "95814", "iop"),
    ):
        make_program(
            name="Elijahs House Treatment Center",
            site=make_site_at_zip(zip_code, city=city),
            level_of_care=level,
        )
    page.goto("/programs/?q=Elijahs+House")
    expect(page.locator(".program-card")).to_have_count(3)
    for name in (
        "Elijahs House Treatment Center, Pasadena, Intensive outpatient (IOP)",
        "Elijahs House Treatment Center, Pasadena, Partial hospitalization (PHP)",
        "Elijahs House Treatment Center, Sacramento, Intensive outpatient (IOP)",
    ):
        expect(page.get_by_role("link", name=named(name))).to_have_count(1)


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_a_skip_link_takes_the_keyboard_to_the_results(page, screenshot):
    catalogue()
    page.goto(f"/programs/?near={COLUMBUS}&level=iop")

    page.keyboard.press("Tab")
    assert focused(page) == "Skip to main content"
    page.keyboard.press("Tab")
    assert focused(page) == "Skip to results"
    expect(page.get_by_role("link", name="Skip to results")).to_be_in_viewport()
    screenshot("skip-link")
    page.keyboard.press("Enter")
    assert focused(page) == "results-heading"
    expect(page.locator("#results-heading")).to_be_in_viewport()
    screenshot("results-heading-focused")

    presses = 0
    while not page.evaluate("!!document.activeElement.closest('.program-card')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 6, f"still not at the first result after {presses} presses"
    expect(page.locator(".program-card").first.locator(".card-title a")).to_be_focused()


# Elements that reach past the right edge, outside boxes that scroll on their own: where to
# look when a page is too wide.
PAST_THE_EDGE = """width => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .filter(e => !e.parentElement.closest(".table-scroll, .visually-hidden"))
    .slice(-5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""


def walk_the_self_screen(page, measure) -> None:
    """Answer every step (not in danger; the last choice of each question) to the result."""
    page.goto("/screening/")
    for _step in range(12):
        next_button = page.locator('button[name="action"][value="next"]')
        if not next_button.count():
            break
        measure(f"self-screen: {page.locator('h1').inner_text()}")
        names = page.evaluate(
            "[...new Set([...document.querySelectorAll('input[type=radio]')].map(e => e.name))]"
        )
        for name in names:
            choices = page.locator(f'input[type="radio"][name="{name}"]')
            if name == "danger_now":
                choices = choices.and_(page.locator('[value="no"]'))
            choices.last.check()
        with page.expect_navigation():
            next_button.click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    measure("self-screen result", shot="screen-result-320")


def test_no_public_page_is_wider_than_a_small_phone(page, screenshot):
    programs = catalogue()
    asked = record_requests(page)
    page.set_viewport_size(SMALL_PHONE)
    too_wide = {}

    def measure(label: str, *, shot: str = "") -> None:
        if shot:
            screenshot(shot)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SMALL_PHONE["width"]:
            too_wide[label] = (width, page.evaluate(PAST_THE_EDGE, SMALL_PHONE["width"]))

    page.goto("/")
    measure("home", shot="home-320")
    page.goto(f"/programs/?near={COLUMBUS}")
    measure("results, filters closed", shot="results-320")
    page.get_by_text("Filter results").click()
    page.locator("details.more-filters > summary").click()
    measure("results, filters open", shot="results-filters-open-320")
    page.goto(f"/programs/?near={COLUMBUS}&level=iop&payment=medicaid&time_of_day=evening")
    measure("results with chips")
    page.goto("/programs/?near=99999")
    measure("results with an error")

    for number, (key, program) in enumerate(programs.items(), start=1):
        page.goto(f"/programs/{program.pk}/?near={COLUMBUS}")
        expect(page.get_by_role("heading", level=1)).to_have_text(program.name)
        if program.website:
            expect(page.get_by_role("link", name=program.website)).to_be_visible()
        measure(f"program page: {program.name}", shot=f"program-{key}-320")
        page.get_by_role("button", name="Add to shortlist").click()
        page.get_by_role("link", name=f"Shortlist ({number})").wait_for()

    page.goto("/shortlist/")
    measure("shortlist", shot="shortlist-320")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare these").click()
    expect(page.get_by_role("table")).to_be_visible()
    measure("compare", shot="compare-320")

    walk_the_self_screen(page, measure)
    page.goto("/screening/")
    page.get_by_label("Yes", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    measure("crisis", shot="crisis-320")

    for missing, shot in (("/programs/999999/", "no-program"), ("/no-such-page/", "no-page")):
        assert page.goto(missing).status == 404
        measure(f"not found: {missing}", shot=f"{shot}-320")

    assert not too_wide, f"pages wider than {SMALL_PHONE['width']} px: {too_wide}"
    assert_only_this_site(asked)
