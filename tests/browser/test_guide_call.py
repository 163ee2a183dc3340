"""One call, played in real Chromium: sign in, take needs with consent, screen, shortlist two
matches, record a referral, sign out. Keyboard-friendly plain forms; axe on every page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guides.models import Caller, Referral
from tests.factories import make_program
from tests.guides.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def catalogue():
    today = timezone.localdate()
    make_program(
        name="Lakeside Evening IOP",
        tracks=[{"time_of_day": "evening"}],
        payments=["medicaid"],
        accepting_new_clients=True,
        last_verified_on=today - timedelta(days=5),
        cost_per_session_min=Decimal("40"),
    )
    make_program(
        name="Harbor Morning IOP", tracks=[{"time_of_day": "morning"}], payments=["medicaid"]
    )
    make_program(name="Uptown PHP", level_of_care="php", payments=["medicaid"])


def test_a_guide_takes_a_call_from_sign_in_to_sign_out(
    page, catalogue, screenshot, assert_accessible
):
    make_user("gina", "guides", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/guides/")
    assert "/accounts/login/" in page.url
    assert_accessible("on the sign-in page")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("heading", name="Guide dashboard").wait_for()
    assert_accessible("on the dashboard")

    page.get_by_role("link", name="Take a new call").click()
    page.get_by_label("First name or alias").fill("Rosalind")
    page.get_by_label("ZIP code").fill("94612")
    page.get_by_label("Medicaid", exact=True).check()
    page.get_by_label("Evenings").check()
    page.get_by_label("Hours a week they can give, at most").fill("12")
    page.get_by_role("button", name="Save and find matches").click()
    expect(page.locator("main")).to_contain_text("Nothing was saved")
    assert not Caller.objects.exists()
    screenshot("no-consent")
    assert_accessible("when consent is missing")

    page.get_by_label("The caller agreed, on the phone, to us keeping these details").check()
    page.get_by_role("button", name="Save and find matches").click()
    page.get_by_role("heading", name="Rosalind").wait_for()
    assert Caller.objects.get().consent_version
    screenshot("call-before-screening")
    assert_accessible("on the call page")

    screening = page.locator("#screening form")
    for question, answer in [
        ("Safety first: is the caller in danger now?", "No"),
        ("When you stop or cut down", "Nothing much"),
        ("serious health or mental health problem", "No"),
        ("getting in the way of your daily life", "Quite a lot"),
        ("most treatment you have had", "None"),
        ("home help your recovery", "A lot"),
        ("work, school or people to care for", "Yes"),
        ("How many hours a week", "9 to 19 hours"),
        ("How would you go to a program", "In person"),
        ("What do you want help with", "Alcohol or drugs"),
    ]:
        group = screening.get_by_role("group", name=question)
        # Keyboard: focus the radio and select it with the space bar.
        group.get_by_label(answer, exact=False).first.focus()
        page.keyboard.press("Space")
        assert group.get_by_label(answer, exact=False).first.is_checked()
    screening.get_by_role("button", name="Save screening").click()
    page.get_by_text("Suggested level:").wait_for()
    matches = page.locator("#matches .match")
    names = matches.locator("h3").all_inner_texts()
    assert names == ["Lakeside Evening IOP", "Harbor Morning IOP"]  # the PHP is filtered out
    assert "No evening track" in matches.nth(1).inner_text()
    assert "Cost not verified" in matches.nth(1).inner_text()

    for count, name in enumerate(names, start=1):
        match = matches.filter(has=page.get_by_role("heading", name=name))
        # Each add is sent in place (call.js) and comes back with the message in its card.
        match.get_by_role("button", name="Add to shortlist").click()
        expect(page.locator("#referrals .referral")).to_have_count(count)
        expect(page.locator("[data-done]")).to_have_text("Added to the shortlist.")
    assert Referral.objects.count() == 2

    referral = Referral.objects.get(program__name="Lakeside Evening IOP")
    card = page.locator(f"#referral-{referral.pk}")
    card.get_by_label("Status").select_option("referred")
    card.get_by_label("Follow up on").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    card.get_by_label("Note").fill("Intake call booked")
    card.get_by_role("button", name="Save referral").click()
    page.get_by_text("Referral updated.").wait_for()
    referral.refresh_from_db()
    assert referral.status == "referred"
    assert [e.note for e in referral.events.all()] == ["", "Intake call booked"]
    screenshot("call-after-referral")
    assert_accessible("on the call page with referrals")

    page.set_viewport_size({"width": 390, "height": 844})  # a guide on a phone
    page.reload()
    screenshot("call-on-a-phone")
    assert_accessible("on the call page, phone-sized")

    page.get_by_role("button", name="Sign out (gina)").click()
    page.get_by_role("heading", name="Staff sign-in").wait_for()
    page.goto("/guides/")
    assert "/accounts/login/" in page.url


# Every control a guide uses on the call page, reached and used with the keyboard alone.
FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']"


def test_the_call_page_works_with_the_keyboard_alone(page, catalogue):
    from tests.guides.conftest import make_caller

    guide = make_user("gina", "guides", password=PASSWORD)
    caller = make_caller(guide=guide, alias="Rosalind", times_of_day=["evening"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/guides/callers/{caller.pk}/")
    page.keyboard.press("Tab")  # the sign-in form: username, password, Enter
    page.get_by_label("Username").focus()
    page.keyboard.type("gina")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Rosalind").wait_for()

    # Every visible control in the page is in the tab order, in a single pass (a group of
    # radio buttons is one stop: the arrow keys move within it). Chromium lays out a closed
    # <details>'s content, hidden: checkVisibility() leaves it out.
    visible = page.eval_on_selector_all(
        f"main :is({FOCUSABLE})",
        "els => new Set(els.filter(e => e.offsetParent !== null && e.checkVisibility()"
        " && !e.disabled)"
        ".map((e, i) => e.type === 'radio' ? 'radio:' + e.name : i)).size",
    )
    reached = set()
    for _ in range(visible + 60):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.closest('main') ? (e.id || e.name || '') + '|' + e.outerHTML.length"
                " + '|' + Array.from(document.querySelectorAll('main *')).indexOf(e) : '' }"
            )
        )
    reached.discard("")
    assert len(reached) >= visible, f"only {len(reached)} of {visible} controls reached by Tab"

    # Shortlist the best match with Tab and Enter only.
    page.locator("main").focus()
    for _ in range(visible + 60):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.textContent.trim()")
        if label.startswith("Add to shortlist"):
            break
    else:
        pytest.fail("no 'Add to shortlist' button in the tab order")
    # The best match comes first; each level of care at its facility has its own button.
    assert label == "Add to shortlist: Lakeside Evening IOP, Intensive outpatient (IOP)"
    page.keyboard.press("Enter")
    page.get_by_text("Added to the shortlist.").wait_for()
    assert Referral.objects.get().program.name == "Lakeside Evening IOP"


def test_matches_without_saving_for_a_caller_who_does_not_agree(
    page, catalogue, screenshot, assert_accessible
):
    make_user("gina", "guides", password=PASSWORD)
    page.goto("/guides/callers/new/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_label("First name or alias").fill("Rosalind")
    page.get_by_label("ZIP code").fill("94612")
    page.get_by_label("Medicaid", exact=True).check()
    page.get_by_role("button", name="Find matches without saving").click()
    section = page.get_by_role("region", name="Matches (nothing saved)")
    expect(section).to_contain_text("Lakeside Evening IOP")
    assert not Caller.objects.exists()
    screenshot("matches-without-saving")
    assert_accessible("on matches without saving")


def test_a_facility_shows_once_with_a_button_per_level(page, screenshot, assert_accessible):
    from tests.factories import make_site
    from tests.guides.conftest import make_caller

    guide = make_user("gina", "guides", password=PASSWORD)
    caller = make_caller(guide=guide, alias="Rosalind")
    caller.screening_result = {"level": "iop", "reasons": [], "notes": []}
    caller.save()
    site = make_site(address="1 Harbor Way")
    for level in ("outpatient", "iop", "php"):
        make_program(
            name="Harbor Recovery",
            site=site,
            level_of_care=level,
            payments=["medicaid"],
            phone="510-555-0100",
        )
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("heading", name="Guide dashboard").wait_for()
    page.goto(f"/guides/callers/{caller.pk}/")

    entry = page.locator("#matches .match")
    expect(entry).to_have_count(1)
    expect(entry.locator(".facility-level")).to_have_count(3)
    expect(entry.locator(".fits-caller")).to_contain_text("Intensive outpatient (IOP)")
    php = entry.locator(".facility-level", has_text="Partial hospitalization (PHP)")
    php.get_by_role("button", name="Add to shortlist").click()
    page.get_by_text("Added to the shortlist.").wait_for()
    assert Referral.objects.get().program.level_of_care == "php"
    expect(page.locator("#referrals .call-link")).to_have_attribute("href", "tel:+1-510-555-0100")
    page.locator("#matches").scroll_into_view_if_needed()
    screenshot("facility")
    assert_accessible("on the call page with a facility's levels")
