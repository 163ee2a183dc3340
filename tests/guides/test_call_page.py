"""The one screen for a call: needs, screening with the self-screen engine, matches, referrals."""

import re

import pytest
from django.urls import reverse

from guides.models import AuditEntry
from tests.factories import make_program, make_site
from tests.guides.conftest import make_caller, signed_in

pytestmark = pytest.mark.django_db

ANSWERS = {
    "danger_now": "no",
    "withdrawal": "none",
    "needs_24h_care": "no",
    "severity": "moderate",
    "recent_care": "none",
    "home_support": "strong",
    "commitments": "yes",
    "hours_available": "9_to_19",
    "attendance": "in_person",
    "focus": "substance_use",
}


def call_page(client, caller):
    return client.get(reverse("guides:call", kwargs={"pk": caller.pk})).content.decode()


def test_the_call_page_shows_needs_screening_matches_and_referrals(guide, caller):
    make_program(name="Evening IOP", payments=["medicaid"], tracks=[{}])
    page = call_page(signed_in(guide), caller)
    for section in ['id="needs"', 'id="screening"', 'id="matches"', 'id="referrals"']:
        assert section in page
    assert "Evening IOP" in page
    assert "Has an evening track" not in page  # the caller gave no times yet
    assert "Not screened yet" in page


def test_screening_on_the_callers_behalf_is_kept_and_narrows_matches_to_its_level(guide, caller):
    make_program(name="Evening IOP", payments=["medicaid"], tracks=[{}])
    make_program(name="Day PHP", level_of_care="php", payments=["medicaid"])
    client = signed_in(guide)
    assert "Day PHP" in call_page(client, caller)

    response = client.post(reverse("guides:caller_screen", kwargs={"pk": caller.pk}), ANSWERS)

    assert response.status_code == 302
    caller.refresh_from_db()
    assert caller.screening_answers["severity"] == "moderate"
    assert caller.screening_answers["payment"] == ["medicaid"]  # from the record
    assert caller.screening_result["level"] == "iop"
    assert caller.screening_result["reasons"][0]["code"] == "L11"
    page = call_page(client, caller)
    assert "Evening IOP" in page and "Day PHP" not in page
    assert AuditEntry.objects.filter(caller_id=caller.pk, action="screen").exists()


def test_a_screening_is_saved_with_its_message_in_the_screening_section(guide, caller):
    client = signed_in(guide)
    response = client.post(reverse("guides:caller_screen", kwargs={"pk": caller.pk}), ANSWERS)
    assert response["Location"].endswith("?done=screening#screening")
    page = client.get(response["Location"]).content.decode()
    section = page.split('id="screening"')[1].split("</section>")[0]
    assert "Screening saved. Matches now follow its level of care." in section


def test_an_incomplete_screening_says_what_is_missing_and_stores_nothing(guide, caller):
    answers = {key: value for key, value in ANSWERS.items() if key != "severity"}
    response = signed_in(guide).post(
        reverse("guides:caller_screen", kwargs={"pk": caller.pk}), answers
    )
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    caller.refresh_from_db()
    assert caller.screening_result is None


def test_bad_needs_are_shown_with_the_message_and_nothing_changes(guide, caller):
    response = signed_in(guide).post(
        reverse("guides:caller_update", kwargs={"pk": caller.pk}),
        {"alias": "", "zip_code": "123", "radius_miles": "7", "hours_per_week_max": "500"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter between 1 and 60 hours." in page
    caller.refresh_from_db()
    assert caller.alias == "Rosalind"


def test_public_pages_never_show_caller_details(guide, caller, client):
    program = make_program(name="Evening IOP", payments=["medicaid"], site=make_site())
    signed_in(guide).post(
        reverse("guides:shortlist_add", kwargs={"pk": caller.pk}), {"program": program.pk}
    )
    for url in ["/", reverse("programs:list"), reverse("programs:detail", args=[program.pk])]:
        page = client.get(url).content.decode()
        assert "Rosalind" not in page and "510-555-0199" not in page


def test_a_guide_can_see_a_colleagues_caller_because_the_queue_is_shared(other_guide):
    from tests.guides.conftest import make_user

    caller = make_caller(guide=make_user("lee", "guides"))
    assert "Rosalind" in call_page(signed_in(other_guide), caller)


def needs_form_data(caller, **changes) -> dict:
    data = {
        "alias": caller.alias,
        "phone": caller.phone,
        "zip_code": caller.zip_code,
        "radius_miles": caller.radius_miles,
        "payment_kinds": [kind.pk for kind in caller.payment_kinds.all()],
        "notes": caller.notes,
        "loaded_at": caller.updated_at.isoformat(),
    }
    return {**data, **changes}


def test_a_save_over_a_colleagues_newer_changes_is_stopped_and_shown(guide, other_guide, caller):
    url = reverse("guides:caller_update", kwargs={"pk": caller.pk})
    stale_form = needs_form_data(caller, notes="Prefers evenings; has a car now")
    assert (
        signed_in(other_guide)
        .post(url, needs_form_data(caller, phone="415-555-0123"))["Location"]
        .endswith("?done=needs#needs")
    )

    response = signed_in(guide).post(url, stale_form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Another guide saved this record while you had it open" in page
    assert "Phone" in page.split("Another guide saved")[1].split("</p>")[0]
    caller.refresh_from_db()
    assert caller.phone == "415-555-0123"  # the colleague's change stands
    assert caller.notes != "Prefers evenings; has a car now"

    # The returned form is up to date: saving it again goes in, after the guide has seen it.
    resubmitted = {
        **stale_form,
        "phone": "415-555-0123",
        "loaded_at": caller.updated_at.isoformat(),
    }
    assert signed_in(guide).post(url, resubmitted).status_code == 302
    caller.refresh_from_db()
    assert (caller.phone, caller.notes) == ("415-555-0123", "Prefers evenings; has a car now")


@pytest.mark.parametrize(
    "focus, hours, focus_answer, hours_answer",
    [
        ("substance_use", 12, "substance_use", "9_to_19"),
        ("co_occurring", 2, "both", "under_3"),
        ("mental_health", 25, "mental_health", "20_plus"),
    ],
)
def test_the_screening_starts_from_what_the_intake_already_asked(
    guide, focus, hours, focus_answer, hours_answer
):
    caller = make_caller(guide=guide, focus=focus, hours_per_week_max=hours)
    page = call_page(signed_in(guide), caller)
    assert re.search(rf'name="focus"[^>]*value="{focus_answer}" checked', page)
    assert re.search(rf'name="hours_available"[^>]*value="{hours_answer}" checked', page)
    caller.refresh_from_db()
    assert caller.screening_answers is None  # shown, not saved: the guide confirms first


def section(page: str, section_id: str) -> str:
    """The markup of one section (or referral card) of the call page."""
    start = page.index(f'id="{section_id}"')
    end = "</article>" if section_id.startswith("referral-") else "</section>"
    return page[start : page.index(end, start)]


def test_each_action_lands_on_its_section_with_its_message_there(guide, caller):
    program = make_program(name="Evening IOP", payments=["medicaid"], tracks=[{}])
    client = signed_in(guide)
    url = lambda name: reverse(f"guides:{name}", kwargs={"pk": caller.pk})  # noqa: E731

    response = client.post(url("shortlist_add"), {"program": program.pk})
    referral = caller.referrals.get()
    assert response["Location"].endswith(f"#referral-{referral.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "Added to the shortlist." in section(page, f"referral-{referral.pk}")

    again = client.get(client.post(url("shortlist_add"), {"program": program.pk})["Location"])
    assert "Already on the shortlist." in section(again.content.decode(), f"referral-{referral.pk}")

    gone = client.post(url("shortlist_add"), {"program": "0"})
    assert gone["Location"].endswith("?done=gone#matches")
    assert "no longer listed" in section(client.get(gone["Location"]).content.decode(), "matches")

    response = client.post(
        reverse("guides:referral_update", kwargs={"pk": caller.pk, "referral_pk": referral.pk}),
        {f"referral-{referral.pk}-status": "referred", f"referral-{referral.pk}-follow_up_on": ""},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Referral updated." in section(page, f"referral-{referral.pk}")

    response = client.post(url("caller_update"), needs_form_data(caller, notes="Has a car"))
    page = client.get(response["Location"]).content.decode()
    assert "Needs saved." in section(page, "needs")
    assert "Needs saved." not in section(page, "matches")
