"""Safety first on the call page: it opens on the danger question; "yes" brings up the crisis
script, and nothing else is asked or saved until the guide records how it was handled (in
the audit log: the way it was handled, never what the caller said)."""

import pytest
from django.urls import reverse

from guides import services
from guides.models import AuditEntry
from tests.factories import make_program
from tests.guides.conftest import signed_in
from tests.guides.test_call_page import ANSWERS, call_page

pytestmark = pytest.mark.django_db


def screen(client, caller, answers):
    return client.post(reverse("guides:caller_screen", kwargs={"pk": caller.pk}), answers)


def handle(client, caller, **data):
    return client.post(reverse("guides:caller_danger", kwargs={"pk": caller.pk}), data)


def test_the_call_page_opens_on_the_danger_question(guide, caller):
    page = call_page(signed_in(guide), caller)
    danger = page.index("Safety first: is the caller in danger now?")
    for later in ['id="matches"', 'id="needs"', "When you stop or cut down", 'id="referrals"']:
        assert danger < page.index(later)
    assert 'id="danger_now-0" value="yes" autofocus' in page
    # The crisis script is in the page, hidden, for call.js to bring up at once.
    assert "In danger now: help them first" in page
    assert "data-crisis-script hidden" in page


def test_danger_now_is_asked_afresh_and_never_taken_from_an_earlier_screening(guide, caller):
    client = signed_in(guide)
    screen(client, caller, ANSWERS)
    page = call_page(client, caller)
    assert 'name="danger_now" id="danger_now-1" value="no" checked' not in page
    assert 'name="severity" id="severity-1" value="moderate" checked' in page


@pytest.mark.parametrize(
    "answers", [{"danger_now": "yes"}, {**ANSWERS, "danger_now": "yes"}], ids=["alone", "with"]
)
def test_danger_now_brings_up_the_crisis_script_and_saves_nothing(guide, caller, answers):
    make_program(name="Evening IOP", payments=["medicaid"])
    response = screen(signed_in(guide), caller, answers)

    assert response.status_code == 200
    page = response.content.decode()
    assert "In danger now: help them first" in page
    assert 'href="tel:911"' in page and 'href="tel:988"' in page
    assert "data-crisis-script hidden" not in page
    # Nothing else of the call is asked: no other question, form or match.
    for absent in [
        "Please answer",
        "When you stop or cut down",
        reverse("guides:caller_update", kwargs={"pk": caller.pk}),
        reverse("guides:shortlist_add", kwargs={"pk": caller.pk}),
        "Evening IOP",
    ]:
        assert absent not in page
    assert reverse("guides:caller_danger", kwargs={"pk": caller.pk}) in page
    caller.refresh_from_db()
    assert caller.screening_answers is None and caller.screening_result is None
    assert not AuditEntry.objects.filter(action__in=["screen", "danger"]).exists()


def test_a_screening_with_danger_now_is_never_saved_as_a_level(guide, caller):
    with pytest.raises(services.DangerNotHandled):
        services.record_screening(
            guide=guide,
            caller=caller,
            answers={**ANSWERS, "danger_now": "yes"},
            result={"level": "iop", "escalation": "emergency", "reasons": [], "notes": []},
        )
    caller.refresh_from_db()
    assert caller.screening_result is None


@pytest.mark.parametrize("handled", ["called_911", "transfer_988", "safe_now", "not_in_danger"])
def test_how_it_was_handled_is_audited_and_the_call_goes_on(guide, caller, handled):
    client = signed_in(guide)
    response = handle(client, caller, handled=handled, notes="she said she has pills")

    call = reverse("guides:call", kwargs={"pk": caller.pk})
    assert response["Location"] == f"{call}?done=danger#screening"
    entry = AuditEntry.objects.get(action="danger")
    assert (entry.actor, entry.caller_id, entry.fields) == (guide, caller.pk, [handled])
    assert "pills" not in str(list(AuditEntry.objects.values()))
    page = client.get(response["Location"]).content.decode()
    section = page.split('id="screening"')[1].split("</section>")[0]
    assert "Recorded how the danger was handled." in section
    assert 'value="yes" autofocus' not in page  # the message has the focus, not the question
    caller.refresh_from_db()
    assert caller.screening_result is None


def test_the_crisis_script_asks_again_until_the_handling_is_chosen(guide, caller):
    response = handle(signed_in(guide), caller, handled="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose how it was handled." in page
    assert "In danger now: help them first" in page
    assert not AuditEntry.objects.filter(action="danger").exists()


def test_without_scripts_no_goes_on_with_the_other_questions_and_saves_nothing(guide, caller):
    response = screen(
        signed_in(guide), caller, {"danger_now": "no", "severity": "mild", "action": "danger"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "In danger now: help them first" in page  # hidden, ready for call.js
    assert "data-crisis-script hidden" in page
    assert 'name="danger_now" id="danger_now-1" value="no" checked' in page
    assert 'name="severity" id="severity-0" value="mild" checked' in page
    assert "Please answer" not in page
    caller.refresh_from_db()
    assert caller.screening_result is None


def test_without_scripts_continue_without_an_answer_asks_for_one(guide, caller):
    response = screen(signed_in(guide), caller, {"action": "danger"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="danger_now-error"' in page
    assert 'id="severity-error"' not in page
