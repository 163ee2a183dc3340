"""Issue 15, measured: the standard call (a new caller with consent, needs, screening, matches,
a shortlist, one referral with a follow-up) and the danger path, played at 1366 x 768 as a
guide would, with the mouse and with the keyboard alone.

What is counted:
- an *action* is a click or key press that moves the call on: a link or button pressed,
  a section opened. Moving between fields (Tab) is not an action.
- an *answer* is one thing the caller tells the guide, entered once: a box ticked, a field
  typed, a choice made. They are counted apart: they are the call itself, and no layout
  makes the ten screening questions fewer. None is asked twice.
- a *page load* is a whole document loaded in the browser (the `load` event). A form that
  call.js sends without leaving the page is not one (the server answers with the page, and
  only the call's part of it is replaced).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guides.models import AuditEntry, Caller, Referral
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_guide_call import catalogue  # noqa: F401 (a fixture)
from tests.guides.conftest import PASSWORD, make_caller, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LAPTOP = {"width": 1366, "height": 768}
MOST_ACTIONS = 15
MOST_PAGE_LOADS = 4

# The screening's questions the guide asks, and the answer chosen (its position).
SCREENING = [
    ("withdrawal", "Nothing much", 0),
    ("needs_24h_care", "No", 1),
    ("severity", "Quite a lot", 1),
    ("recent_care", "None", 0),
    ("home_support", "A lot", 0),
    ("commitments", "Yes", 0),
    ("hours_available", "9 to 19 hours", 2),
    ("attendance", "In person", 0),
    ("focus", "Alcohol or drugs", 0),
]


@dataclass
class Tally:
    actions: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    tabs: int = 0
    loads: int = 0

    def report(self) -> str:
        return (
            f"{len(self.actions)} actions: {'; '.join(self.actions)}\n"
            f"{len(self.answers)} answers: {'; '.join(self.answers)}\n"
            f"{self.loads} page loads, {self.tabs} Tab presses"
        )


@pytest.fixture
def screenshot(page, request):
    """What the guide sees: the 1366 x 768 window, not the whole page (its columns are as
    tall as the window), saved under test-artifacts/ to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"))

    return take


@pytest.fixture
def signed_in_guide(page):
    make_user("gina", "guides", password=PASSWORD)
    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("heading", name="Guide dashboard").wait_for()
    return page


def counting(page) -> Tally:
    tally = Tally()

    def loaded(_page):
        tally.loads += 1

    page.on("load", loaded)
    return tally


def in_view(page, locator) -> bool:
    """The element is inside the window, not scrolled away (in its column or the page)."""
    box = locator.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= LAPTOP["height"]


def assert_message_in_view(page, text: str):
    message = page.locator("[data-done]", has_text=text)
    expect(message).to_be_visible()
    expect(message).to_be_focused()
    assert in_view(page, message), f"{text!r} is out of view"


def follow_up_day():
    return timezone.localdate() + timedelta(days=3)


def test_the_standard_call_with_the_mouse(
    signed_in_guide,
    catalogue,  # noqa: F811
    screenshot,
    assert_accessible,
):
    page = signed_in_guide
    tally = counting(page)
    act, answer = tally.actions.append, tally.answers.append

    page.get_by_role("link", name="Take a new call").click()
    act("Take a new call")
    page.get_by_label("The caller agreed, on the phone, to us keeping these details").check()
    answer("consent")
    page.get_by_label("First name or alias").fill("Rosalind")
    answer("first name")
    page.get_by_label("ZIP code").fill("94612")
    answer("ZIP code")
    page.get_by_label("Medicaid", exact=True).check()
    answer("pays with Medicaid")
    page.get_by_role("button", name="Save and find matches").click()
    act("Save and find matches")

    # The call page opens on the danger question, in view and focused.
    danger = page.get_by_role("group", name="Safety first: is the caller in danger now?")
    expect(danger.get_by_label("Yes")).to_be_focused()
    assert in_view(page, danger)
    expect(page.get_by_text("Saved. Consent recorded.")).to_be_visible()
    screenshot("1-call-opens-on-danger")
    assert_accessible("on the call page as it opens")

    danger.get_by_label("No").check()
    answer("danger now: no")
    screening = page.locator("#screening")
    for key, label, _position in SCREENING:
        screening.locator(f"input[name={key}]").locator("..").get_by_text(label).first.click()
        answer(key)
    expect(page.locator("#matches .match")).to_have_count(3)  # not screened: every level
    page.get_by_role("button", name="Save screening").click()
    act("Save screening")
    assert_message_in_view(page, "Screening saved.")
    expect(page.locator("#matches .match")).to_have_count(2)  # the PHP left out
    assert in_view(page, page.locator("#matches .match").first)  # the matches beside it
    screenshot("2-screened-matches-beside")

    first = page.locator("#matches .match").first
    expect(first.locator("h3")).to_have_text("Lakeside Evening IOP")
    first.locator(".fits-caller").get_by_role("button", name="Add to shortlist").click()
    act("Add to shortlist: Lakeside Evening IOP, IOP")
    assert_message_in_view(page, "Added to the shortlist.")
    referral = Referral.objects.get()
    card = page.locator(f"#referral-{referral.pk}")
    assert in_view(page, card.get_by_label("Follow up on"))
    screenshot("3-shortlisted")

    card.get_by_label("Status").select_option("referred")
    answer("status: referred")
    card.get_by_label("Follow up on").fill(follow_up_day().isoformat())
    answer("follow-up date")
    card.get_by_role("button", name="Save referral").click()
    act("Save referral")
    assert_message_in_view(page, "Referral updated.")
    screenshot("4-referred")
    assert_accessible("on the call page after the referral")

    referral.refresh_from_db()
    assert (referral.status, referral.follow_up_on) == ("referred", follow_up_day())
    assert Caller.objects.get().screening_result["level"] == "iop"
    print(tally.report())
    assert len(tally.actions) <= MOST_ACTIONS, tally.report()
    assert tally.loads <= MOST_PAGE_LOADS, tally.report()
    assert len(tally.answers) == len(set(tally.answers)) == 16, tally.report()


def tab_to(page, tally: Tally, accept, limit: int = 150) -> str:
    """Press Tab until the focused element is the one wanted (accept: its description)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        tally.tabs += 1
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                 const label = e.labels && e.labels[0] ? e.labels[0].innerText : '';
                 return [e.tagName, e.name || '', e.value || '', (e.innerText || '').trim(),
                         label.trim()].join('|'); }"""
        )
        if accept(focused):
            return focused
    pytest.fail(f"Tab never reached the element wanted (last: {focused})")


def named(name: str):
    return lambda focused: focused.split("|")[1] == name


def showing(text: str):
    return lambda focused: focused.split("|")[3].startswith(text)


def test_the_standard_call_with_the_keyboard_alone(
    signed_in_guide,
    catalogue,  # noqa: F811
    screenshot,
):
    page = signed_in_guide
    tally = counting(page)
    act, answer = tally.actions.append, tally.answers.append
    keys = page.keyboard

    tab_to(page, tally, showing("Take a new call"))
    keys.press("Enter")
    act("Take a new call")
    page.get_by_role("heading", name="New call").wait_for()
    tab_to(page, tally, named("consent"))
    keys.press("Space")
    answer("consent")
    tab_to(page, tally, named("alias"))
    keys.type("Rosalind")
    answer("first name")
    tab_to(page, tally, named("zip_code"))
    keys.type("94612")
    answer("ZIP code")
    tab_to(page, tally, lambda focused: focused.endswith("|Medicaid"))
    keys.press("Space")
    answer("pays with Medicaid")
    tab_to(page, tally, showing("Save and find matches"))
    keys.press("Enter")
    act("Save and find matches")

    # The call opens with the focus on the danger question: one key answers it.
    expect(page.locator("#danger_now-0")).to_be_focused()
    keys.press("ArrowDown")
    answer("danger now: no")
    expect(page.locator("#danger_now-1")).to_be_checked()
    for key, _label, position in SCREENING:
        tab_to(page, tally, named(key))
        keys.press("Space" if position == 0 else "ArrowDown")
        for _ in range(position - 1):
            keys.press("ArrowDown")
        answer(key)
    for key, _label, position in SCREENING:
        expect(page.locator(f"#{key}-{position}")).to_be_checked()
    tab_to(page, tally, showing("Save screening"))
    keys.press("Enter")
    act("Save screening")
    assert_message_in_view(page, "Screening saved.")

    tab_to(page, tally, showing("Add to shortlist"))
    keys.press("Enter")
    act("Add to shortlist")
    assert_message_in_view(page, "Added to the shortlist.")
    referral = Referral.objects.get()
    assert referral.program.name == "Lakeside Evening IOP"

    tab_to(page, tally, named(f"referral-{referral.pk}-status"))
    keys.type("Referred")
    answer("status: referred")
    tab_to(page, tally, named(f"referral-{referral.pk}-follow_up_on"))
    keys.type(follow_up_day().strftime("%m%d%Y"))
    answer("follow-up date")
    tab_to(page, tally, showing("Save referral"))
    keys.press("Enter")
    act("Save referral")
    assert_message_in_view(page, "Referral updated.")
    screenshot("keyboard-referred")

    referral.refresh_from_db()
    assert (referral.status, referral.follow_up_on) == ("referred", follow_up_day())
    print(tally.report())
    assert len(tally.actions) <= MOST_ACTIONS, tally.report()
    assert tally.loads <= MOST_PAGE_LOADS, tally.report()


def test_the_danger_path_with_the_keyboard(signed_in_guide, screenshot, assert_accessible):
    page = signed_in_guide
    guide = Caller._meta.get_field("created_by").related_model.objects.get(username="gina")
    caller = make_caller(guide=guide, alias="Rosalind")
    tally = counting(page)
    page.goto(f"/guides/callers/{caller.pk}/")
    loads = tally.loads

    expect(page.locator("#danger_now-0")).to_be_focused()
    page.keyboard.press("Space")  # "Yes": the crisis script at once, without a page load
    script = page.get_by_role("region", name="In danger now: help them first")
    expect(script).to_be_visible()
    expect(script).to_be_focused()
    expect(page.locator("#matches")).to_be_hidden()
    expect(page.locator("#needs")).to_be_hidden()
    assert tally.loads == loads
    screenshot("danger-crisis-script")
    assert_accessible("with the crisis script")

    tab_to(page, tally, named("handled"))
    page.keyboard.press("ArrowDown")  # warm transfer to 988
    expect(script.get_by_label("Warm transfer to 988", exact=False)).to_be_checked()
    tab_to(page, tally, showing("Record how it was handled"))
    page.keyboard.press("Enter")
    assert_message_in_view(page, "Recorded how the danger was handled.")
    expect(page.locator("#matches")).to_be_visible()
    expect(page.get_by_role("radio", name="Yes").first).not_to_be_checked()
    screenshot("danger-handled")

    entry = AuditEntry.objects.get(action="danger")
    assert (entry.caller_id, entry.fields) == (caller.pk, ["transfer_988"])
    caller.refresh_from_db()
    assert caller.screening_result is None


def test_the_danger_path_without_scripts(browser, live_server):
    make_user("gina", "guides", password=PASSWORD)
    guide = Caller._meta.get_field("created_by").related_model.objects.get(username="gina")
    caller = make_caller(guide=guide, alias="Rosalind")
    context = browser.new_context(
        base_url=live_server.url, viewport=LAPTOP, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"/guides/callers/{caller.pk}/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    danger = page.get_by_role("group", name="Safety first: is the caller in danger now?")
    danger.get_by_label("Yes").check()
    danger.get_by_role("button", name="Continue").click()

    script = page.get_by_role("region", name="In danger now: help them first")
    expect(script).to_be_visible()
    expect(page.locator("#matches")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "test_the_danger_path_without_scripts-crisis.png"))
    script.get_by_label("Called 911", exact=False).check()
    script.get_by_role("button", name="Record how it was handled").click()
    expect(page.locator("[data-done]")).to_contain_text("Recorded how the danger was handled.")
    assert AuditEntry.objects.get(action="danger").fields == ["called_911"]
    context.close()
