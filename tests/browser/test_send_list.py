"""Sending the caller their list, in real Chromium at a laptop's size: consent missing, then
by email; the page returns to the section with the result in view."""

import pytest
from playwright.sync_api import expect

from guides import services
from tests.factories import make_program, make_site
from tests.guides.conftest import PASSWORD, make_caller, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_guide_sends_the_caller_their_list(page, screenshot, assert_accessible):
    guide = make_user("gina", "guides", password=PASSWORD)
    caller = make_caller(guide=guide)
    for name, city in (("Lakeside Evening IOP", "Oakland"), ("Uptown Day PHP", "Berkeley")):
        program = make_program(name=name, phone="510-555-0142", site=make_site(city=city))
        services.add_to_shortlist(guide=guide, caller=caller, program=program)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/guides/callers/{caller.pk}/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("heading", name="Send the caller their list").wait_for()

    section = page.locator("#send-list")
    expect(page.get_by_label("Copy this into a text message to them")).to_contain_text(
        "Lakeside Evening IOP"
    )
    section.get_by_label("Their email address").fill("rosalind@example.org")
    section.get_by_role("button", name="Email the list").click()
    expect(page.locator("#send-list")).to_contain_text(
        "Tick that the caller agreed to receive their list by email."
    )
    expect(page.locator("#send-list .field-error")).to_be_in_viewport()
    page.screenshot(
        path=str(screenshot("no-consent").with_name("send-list-no-consent-in-view.png"))
    )

    page.locator("#send-list").get_by_label(
        "The caller agreed to receive their list by email"
    ).check()
    page.locator("#send-list").get_by_role("button", name="Email the list").click()
    expect(page.locator("#send-list [role=status]")).to_contain_text("Sent.")
    assert page.url.endswith("?sent=email#send-list")
    expect(page.locator("#send-list [role=status]")).to_be_in_viewport()
    full_page = screenshot("sent")
    page.screenshot(path=str(full_page.with_name(full_page.stem + "-in-view.png")))
    assert_accessible("after sending the list")
