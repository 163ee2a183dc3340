"""On a phone, a curator enters a track's weekdays and clock times in the admin, and a person
reads them on the program page, in English and in Spanish."""

import secrets

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.factories import make_program

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# display.clock_times keeps '6 p.m.–9 p.m.' on one line with these.
NBSP, JOIN = "\N{NO-BREAK SPACE}", "\N{WORD JOINER}"


def shoot(locator, name: str) -> None:
    """One part of the page, at the phone's width, to look at closely."""
    locator.screenshot(path=str(ARTIFACTS / f"meeting-times-{name}.png"))


def test_a_curator_enters_weekdays_and_times_a_person_reads_them(
    browser, live_server, page, screenshot
):
    program = make_program(name="Harbor Evening IOP", description="Groups after work.")
    password = secrets.token_urlsafe(24)
    User.objects.create_superuser("curator.ada", "ada@example.org", password)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("curator.ada")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/programs/program/{program.pk}/change/")
    page.locator('[name="tracks-0-name"]').fill("Evening track")
    for day in ["mon", "wed", "thu"]:
        page.locator(f'[name="tracks-0-weekdays"][value="{day}"]').check()
    page.get_by_label("Starts at").first.fill("18:00")
    page.get_by_label("Ends at").first.fill("21:00")
    for field, value in [
        ("days_per_week_min", "3"),
        ("days_per_week_max", "3"),
        ("hours_per_day_min", "3"),
        ("hours_per_day_max", "3"),
    ]:
        page.locator(f'[name="tracks-0-{field}"]').fill(value)
    page.locator('[name="description_es"]').fill("Grupos después del trabajo.")
    screenshot("admin-track")
    scrolled = page.locator("#tracks-group")
    for left, name in [(0, "admin-tracks"), (330, "admin-tracks-times")]:
        scrolled.evaluate("(box, left) => { box.scrollLeft = left; }", left)
        shoot(page.locator("#tracks-group"), name)
    shoot(page.locator("fieldset").first, "admin-listing")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    screenshot("admin-saved")

    page.goto(f"/programs/{program.pk}/")
    when = page.get_by_role("row", name="Evening track")
    expect(when).to_contain_text(f"Mon, Wed, Thu{NBSP}· 6{NBSP}p.m.{JOIN}–{JOIN}9{NBSP}p.m.")
    expect(page.get_by_text("Groups after work.")).to_be_visible()
    page.get_by_role("heading", name="Schedule").scroll_into_view_if_needed()
    english = screenshot("program-page")
    shoot(page.locator('section[aria-labelledby="schedule-heading"]'), "program-schedule")

    spanish = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="es-ES"
    ).new_page()
    spanish.goto(f"/programs/{program.pk}/")
    expect(spanish.get_by_role("row", name="Evening track")).to_contain_text(
        f"lun, mié, jue{NBSP}· 18:00{JOIN}–{JOIN}21:00"
    )
    expect(spanish.get_by_text("Grupos después del trabajo.")).to_be_visible()
    spanish.screenshot(path=str(english.with_name(f"{english.stem}-es.png")), full_page=True)
    shoot(spanish.locator('section[aria-labelledby="schedule-heading"]'), "program-schedule-es")
    spanish.context.close()
