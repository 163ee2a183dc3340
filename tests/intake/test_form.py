"""The patient's form at /screening/: short steps, crisis first, then a result."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.rules import QUESTIONS
from intake.steps import STEPS
from tests.intake.answers import answers
from tests.intake.walk import SCREENING, parse, submit, walk

pytestmark = pytest.mark.django_db

GUIDANCE = (
    "This is guidance, not a diagnosis: confirm with a clinician or the program's assessment."
)


def test_the_first_step_asks_only_about_danger_now(client):
    response = client.get(SCREENING)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert parse(response).asked == ["danger_now"]
    assert "Step 1 of 7" in response.content.decode()
    assert "<legend" in response.content.decode()


def test_danger_now_yes_shows_the_crisis_panel_and_asks_nothing_more(client):
    response = submit(client, client.get(SCREENING), {"danger_now": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please get help now" in html
    for link in ['href="tel:911"', 'href="tel:988"', 'href="sms:988"', 'href="tel:18006624357"']:
        assert link in html
    assert "1-800-662-4357" in html
    page = parse(response)
    assert not page.has_screening_form and page.asked == []


def test_a_walk_without_outpatient_care_has_seven_steps(client):
    response, steps = walk(client, answers(severity="moderate", payment=["medicaid"]))
    assert steps == [
        ["danger_now"],
        ["withdrawal", "needs_24h_care"],
        ["focus", "severity"],
        ["recent_care"],
        ["home_support", "commitments"],
        ["hours_available", "attendance"],
        ["age_group", "payment", "zip"],
    ]
    html = response.content.decode()
    assert "Your result" in html
    assert "Intensive outpatient (IOP)" in html
    assert "/programs/?level=iop&amp;focus=substance_use&amp;payment=medicaid" in html


def test_outpatient_enough_is_asked_only_after_outpatient_care(client):
    chosen = answers(recent_care="outpatient", outpatient_enough="no")
    response, steps = walk(client, chosen)
    assert ["outpatient_enough"] in steps
    assert len(steps) == 8
    assert "Rule L8" in response.content.decode()


def test_progress_counts_the_extra_step_once_it_applies(client):
    response = client.get(SCREENING)
    for _step in range(4):
        response = submit(client, response, answers(recent_care="outpatient"))
    assert parse(response).asked == ["outpatient_enough"]
    assert "Step 5 of 8" in response.content.decode()


def test_a_missing_answer_shows_the_step_again_with_an_error_summary(client):
    response = client.get(SCREENING)
    response = submit(client, response, {"danger_now": "no"})
    response = submit(client, response, {"withdrawal": "none"})  # needs_24h_care left out
    html = response.content.decode()
    assert parse(response).asked == ["withdrawal", "needs_24h_care"]
    assert "<title>Error:" in html
    assert 'href="#needs_24h_care-0"' in html
    assert 'id="needs_24h_care-error"' in html
    assert parse(response).checked == {"withdrawal": ["none"]}


def test_a_bad_zip_is_reported_at_the_field(client):
    response, _steps = walk(client, answers(zip="9461"))
    html = response.content.decode()
    assert parse(response).asked == ["age_group", "payment", "zip"]
    assert "Enter a 5-digit ZIP code" in html
    assert 'aria-invalid="true"' in html


def test_back_keeps_the_answers(client):
    response = client.get(SCREENING)
    response = submit(client, response, {"danger_now": "no"})
    response = submit(client, response, {"withdrawal": "mild", "needs_24h_care": "no"})
    response = submit(client, response, {}, action="back")
    assert parse(response).asked == ["withdrawal", "needs_24h_care"]
    assert parse(response).checked == {"withdrawal": ["mild"], "needs_24h_care": ["no"]}


def test_the_result_shows_the_escalation_first_then_the_level_week_reasons_and_notes(client):
    response, _steps = walk(
        client, answers(withdrawal="severe", severity="moderate", commitments="yes")
    )
    html = response.content.decode()
    detox = html.index("Start with medically supervised detox")
    assert detox < html.index("an intensive outpatient program (IOP) is a likely next step")
    assert detox < html.index("Likely next step")
    assert "3-5" in html and "6-12 weeks" in html  # TYPICAL_WEEK for IOP
    assert (
        "Source: <cite>What Is an Intensive Outpatient Program (IOP)? How does IOP work</cite>"
        in html
    )
    assert "Rule E3 · Source: <cite>What Is An Intensive Outpatient Program (IOP)?</cite>" in html
    assert "Rule L11" in html
    assert "Look for evening or weekend sessions" in html
    assert GUIDANCE in html
    assert "See matching programs" in html
    assert "time_of_day=evening&amp;time_of_day=weekend" in html


def test_change_my_answers_returns_to_the_last_step_with_everything_kept(client):
    chosen = answers(zip="94612", payment=["medicaid", "free"])
    result, _steps = walk(client, chosen)
    response = submit(client, result, {}, action="change")
    page = parse(response)
    assert page.asked == ["age_group", "payment", "zip"]
    assert page.checked == {"payment": ["medicaid", "free"]}
    assert 'value="94612"' in response.content.decode()
    again = submit(client, response, {"zip": "94612", "payment": ["medicaid", "free"]})
    assert "See matching programs" in again.content.decode()


def test_an_altered_hidden_answer_sends_the_person_back_to_that_step(client):
    response = client.get(SCREENING)
    for _step in range(6):
        response = submit(client, response, answers())
    data = {name: value for name, value in parse(response).hidden}
    data.update({"severity": "extreme", "action": "next"})
    response = client.post(SCREENING, data)
    assert parse(response).asked == ["focus", "severity"]
    assert "Please choose one of the answers given." in response.content.decode()


def test_an_unknown_step_name_starts_at_the_beginning(client):
    response = client.post(SCREENING, {"step": "nowhere", "action": "change"})
    assert parse(response).asked == ["danger_now"]


form_values = st.lists(st.text(max_size=8) | st.sampled_from(["yes", "no", "outpatient", "94612"]))
form_bodies = st.fixed_dictionaries(
    {},
    optional={
        **{question.key: form_values for question in QUESTIONS},
        "step": st.sampled_from([step.name for step in STEPS]) | st.text(max_size=8),
        "action": st.sampled_from(["next", "back", "change"]) | st.text(max_size=8),
    },
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=form_bodies)
def test_random_form_posts_never_cause_a_500(client, body):
    response = client.post(SCREENING, body)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
