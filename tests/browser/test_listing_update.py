"""A program's intake coordinator updates its listing from a phone, confirms by the emailed
link, and a curator at a desk accepts two changes and rejects one."""

import re
import secrets
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import formats, timezone
from playwright.sync_api import expect

from corrections.models import ListingUpdate
from guides.roles import CURATORS
from programs.models import Provider
from tests.browser.conftest import ARTIFACTS
from tests.factories import make_program, make_site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK = {"width": 1366, "height": 768}


@pytest.fixture
def harbor():
    return make_program(
        name="Harbor Evening IOP",
        site=make_site(provider=Provider.objects.create(name="Harbor Health")),
        website="https://www.harborhealth.org",
        phone="510-555-0134",
        tracks=[
            {
                "name": "Evening",
                "weekdays": ["mon", "wed", "thu"],
                "starts_at": time(18),
                "ends_at": time(21),
            }
        ],
        cost_per_session_min=Decimal("150"),
        cost_per_session_max=Decimal("250"),
        payments=["medicaid"],
        last_verified_on=timezone.localdate() - timedelta(days=90),
    )


@pytest.fixture
def curator_desk(browser, live_server):
    """A curator signed in to the admin at a desk-sized window."""
    password = secrets.token_urlsafe(24)
    user = User.objects.create_user("cora", "cora@iopfinder.example", password, is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS))
    context = browser.new_context(base_url=live_server.url, viewport=DESK, locale="en-US")
    desk = context.new_page()
    desk.goto("/admin/login/")
    desk.get_by_label("Username").fill("cora")
    desk.get_by_label("Password").fill(password)
    desk.get_by_role("button", name="Log in").click()
    desk.wait_for_url("**/admin/")
    yield desk
    context.close()


def test_a_program_updates_its_listing_and_a_curator_reviews_it(
    page, harbor, curator_desk, screenshot, assert_accessible
):
    page.goto(f"/programs/{harbor.pk}/")
    page.get_by_role("link", name="Is this your program? Update this listing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Update the listing of Harbor Evening IOP"
    )
    # Prefilled with what the listing says now.
    expect(page.get_by_label("Cost per session, from ($)")).to_have_value("150.00")
    track = page.locator("fieldset.track").first
    expect(track.get_by_label("Thursday")).to_be_checked()
    expect(track.get_by_label("Starts at")).to_have_value("18:00")
    assert_accessible("on the update form")

    page.get_by_label("Your name").fill("Jo Rivera")
    page.get_by_label("Your role at the program").fill("Intake coordinator")
    page.get_by_label("Your work email").fill("jo@harborhealth.org")
    page.get_by_label("Cost per session, up to ($)").fill("100")
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_text("Please check the highlighted answers below.")).to_be_visible()
    expect(page.get_by_text("The upper amount must be at least the lower amount.")).to_be_visible()
    assert not ListingUpdate.objects.exists()
    assert mail.outbox == []
    screenshot("form-with-a-bad-value")
    assert_accessible("on the update form with an error")

    page.get_by_label("Cost per session, from ($)").fill("175")
    page.get_by_label("Cost per session, up to ($)").fill("300")
    track = page.locator("fieldset.track").first
    track.get_by_label("Thursday").uncheck()
    track.get_by_label("Days per week, from").fill("2")
    track.get_by_label("Days per week, up to").fill("2")
    page.get_by_label("Website").fill("https://harbor-recovery.example")
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    [message] = mail.outbox
    assert message.to == ["jo@harborhealth.org"]
    link = re.search(r"https?://\S+/programs/updates/confirm/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm and send to our curators").click()
    expect(page.get_by_text("Your update is with our curators")).to_be_visible()
    page.goto(link)
    expect(page.get_by_role("heading", name="This link has already been used")).to_be_visible()

    desk = curator_desk
    desk.goto("/admin/corrections/listingupdate/")
    desk.locator("#result_list tbody tr a").first.click()
    expect(desk.get_by_text("The email matches the program's website.")).to_be_visible()
    rows = desk.locator("table.update-review tbody tr")
    expect(rows).to_have_count(3)
    tracks_row = rows.filter(has_text="Schedule tracks")
    expect(tracks_row.locator("td.now")).to_contain_text("Mon, Wed, Thu")
    expect(tracks_row.locator("td.proposed")).to_contain_text("Mon, Wed\N{NO-BREAK SPACE}· 6")
    expect(rows.filter(has_text="Per session").locator("td.proposed")).to_have_text("$175-$300")
    path = ARTIFACTS / "test_listing_update-review.png"
    desk.screenshot(path=str(path), full_page=True)

    tracks_row.get_by_label("Accept").check()
    rows.filter(has_text="Per session").get_by_label("Accept").check()
    rows.filter(has_text="Website").get_by_label("Reject").check()
    desk.get_by_role("button", name="Save the decisions").click()
    expect(desk.get_by_text("Decisions saved")).to_be_visible()
    desk.screenshot(path=str(ARTIFACTS / "test_listing_update-reviewed.png"), full_page=True)

    desk.goto(f"/admin/programs/program/{harbor.pk}/history/")
    newest = desk.locator("#change-history tbody tr").first
    expect(newest).to_contain_text("cora")
    expect(newest).to_contain_text("Update from the program, accepted by cora")

    page.goto(f"/programs/{harbor.pk}/")
    expect(page.locator(".program-detail")).to_contain_text("$175-$300")
    sent_on = formats.date_format(timezone.localdate())
    expect(page.locator("dd.verified")).to_have_text(
        f"{sent_on}, by the program (checked by an IOP Finder curator)"
    )
    expect(page.get_by_role("link", name="https://www.harborhealth.org")).to_be_visible()
