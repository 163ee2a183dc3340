"""A curator signs in to the admin, finds listings that need a look, fixes one and verifies it."""

import re
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program
from tests.factories import make_program, make_site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def desk(page):
    """Curators work at a desk: a laptop-sized window."""
    page.set_viewport_size({"width": 1366, "height": 900})
    return page


@pytest.fixture
def signed_in(desk):
    password = secrets.token_urlsafe(24)
    User.objects.create_superuser("curator.ada", "ada@example.org", password)
    desk.goto("/admin/login/")
    desk.get_by_label("Username").fill("curator.ada")
    desk.get_by_label("Password").fill(password)
    desk.get_by_role("button", name="Log in").click()
    desk.wait_for_url("**/admin/")
    return desk


@pytest.fixture
def catalogue():
    today = timezone.localdate()
    return {
        "flagged": make_program(
            name="Harbor Evening IOP",
            tracks=[
                {
                    "days_per_week_min": 6,
                    "days_per_week_max": 6,
                    "hours_per_day_min": Decimal("4"),
                    "hours_per_day_max": Decimal("4"),
                }
            ],
            cost_per_session_min=Decimal("150"),
            cost_per_session_max=Decimal("250"),
            payments=["medicaid", "private_insurance"],
            last_verified_on=today - timedelta(days=20),
        ),
        "imported": make_program(
            name="Fresno County Outpatient",
            site=make_site(city="Fresno", zip_code="93721"),
            level_of_care="outpatient",
            source=Program.Source.SAMHSA,
            external_key="ca-4471-outpatient",
        ),
        "draft": make_program(
            name="Portland Day PHP",
            site=make_site(city="Portland", state="OR", zip_code="97205"),
            level_of_care="php",
            status=Program.Status.DRAFT,
            tracks=[
                {
                    "time_of_day": "morning",
                    "days_per_week_min": 5,
                    "days_per_week_max": 5,
                    "hours_per_day_min": 4,
                    "hours_per_day_max": 5,
                }
            ],
            last_verified_on=today,
        ),
    }


def test_curator_finds_fixes_and_verifies_listings(signed_in, catalogue, screenshot):
    page = signed_in
    page.goto("/admin/programs/program/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 3
    flagged_row = rows.filter(has_text="Harbor Evening IOP")
    assert "Check hours" in flagged_row.inner_text()
    assert "24" in flagged_row.inner_text()
    assert "$150-$250 per session" in flagged_row.inner_text()
    imported_row = rows.filter(has_text="Fresno County Outpatient")
    assert "Stale" in imported_row.inner_text()
    assert "Not yet verified" in imported_row.inner_text()
    screenshot("changelist")

    page.get_by_role("link", name="Outside the level's usual hours").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Harbor Evening IOP").click()

    expect(page.get_by_text("this one runs 24. Check the schedule.")).to_be_visible()
    screenshot("change-form")

    page.get_by_label("Name:").fill("Harbor Evening and Weekend IOP")
    first_track = page.locator("#tracks-0")
    first_track.get_by_label("Days per week, from").fill("3")
    first_track.get_by_label("Days per week, up to").fill("4")
    page.get_by_role("button", name="Save", exact=True).last.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    catalogue["flagged"].refresh_from_db()
    assert catalogue["flagged"].hours_per_week_min == 12
    assert not catalogue["flagged"].outside_level_band
    screenshot("saved")

    page.goto(f"/admin/programs/program/{catalogue['flagged'].pk}/history/")
    newest = page.locator("#change-history tbody tr").first
    text = newest.inner_text()
    assert "curator.ada" in text
    assert "Schedule:" in text
    assert "3-4 days/week" in text
    program_row = page.locator("#change-history tbody tr").nth(1)
    assert "Name:" in program_row.inner_text()
    assert "Harbor Evening and Weekend IOP" in program_row.inner_text()
    assert re.search(r"\d{4}, \d{1,2}(:\d\d)? [ap]\.m\.|noon|midnight", program_row.inner_text())
    screenshot("history")

    page.goto("/admin/programs/program/?verification=stale")
    assert page.locator("#result_list tbody tr").count() == 1
    page.locator("#result_list tbody input[type=checkbox]").first.check()
    page.get_by_label("Action:").select_option(label="Mark selected programs verified today")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Marked 1 program verified today.")).to_be_visible()
    catalogue["imported"].refresh_from_db()
    assert catalogue["imported"].last_verified_on == timezone.localdate()
    assert catalogue["imported"].last_verified_by.username == "curator.ada"
    screenshot("verified")


def test_curator_reads_the_programs_open_report_and_marks_it_verified(
    signed_in, catalogue, screenshot
):
    from corrections import services as corrections

    program = catalogue["imported"]
    report = corrections.submit_correction(
        program=program, problem="contact", details="The phone number is now 559-555-0142."
    )
    page = signed_in
    page.goto(f"/admin/programs/program/{program.pk}/change/")
    panel = page.locator("#open-reports")
    expect(panel.get_by_role("heading")).to_have_text("1 open correction report")
    expect(panel).to_contain_text("The phone number is now 559-555-0142.")
    screenshot("open-report-and-verified-today")

    panel.get_by_role("link").click()
    page.wait_for_url(f"**/admin/corrections/correctionreport/{report.pk}/change/")
    page.go_back()

    page.get_by_role("button", name="Verified today").click()
    expect(page.get_by_text("Marked 1 program verified today.")).to_be_visible()
    program.refresh_from_db()
    assert program.last_verified_on == timezone.localdate()
    assert program.last_verified_by.username == "curator.ada"
    screenshot("after-verified-today")
