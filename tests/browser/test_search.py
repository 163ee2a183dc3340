import re

import pytest
from playwright.sync_api import expect

from tests.factories import add_terms, make_program, make_site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def catalogue():
    oakland = make_site(city="Oakland")
    berkeley = make_site(city="Berkeley", zip_code="94704", latitude=37.8665, longitude=-122.2576)
    make_program(
        name="Lakeside Evening IOP",
        site=oakland,
        payments=["medicaid", "sliding_scale"],
        tracks=[{"time_of_day": "evening", "length_weeks_min": 8, "length_weeks_max": 12}],
    )
    make_program(
        name="Campus Evening IOP",
        site=berkeley,
        payments=["medicaid"],
        tracks=[{"time_of_day": "evening", "days_per_week_min": 4, "days_per_week_max": 4}],
    )
    make_program(
        name="Sunrise Morning IOP",
        site=oakland,
        payments=["medicaid"],
        tracks=[{"time_of_day": "morning"}],
    )
    make_program(
        name="Bayview PHP", site=oakland, level_of_care="php", payments=["private_insurance"]
    )


def test_a_person_filters_to_evening_iop_with_medicaid_near_them(
    page, assert_accessible, screenshot
):
    catalogue()
    page.goto("/programs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a program")
    assert_accessible("on the search page")

    page.get_by_label("ZIP code").fill("94612")
    page.get_by_text("Filter results").click()
    page.get_by_role("checkbox", name=re.compile(r"^Intensive outpatient")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Medicaid")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Evenings")).check()
    screenshot("filters-open")
    with page.expect_navigation():
        page.get_by_role("button", name="Show results").click()

    assert "level=iop" in page.url and "payment=medicaid" in page.url
    assert "time_of_day=evening" in page.url and "near=94612" in page.url
    assert "2 programs found" in page.locator(".result-count").inner_text()
    cards = page.locator(".program-card")
    assert cards.count() == 2
    expect(cards.nth(0).locator(".card-title a")).to_have_accessible_name(
        re.compile(r"^Lakeside Evening IOP\s?, Oakland, Intensive outpatient \(IOP\)$")
    )
    assert re.search(r"\d+\.\d miles away", cards.nth(1).inner_text())
    expect(page.get_by_role("link", name=re.compile("Remove: Medicaid"))).to_be_visible()
    screenshot("results")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible("on the search results")

    page.get_by_role("link", name="Campus Evening IOP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campus Evening IOP")
    expect(page.get_by_text(re.compile(r"^\d+\.\d miles from 94612$"))).to_be_visible()
    screenshot("program-from-search")

    # On to comparing two of the results, in the same visit.
    page.get_by_role("button", name="Add to shortlist").click()
    # The form posts and comes back to the program: wait for that before going back.
    page.get_by_role("link", name="Shortlist (1)").wait_for()
    page.go_back()
    page.go_back()
    assert "2 programs found" in page.locator(".result-count").inner_text()
    page.get_by_role("link", name="Lakeside Evening IOP").click()
    page.get_by_role("button", name="Add to shortlist").click()
    page.get_by_role("link", name="Shortlist (2)").click()
    page.get_by_role("button", name="Compare these").click()
    table = page.get_by_role("table", name="2 programs side by side")
    expect(table).to_be_visible()
    headers = " ".join(table.get_by_role("columnheader").all_inner_texts())
    assert "Campus Evening IOP" in headers and "Lakeside Evening IOP" in headers
    # Distances from the ZIP code searched, without typing it again.
    distances = page.get_by_role("row", name="Distance from 94612")
    expect(distances.get_by_role("cell")).to_have_count(2)
    assert " miles" in distances.inner_text()
    screenshot("compare-from-search")
    assert_accessible("on the compare page")


def test_a_wrong_zip_code_is_explained_and_the_page_stays_accessible(
    page, assert_accessible, screenshot
):
    catalogue()
    page.goto("/programs/?near=99999")
    assert "99999 is not a US ZIP code." in page.locator(".error-summary").inner_text()
    assert page.get_by_label("ZIP code").get_attribute("aria-invalid") == "true"
    screenshot("bad-zip")
    assert_accessible("with a ZIP code error")


def test_on_a_wide_screen_filters_sit_beside_the_results(page, assert_accessible, screenshot):
    catalogue()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/programs/?level=php&level=iop&near=94612")
    assert page.locator("#filters").get_attribute("open") is not None
    screenshot("wide")
    assert_accessible("on a wide screen")
    page.goto("/programs/?level=outpatient&near=94612&radius=10")
    assert "No programs match all of these choices." in page.inner_text("main")
    screenshot("empty")
    assert_accessible("with no results")


def test_accreditation_is_a_filter_in_the_folded_list(page, assert_accessible, screenshot):
    catalogue()
    accredited = make_program(name="Harbor Accredited IOP", site=make_site(city="Oakland"))
    add_terms(accredited, accreditations=["carf"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/programs/?near=94612")
    page.get_by_text("More filters:").click()
    carf = page.get_by_role("checkbox", name=re.compile(r"^CARF"))
    expect(carf).to_have_accessible_name(re.compile(r"CARF \(1 program\s*\)"))
    carf.check()
    screenshot("accreditation-open")
    with page.expect_navigation():
        page.get_by_role("button", name="Show results").click()
    assert "accreditation=carf" in page.url
    expect(page.locator(".result-count")).to_have_text("1 program found")
    expect(page.get_by_role("link", name="Remove: CARF")).to_be_visible()
    # Something chosen in the folded list keeps it open.
    assert page.locator("details.more-filters").get_attribute("open") is not None
    assert_accessible("with an accreditation chosen")
