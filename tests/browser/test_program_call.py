"""From a program page to a first call, on a 390 x 844 phone: call from the first screen, find
the way there, pass the program or the shortlist on, and know what to ask. Every request the
pages make is recorded: none may leave the site."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import expect

from programs import questions
from programs.models import Accreditation, Service
from tests.browser.conftest import ARTIFACTS
from tests.factories import make_program, make_site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def harbor():
    program = make_program(
        name="Harbor Evening IOP",
        site=make_site(name="Harbor House", address="1200 Broadway", zip_code="94612"),
        phone="626-797-1124 x116",
        tracks=[{"length_weeks_min": 8, "length_weeks_max": 12}],
        cost_per_session_min=Decimal("250"),
        cost_per_session_max=Decimal("400"),
        total_cost_min=Decimal("3000"),
        total_cost_max=Decimal("10000"),
        payments=["medicaid"],
        accepting_new_clients=True,
        description="Evening groups for adults who work.",
    )
    program.services.set(Service.objects.filter(slug__in=["group_therapy", "buprenorphine"]))
    program.accreditations.set(Accreditation.objects.filter(slug="carf"))
    return program


@pytest.fixture
def bay():
    return make_program(
        name="Bay Day Program",
        level_of_care="php",
        site=make_site(city="Berkeley", zip_code="94704", latitude=37.8716, longitude=-122.2727),
        phone="(510) 555-0134",
        tracks=[{"time_of_day": "morning", "days_per_week_min": 1, "days_per_week_max": 1}],
    )


@pytest.fixture
def requests_seen(page):
    """Every URL the browser asked for in this page's context."""
    seen = []
    page.context.on("request", lambda request: seen.append(request.url))
    return seen


def assert_all_on_site(urls, live_server):
    assert urls, "no request was recorded"
    away = [url for url in urls if not url.startswith(f"{live_server.url}/")]
    assert not away, f"requests left the site: {away}"


def first_screen(page, name):
    """A PNG of what the phone shows before any scrolling."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"program-call-{name}.png"))


def href(page, name):
    return page.get_by_role("link", name=name, exact=True).get_attribute("href")


def sms_body(link: str) -> str:
    assert link.startswith("sms:?&body="), link
    return unquote(link.removeprefix("sms:?&body="))


def email_fields(link: str) -> dict[str, str]:
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == ""
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def test_the_call_button_is_on_the_first_screen_and_keeps_the_extension(
    page, harbor, live_server, requests_seen, screenshot, assert_accessible
):
    page.goto(f"/programs/{harbor.pk}/")
    call = page.get_by_role("link", name="Call 626-797-1124 x116")
    expect(call).to_be_in_viewport(ratio=1)
    assert call.get_attribute("href") == "tel:+1-626-797-1124;ext=116"
    box = call.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    assert box["height"] >= 44, "a thumb-sized target"
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert 0 < box["y"] - (heading["y"] + heading["height"]) < 40, "right under the name"
    first_screen(page, "first-screen")

    contact = page.get_by_role("region", name="Contact")
    link = contact.get_by_role("link", name="626-797-1124 x116")
    assert link.get_attribute("href") == "tel:+1-626-797-1124;ext=116"
    screenshot("program")
    assert_accessible("on the program page")
    assert_all_on_site(requests_seen, live_server)


def test_directions_are_a_plain_link_to_the_persons_maps_app(
    page, harbor, bay, requests_seen, live_server
):
    page.goto(f"/programs/{harbor.pk}/")
    directions = page.get_by_role("link", name="Directions in Google Maps")
    parts = urlsplit(directions.get_attribute("href"))
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.google.com", "/maps/dir/")
    assert parse_qs(parts.query)["destination"] == ["1200 Broadway, Oakland, CA 94612"]
    assert "noreferrer" in directions.get_attribute("rel")
    assert page.locator("iframe, img[src*='map'], script[src^='http']").count() == 0

    page.goto(f"/programs/{bay.pk}/")
    expect(
        page.get_by_text("The street address is not published. Call for directions.")
    ).to_be_visible()
    approximate = page.get_by_role(
        "link", name="Directions to the ZIP code area in Google Maps (approximate)"
    )
    destination = parse_qs(urlsplit(approximate.get_attribute("href")).query)["destination"]
    assert destination == ["Berkeley, CA 94704"]
    assert_all_on_site(requests_seen, live_server)


def test_a_program_is_shared_by_text_message_or_email(page, harbor, live_server, requests_seen):
    page.goto(f"/programs/{harbor.pk}/")
    url = f"{live_server.url}/programs/{harbor.pk}/"
    share = page.get_by_role("region", name="Share this program")

    text = sms_body(share.get_by_role("link", name="Text message").get_attribute("href"))
    assert text.split("\n") == [
        "Harbor Evening IOP",
        "Phone: 626-797-1124 x116",
        "1200 Broadway, Oakland, CA 94612",
        url,
    ]
    email = email_fields(share.get_by_role("link", name="Email").get_attribute("href"))
    assert email["subject"] == "Harbor Evening IOP"
    assert email["body"] == "\r\n".join(text.split("\n"))
    assert_all_on_site(requests_seen, live_server)


def test_the_link_field_works_without_javascript(browser, harbor, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="en-US", java_script_enabled=False
    )
    seen = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    page.goto(f"/programs/{harbor.pk}/")
    field = page.get_by_label("Or copy the link")
    expect(field).to_be_visible()
    expect(field).to_have_value(f"{live_server.url}/programs/{harbor.pk}/")
    assert field.get_attribute("readonly") is not None
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    expect(field).to_have_value(f"{live_server.url}/programs/{harbor.pk}/")  # read-only
    expect(page.get_by_role("link", name="Text message")).to_be_visible()
    expect(page.get_by_role("button", name="Share…")).to_be_hidden()
    expect(page.get_by_role("button", name="Copy")).to_be_hidden()
    page.locator("#share-heading").scroll_into_view_if_needed()
    first_screen(page, "share-without-javascript")
    context.close()
    assert_all_on_site(seen, live_server)


def test_with_javascript_the_share_sheet_and_the_copy_button_work(browser, harbor, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    # Headless Chromium on Linux has no share sheet: stand one in that records what it is given.
    context.add_init_script(
        "navigator.share = (data) => { window.shared = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    page.goto(f"/programs/{harbor.pk}/")
    url = f"{live_server.url}/programs/{harbor.pk}/"

    page.get_by_role("button", name="Share…").click()
    shared = page.evaluate("window.shared")
    assert shared["title"] == "Harbor Evening IOP"
    assert shared["url"] == url
    assert shared["text"].startswith("Harbor Evening IOP\nPhone: 626-797-1124 x116\n")

    page.get_by_role("button", name="Copy").click()
    expect(page.locator(".share-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    context.close()


def test_the_shortlist_is_shared_and_opens_the_same_programs_anywhere(
    page, browser, harbor, bay, live_server, requests_seen, screenshot, assert_accessible
):
    for program in (harbor, bay):
        page.goto(f"/programs/{program.pk}/")
        page.get_by_role("button", name="Add to shortlist").click()
        expect(page.get_by_role("status")).to_contain_text("is on your shortlist")
    page.goto("/shortlist/")
    entries = page.locator(".shortlist-entry")
    expect(entries).to_have_count(2)
    for entry, number in zip(entries.all(), ["626-797-1124 x116", "(510) 555-0134"], strict=True):
        call = entry.get_by_role("link", name=re.compile(re.escape(number)))
        assert call.get_attribute("href").startswith("tel:+1-")

    share = page.get_by_role("region", name="Share this list")
    list_url = share.get_by_label("Or copy the link").input_value()
    assert list_url == f"{live_server.url}/shortlist/?ids={harbor.pk},{bay.pk}"
    body = sms_body(share.get_by_role("link", name="Text message").get_attribute("href"))
    for expected in [
        f"Harbor Evening IOP\nPhone: 626-797-1124 x116\n{live_server.url}/programs/{harbor.pk}/",
        f"Bay Day Program\nPhone: (510) 555-0134\n{live_server.url}/programs/{bay.pk}/",
    ]:
        assert expected in body
    assert body.endswith(f"\n{list_url}")
    email = email_fields(share.get_by_role("link", name="Email").get_attribute("href"))
    assert email["body"] == body.replace("\n", "\r\n")
    screenshot("shortlist")
    assert_accessible("on the shortlist with its share links")

    page.emulate_media(media="print")
    questions_section = page.get_by_role("region", name="Questions to ask when you call")
    expect(questions_section).to_be_visible()
    expect(questions_section.get_by_role("listitem")).to_have_count(len(questions.QUESTIONS))
    expect(page.get_by_text(list_url, exact=True)).to_be_visible()
    expect(share.get_by_role("link", name="Text message")).to_be_hidden()
    screenshot("shortlist-print")
    page.emulate_media(media="screen")

    stranger = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-US")
    seen = []
    stranger.on("request", lambda request: seen.append(request.url))
    elsewhere = stranger.new_page()
    elsewhere.goto(list_url)
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("A shared shortlist")
    expect(elsewhere.locator(".shortlist-entry .card-title a")).to_have_count(2)
    titles = elsewhere.locator(".shortlist-entry .card-title a").all_inner_texts()
    assert [title.split(",")[0].strip() for title in titles] == [
        "Harbor Evening IOP",
        "Bay Day Program",
    ]
    expect(elsewhere.get_by_role("link", name="Shortlist (0)")).to_be_visible()
    stranger.close()
    assert_all_on_site(seen, live_server)
    assert_all_on_site(requests_seen, live_server)


def test_the_questions_and_their_source_show_on_the_program_page(
    page, harbor, bay, live_server, requests_seen, screenshot
):
    page.goto(f"/programs/{harbor.pk}/")
    section = page.get_by_role("region", name="Questions to ask when you call")
    expect(section.get_by_role("listitem")).to_have_count(len(questions.QUESTIONS))
    expect(section).to_contain_text(questions.QUESTIONS[0]["question"])
    source = section.get_by_role("link", name="NIAAA Alcohol Treatment Navigator")
    assert source.get_attribute("href") == "https://alcoholtreatment.niaaa.nih.gov/"

    trust = page.get_by_role("region", name="Availability and trust")
    expect(trust).to_contain_text("Offered here: Buprenorphine")
    expect(trust).to_contain_text("CARF")
    expect(trust).to_contain_text("Not yet verified by our curators.")
    section.scroll_into_view_if_needed()
    first_screen(page, "questions")

    page.goto(f"/programs/{bay.pk}/")
    expect(page.get_by_text(re.compile(r"^1 day/week ·"))).to_be_visible()
    expect(page.get_by_role("region", name="Availability and trust")).to_contain_text(
        "None listed — ask the program"
    )
    assert_all_on_site(requests_seen, live_server)


def test_compare_has_tap_to_call_numbers(
    page, harbor, bay, live_server, requests_seen, screenshot, assert_accessible
):
    page.goto(f"/compare/?ids={harbor.pk},{bay.pk}")
    row = page.get_by_role("row", name=re.compile(r"^Phone"))
    harbor_call = row.get_by_role("link", name=re.compile(r"^626-797-1124 x116 ?, Harbor Evening"))
    assert harbor_call.get_attribute("href") == "tel:+1-626-797-1124;ext=116"
    bay_call = row.get_by_role("link", name=re.compile(r"^\(510\) 555-0134 ?, Bay Day Program"))
    assert bay_call.get_attribute("href") == "tel:+1-510-555-0134"
    screenshot("compare")
    assert_accessible("on compare with phone numbers")
    assert_all_on_site(requests_seen, live_server)


def test_a_spanish_program_page_writes_numbers_as_the_results_do(browser, harbor, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="es-ES")
    seen = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    page.goto("/programs/?near=94103")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    card = page.locator(".program-card").filter(has_text="Harbor Evening IOP")
    card_cost = card.locator(".card-cost").inner_text()
    card_miles = re.search(r"\d+[.,]\d", card.locator(".card-distance").inner_text())[0]
    assert "$250-$400" in card_cost and "$3,000-$10,000" in card_cost

    card.get_by_role("link", name=re.compile("^Harbor Evening IOP")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Evening IOP")
    costs = page.locator("#cost-heading + .facts").inner_text()
    assert "$250-$400" in costs and "$3,000-$10,000" in costs
    contact = page.locator("#contact-heading + .facts").inner_text()
    assert f"{card_miles} millas" in contact
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "program-call-spanish.png"), full_page=True)
    context.close()
    assert_all_on_site(seen, live_server)
