"""About our data on a phone: the figures readable at 390 px, crisis help kept, no serious
accessibility problem, and the footer link that leads there."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program
from tests.factories import make_program

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_about_our_data_on_a_phone(page, assert_accessible, screenshot):
    today = timezone.localdate()
    for days in (12, 40, 400):
        make_program(source=Program.Source.SAMHSA, last_verified_on=today - timedelta(days=days))
    make_program(source=Program.Source.SAMHSA)
    make_program(source=Program.Source.MANUAL, last_verified_on=today - timedelta(days=3))

    page.goto("/")
    page.get_by_role("link", name="About our data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About our data")
    assert page.url.endswith("/about/data/")
    sources = page.locator("#sources")
    expect(sources.locator("caption")).to_have_text("5 programs listed")
    expect(sources.get_by_role("row", name="Added by our curators")).to_contain_text("1")
    checks = page.locator("#checks")
    expect(checks).to_contain_text("60% of listings (3 of 5) were verified by us in the last 180")
    expect(checks).to_contain_text("half were checked in the last 26 days")
    assert "988" in page.get_by_role("complementary", name="Need help now?").inner_text()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("about-data")
    assert_accessible("on About our data")
