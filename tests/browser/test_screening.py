"""The self-screen in real Chromium: to a result, on to prefilled search, and the crisis path."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def next_step(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()


def test_a_person_walks_to_a_result_and_on_to_matching_programs(
    page, screenshot, assert_accessible
):
    page.goto("/screening/")
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    screenshot("1-safety")
    assert_accessible("on the first step")
    choose(page, "Right now, are you thinking about ending your life", "No")
    next_step(page)

    next_step(page)  # nothing answered: the step comes back with an error summary
    assert page.title().startswith("Error:")
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot("2-health-errors")
    assert_accessible("on a step with errors")
    page.get_by_role("link", name="When you stop or cut down on alcohol or drugs").click()
    assert page.url.endswith("#withdrawal-0")
    choose(page, "When you stop or cut down", "Nothing much, or I do not use alcohol or drugs")
    choose(page, "Do you have a serious health", "No")
    next_step(page)

    choose(page, "What do you want help with?", "Both")
    choose(page, "How much is this getting in the way", "Quite a lot")
    next_step(page)

    choose(page, "In the last 3 months", "Outpatient")
    next_step(page)
    expect(page.get_by_text("Step 5 of 8")).to_be_visible()
    choose(page, "Is that outpatient care giving you enough help?", "No")
    screenshot("5-outpatient-enough")
    next_step(page)

    choose(page, "How much does your home help", "A lot")
    choose(page, "Do you have work, school", "Yes")
    next_step(page)

    choose(page, "How many hours a week", "9 to 19 hours")
    choose(page, "How would you go to a program?", "Online")
    next_step(page)

    page.get_by_label("Medicaid", exact=True).check()
    page.get_by_label("Sliding fee scale").check()
    page.get_by_label("Your ZIP code").fill("94612")
    screenshot("8-optional")
    assert_accessible("on the optional step")
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.get_by_role("heading", name="Intensive outpatient (IOP)")).to_be_visible()
    expect(page.get_by_text("Rule L8")).to_be_visible()
    expect(page.get_by_text("This is guidance, not a diagnosis")).to_be_visible()
    expect(page.get_by_role("button", name="Print this result")).to_be_visible()
    screenshot("9-result")
    assert_accessible("on the result page")
    assert "/screening/" in page.url and urlsplit(page.url).query == ""
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Change my answers")).to_be_hidden()
    expect(page.get_by_text("Rule L8")).to_be_visible()
    screenshot("9-result-print")
    page.emulate_media(media="screen")

    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="See matching programs").click()
    assert navigation.value.status == 200
    url = urlsplit(page.url)
    assert url.path == "/programs/"
    assert parse_qsl(url.query) == [
        ("level", "iop"),
        ("focus", "co_occurring"),
        ("time_of_day", "evening"),
        ("time_of_day", "weekend"),
        ("format", "telehealth"),
        ("payment", "medicaid"),
        ("payment", "sliding_scale"),
        ("near", "94612"),
    ]
    screenshot("10-programs")


def test_danger_now_yes_goes_straight_to_the_crisis_panel(page, screenshot, assert_accessible):
    page.goto("/screening/")
    choose(page, "Right now, are you thinking about ending your life", "Yes")
    next_step(page)
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", name="Please get help now", level=1)).to_be_visible()
    text = main.inner_text()
    assert "911" in text and "988" in text and "1-800-662-4357" in text
    assert main.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    assert main.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    assert main.get_by_role("link", name="Call 1-800-662-4357").get_attribute("href") == (
        "tel:18006624357"
    )
    assert main.get_by_role("radio").count() == 0
    assert main.get_by_role("button").count() == 0
    screenshot("crisis")
    assert_accessible("on the crisis panel")


def test_the_escalation_comes_first_on_the_result(page, screenshot, assert_accessible):
    page.goto("/screening/")
    choose(page, "Right now, are you thinking about ending your life", "No")
    next_step(page)
    choose(page, "When you stop or cut down", "I get very sick, or I use heavily every day")
    choose(page, "Do you have a serious health", "No")
    next_step(page)
    choose(page, "What do you want help with?", "Alcohol or drugs")
    choose(page, "How much is this getting in the way", "A great deal")
    next_step(page)
    choose(page, "In the last 3 months", "None")
    next_step(page)
    choose(page, "How much does your home help", "Some")
    choose(page, "Do you have work, school", "No")
    next_step(page)
    choose(page, "How many hours a week", "3 to 8 hours")
    choose(page, "How would you go to a program?", "In person")
    next_step(page)
    with page.expect_navigation():
        page.get_by_role("button", name="See my result").click()

    headings = page.get_by_role("main").get_by_role("heading", level=2).all_inner_texts()
    assert headings[:2] == [
        "Start with medically supervised detox",
        "Partial hospitalization (PHP)",
    ]
    assert page.get_by_text("a partial hospitalization program (PHP) is a likely next step")
    screenshot("detox-result")
    assert_accessible("on a result with an escalation")
