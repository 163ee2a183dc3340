"""A screen that needs more care than an IOP leads to real places near the person, crisis first."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_screening import choose, next_step
from tests.factories import make_program, make_site_at_zip

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NEAR = "43215"  # Columbus, Ohio


def places():
    """Care above PHP near the ZIP and far from it, and an IOP near it."""
    columbus = make_site_at_zip(NEAR, city="Columbus")
    make_program(name="Scioto Residential Recovery", level_of_care="residential", site=columbus)
    make_program(name="Riverside Hospital Unit", level_of_care="inpatient", site=columbus)
    make_program(name="High Street Detox", level_of_care="detox", site=columbus)
    make_program(name="Columbus Evening IOP", level_of_care="iop", site=columbus)
    oakland = make_site_at_zip("94612", city="Oakland")
    make_program(name="Lake Merritt Residential", level_of_care="residential", site=oakland)


def take_the_screen(page, *, withdrawal: str, round_the_clock: str, zip_code: str = "") -> None:
    page.goto("/screening/")
    choose(page, "Right now, are you thinking about ending your life", "No")
    next_step(page)
    choose(page, "When you stop or cut down", withdrawal)
    choose(page, "Do you have a serious health", round_the_clock)
    next_step(page)
    choose(page, "What do you want help with?", "Alcohol or drugs")
    choose(page, "How much is this getting in the way", "Quite a lot")
    next_step(page)
    choose(page, "In the last 3 months", "None")
    next_step(page)
    choose(page, "How much does your home help", "Some")
    choose(page, "Do you have work, school", "No")
    next_step(page)
    choose(page, "How many hours a week", "9 to 19 hours")
    choose(page, "How would you go to a program?", "In person")
    next_step(page)
    if zip_code:
        page.get_by_label("Your ZIP code").fill(zip_code)
    with page.expect_navigation():
        page.get_by_role("button", name="See my result").click()


def result_names(page) -> set[str]:
    """The programs found; a card's link also names its city and level for screen readers."""
    links = page.locator(".program-card .card-title a").all_inner_texts()
    return {text.split(",")[0].strip() for text in links}


def test_hospital_care_leads_to_hospitals_and_residential_programs_near_the_zip(
    page, screenshot, assert_accessible
):
    places()
    take_the_screen(
        page,
        withdrawal="Nothing much, or I do not use alcohol or drugs",
        round_the_clock="Yes",
        zip_code=NEAR,
    )

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Start with inpatient care")).to_be_visible()
    link = main.get_by_role("link", name=f"See hospitals and residential programs near {NEAR}")
    expect(link).to_be_visible()
    expect(
        main.get_by_text("This is more care than an IOP. Starting there is a safe first step.")
    ).to_be_visible()

    # Crisis help stays first: the crisis lines sit above the link, in reading order too.
    crisis = page.get_by_role("complementary", name="Need help now?")
    call_988 = crisis.get_by_role("link", name="Call or text 988")
    expect(call_988).to_be_visible()
    assert call_988.bounding_box()["y"] < link.bounding_box()["y"]
    assert page.evaluate(
        "([a, b]) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)",
        [call_988.element_handle(), link.element_handle()],
    )
    headings = main.get_by_role("heading", level=2).all_inner_texts()
    assert headings[0] == "Start with inpatient care"
    path = screenshot("hospital-result")
    assert path.exists()
    assert_accessible("on a result that needs hospital care")

    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200
    url = urlsplit(page.url)
    assert url.path == "/programs/"
    assert parse_qsl(url.query) == [
        ("level", "inpatient"),
        ("level", "residential"),
        ("near", NEAR),
    ]
    expect(page.locator(".program-card").first).to_be_visible()
    assert result_names(page) == {"Scioto Residential Recovery", "Riverside Hospital Unit"}
    screenshot("hospital-places")
    assert_accessible("on the search for hospital and residential care")


def test_detox_without_a_zip_asks_for_one_and_then_finds_detox_near_it(
    page, screenshot, assert_accessible
):
    places()
    take_the_screen(
        page,
        withdrawal="I get very sick, or I use heavily every day",
        round_the_clock="No",
    )

    main = page.get_by_role("main")
    expect(
        main.get_by_role("heading", name="Start with medically supervised detox")
    ).to_be_visible()
    expect(main.get_by_role("link", name="See places that offer detox", exact=True)).to_be_visible()
    zip_field = main.get_by_label("Add your ZIP code to see the places nearest you")
    expect(zip_field).to_be_visible()
    screenshot("detox-result-no-zip")
    assert_accessible("on a detox result without a ZIP")

    zip_field.fill(NEAR)
    with page.expect_navigation() as navigation:
        main.locator(".more-care-zip").get_by_role("button", name="Search").click()
    assert navigation.value.status == 200
    assert parse_qsl(urlsplit(page.url).query) == [("level", "detox"), ("near", NEAR)]
    expect(page.locator(".program-card").first).to_be_visible()
    assert result_names(page) == {"High Street Detox"}
    screenshot("detox-places")
