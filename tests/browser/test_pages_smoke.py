import pytest
from playwright.sync_api import expect

from tests.factories import make_program

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_home_page_shows_crisis_help_and_is_accessible(page, assert_accessible, screenshot):
    page.goto("/")
    banner = page.get_by_role("complementary", name="Need help now?")
    assert "988" in banner.inner_text()
    assert "1-800-662-4357" in banner.inner_text()
    assert "911" in banner.inner_text()
    screenshot("home")
    assert_accessible("on the home page")


def test_program_page_is_accessible(page, assert_accessible, screenshot):
    program = make_program(name="Evening IOP", tracks=[{}], payments=["medicaid"])
    page.goto(f"/programs/{program.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening IOP")
    screenshot("program")
    assert_accessible("on a program page")


def test_a_missing_page_is_accessible_and_keeps_crisis_help(page, assert_accessible, screenshot):
    response = page.goto("/programs/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    assert "988" in page.get_by_role("complementary", name="Need help now?").inner_text()
    screenshot("not-found")
    assert_accessible("on the not-found page")
