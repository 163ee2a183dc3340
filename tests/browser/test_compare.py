"""A person keeps two programs on a shortlist, then compares them side by side, on a phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from programs import services
from programs.models import Service
from tests.factories import make_program, make_site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def two_programs():
    services.sync_vocabulary()
    evening = make_program(
        name="Harbor Evening IOP",
        site=make_site(address="1200 Broadway", zip_code="94612"),
        tracks=[
            {"name": "Evening track", "length_weeks_min": 8, "length_weeks_max": 12},
            {"name": "Saturday track", "time_of_day": "morning", "weekend": True},
        ],
        payments=["medicaid", "sliding_scale"],
        cost_per_session_min=Decimal("250"),
        cost_per_session_max=Decimal("400"),
        phone="(510) 555-0134",
        accepting_new_clients=True,
    )
    evening.services.set(Service.objects.filter(slug__in=["group_therapy", "cbt"]))
    day = make_program(
        name="Bay Day Program",
        level_of_care="php",
        site=make_site(city="Berkeley", zip_code="94704", latitude=37.8716, longitude=-122.2727),
        tracks=[{"time_of_day": "morning", "days_per_week_min": 5, "days_per_week_max": 5}],
        payments=["private_insurance"],
    )
    return evening, day


def test_shortlist_two_programs_and_compare_them(page, two_programs, screenshot, assert_accessible):
    evening, day = two_programs

    page.goto(f"/programs/{evening.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Evening IOP")
    assert page.get_by_role("link", name="Call (510) 555-0134").get_attribute("href") == (
        "tel:+1-510-555-0134"
    )
    screenshot("program")
    assert_accessible("on the program page")
    page.get_by_role("button", name="Add to shortlist").click()
    expect(page.get_by_role("status")).to_contain_text("Harbor Evening IOP is on your shortlist.")
    expect(page.get_by_role("link", name="Shortlist (1)")).to_be_visible()

    page.goto(f"/programs/{day.pk}/")
    page.get_by_role("button", name="Add to shortlist").click()
    page.get_by_role("link", name="Shortlist (2)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your shortlist")
    assert page.get_by_role("checkbox", name="Compare Harbor Evening IOP").is_checked()
    assert page.get_by_role("checkbox", name="Compare Bay Day Program").is_checked()
    screenshot("shortlist")
    assert_accessible("on the shortlist")
    page.emulate_media(media="print")
    expect(page.locator(".card-title a", has_text="Harbor Evening IOP")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Harbor Evening IOP")).to_be_hidden()
    expect(page.get_by_role("button", name="Compare these")).to_be_hidden()
    screenshot("shortlist-print")
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Compare these").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compare programs")
    table = page.get_by_role("table", name="2 programs side by side")
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert any("Harbor Evening IOP" in text for text in headers)
    assert any("Bay Day Program" in text for text in headers)
    expect(page.get_by_role("region", name="2 programs side by side")).to_be_visible()

    page.get_by_label("Your ZIP code, to see distances").fill("94103")
    page.get_by_role("button", name="Show distances").click()
    distance_row = page.get_by_role("row", name="Distance from 94103")
    expect(distance_row.get_by_role("cell")).to_have_count(2)
    assert " miles" in distance_row.inner_text()
    screenshot("compare")
    assert_accessible("on the compare page")


def test_report_incorrect_information(page, two_programs, screenshot, assert_accessible):
    evening, _ = two_programs
    page.goto(f"/programs/{evening.pk}/")
    page.get_by_text("Report incorrect information").click()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#report")).to_contain_text("Choose what is wrong.")
    screenshot("report-errors")
    assert_accessible("on the report form with errors")
    page.get_by_label("Cost", exact=True).check()
    page.get_by_label("What should it say?").fill("It is $300 a session now.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Thank you. A curator will check this listing"
    )
    assert evening.correction_reports.get().details == "It is $300 a session now."


def test_shared_shortlist_and_a_bad_zip_are_accessible(
    page, two_programs, screenshot, assert_accessible
):
    evening, day = two_programs
    page.goto(f"/shortlist/?ids={day.pk},{evening.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("A shared shortlist")
    assert page.get_by_role("button", name="Remove Bay Day Program").count() == 0
    screenshot("shared")
    assert_accessible("on a shared shortlist")

    page.goto(f"/compare/?ids={day.pk},{evening.pk}&near=99999")
    field = page.get_by_label("Your ZIP code, to see distances")
    assert field.get_attribute("aria-invalid") == "true"
    assert "99999 is not a US ZIP code" in page.locator("#near-error").inner_text()
    screenshot("bad-zip")
    assert_accessible("on compare with a bad ZIP code")
