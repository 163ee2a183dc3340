"""A guide reports, with the keyboard alone, that a program is full: the public page says so
at once. Real Chromium; axe on the call page and the program page."""

from datetime import date, timedelta

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from corrections.models import CorrectionReport
from tests.browser.conftest import ARTIFACTS
from tests.factories import make_program
from tests.guides.conftest import PASSWORD, make_caller, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def next_march_3() -> date:
    today = timezone.localdate()
    this_year = date(today.year, 3, 3)
    return this_year if this_year > today else date(today.year + 1, 3, 3)


def tab_to(page, label: str, limit: int = 200) -> None:
    """Press Tab until the focused control's text or label starts with `label`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent).trim() }"
        )
        if focused.startswith(label):
            return
    pytest.fail(f"{label!r} is not in the tab order")


def test_a_guide_reports_a_program_full_by_keyboard(page, screenshot, assert_accessible):
    guide = make_user("gina", "guides", password=PASSWORD)
    caller = make_caller(guide=guide, alias="Rosalind")
    program = make_program(
        name="Lakeside Evening IOP",
        payments=["medicaid"],
        tracks=[{"time_of_day": "evening"}],
        accepting_new_clients=True,
        availability_as_of=timezone.localdate() - timedelta(days=12),
        availability_source="program",
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/guides/callers/{caller.pk}/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("heading", name="Rosalind").wait_for()
    match = page.locator(f"#match-{program.pk}")
    expect(match).to_contain_text(
        "Accepting new clients — confirmed 1\xa0week, 5\xa0days ago by the program"
    )

    page.locator("main").focus()
    tab_to(page, "What did the program say?")
    page.keyboard.press("Enter")  # opens the <details>
    tab_to(page, "They did not say")  # the group's checked radio is its one tab stop
    page.keyboard.press("ArrowUp")  # the arrow keys choose within the group
    assert match.get_by_label("No, full for now").is_checked()
    tab_to(page, "Next intake")
    intake = next_march_3()
    page.keyboard.type(intake.strftime("%m%d%Y"))  # mm/dd/yyyy, as Chromium's en-US date field
    assert match.get_by_label("Next intake").input_value() == intake.isoformat()
    tab_to(page, "Wait in days")
    page.keyboard.type("20")
    tab_to(page, "What changed in the schedule")
    page.keyboard.type("Now runs a Saturday group")
    screenshot("filled-in")
    assert_accessible("on the call page, the report form open")
    tab_to(page, "Save what they said")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(f"?reported=match-{program.pk}#match-{program.pk}")
    match = page.locator(f"#match-{program.pk}")
    expect(match.get_by_role("status")).to_contain_text("Saved.")
    expect(match).to_contain_text(
        "Not accepting new clients right now — confirmed today by a recovery guide's call"
    )
    assert match.get_by_role("status").is_visible()
    assert match.evaluate("e => e.getBoundingClientRect().top") < 768  # in view
    screenshot("saved")
    page.screenshot(path=str(ARTIFACTS / "test_report_back-saved-in-view.png"))  # what is seen
    assert_accessible("on the call page after saving")
    report = CorrectionReport.objects.get()
    assert report.details == "From a recovery guide's call: Now runs a Saturday group"

    page.goto(f"/programs/{program.pk}/")
    facts = page.get_by_role("region", name="Availability and trust")
    expect(facts).to_contain_text(
        "Not accepting new clients right now — confirmed today by a recovery guide's call"
    )
    expect(facts).to_contain_text(formats.date_format(intake))
    expect(facts).to_contain_text("About 20 days")
    facts.scroll_into_view_if_needed()
    screenshot("public-page")
    assert_accessible("on the program page")
