"""Every result leads somewhere: detox and hospital care link to places that give it."""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.intake.answers import answers
from tests.intake.walk import parse, walk

pytestmark = pytest.mark.django_db

HOSPITAL_CARE = answers(needs_24h_care="yes", zip="43215")
DETOX = answers(withdrawal="severe", zip="43215")


def screen(client, body) -> dict:
    response = client.post("/api/screening/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    return response.json()


def query(url: str) -> list[tuple[str, str]]:
    assert urlsplit(url).path == "/programs/"
    return parse_qsl(urlsplit(url).query)


def more_care_links(response) -> list[str]:
    """Links to a search of care above PHP (the level hand-off searches php, iop, outpatient)."""
    page = parse(response)
    return [
        target
        for target in page.targets
        if urlsplit(target).query
        and {value for key, value in query(target) if key == "level"}
        & {"detox", "inpatient", "residential"}
    ]


# --- The API's escalation_search_url ---------------------------------------------------------


def test_hospital_care_searches_hospitals_and_residential_programs_near_the_zip(client):
    body = screen(client, HOSPITAL_CARE)
    assert body["escalation"] == "inpatient"
    assert query(body["escalation_search_url"]) == [
        ("level", "inpatient"),
        ("level", "residential"),
        ("near", "43215"),
    ]


def test_detox_searches_detox_near_the_zip(client):
    body = screen(client, DETOX)
    assert body["escalation"] == "detox"
    assert query(body["escalation_search_url"]) == [("level", "detox"), ("near", "43215")]


def test_hospital_care_comes_before_detox_as_the_escalation_does(client):
    body = screen(client, answers(needs_24h_care="yes", withdrawal="severe", zip="43215"))
    assert body["escalation"] == "inpatient"
    assert ("level", "detox") not in query(body["escalation_search_url"])


def test_without_a_zip_the_search_is_of_the_setting_alone(client):
    body = screen(client, answers(withdrawal="severe"))
    assert query(body["escalation_search_url"]) == [("level", "detox")]


@pytest.mark.parametrize(
    "body",
    [
        answers(zip="43215"),
        answers(severity="severe", zip="43215"),
        answers(danger_now="yes", zip="43215"),
        answers(danger_now="yes", needs_24h_care="yes", withdrawal="severe", zip="43215"),
    ],
    ids=["no-escalation", "php", "emergency", "emergency-over-the-others"],
)
def test_escalation_search_url_is_null_unless_detox_or_hospital_care(client, body):
    response = screen(client, body)
    assert "escalation_search_url" in response
    assert response["escalation_search_url"] is None


def test_the_level_search_is_unchanged_by_an_escalation(client):
    body = screen(client, DETOX)
    assert query(body["search_url"])[0] == ("level", body["level"])
    assert body["search_url"] != body["escalation_search_url"]


# --- The result page -------------------------------------------------------------------------


def test_the_hospital_result_links_to_places_near_the_zip(client):
    response, _steps = walk(client, HOSPITAL_CARE)
    html = response.content.decode()
    assert more_care_links(response) == ["/programs/?level=inpatient&level=residential&near=43215"]
    assert "See hospitals and residential programs near 43215" in html
    assert "more care than an IOP" in html
    assert "more-care-near" not in html  # a ZIP was given: no prompt for one


def test_the_detox_result_links_to_detox_near_the_zip(client):
    response, _steps = walk(client, DETOX)
    assert more_care_links(response) == ["/programs/?level=detox&near=43215"]
    assert "See places that offer detox near 43215" in response.content.decode()


def test_without_a_zip_the_result_links_to_the_setting_and_asks_for_a_zip(client):
    response, _steps = walk(client, answers(needs_24h_care="yes"))
    html = response.content.decode()
    assert more_care_links(response) == ["/programs/?level=inpatient&level=residential"]
    assert "See hospitals and residential programs</a>" in html
    assert "Add your ZIP code to see the places nearest you" in html
    form = html[html.index('class="more-care-zip') :]
    form = form[: form.index("</form>")]
    assert 'name="level" value="inpatient"' in form
    assert 'name="level" value="residential"' in form
    assert 'name="near"' in form


def test_the_more_care_link_comes_after_the_escalation_and_before_the_level(client):
    html = walk(client, DETOX)[0].content.decode()
    escalation = html.index("Start with medically supervised detox")
    link = html.index("/programs/?level=detox&amp;near=43215")
    level = html.index('id="level-title"')
    assert escalation < link < level


def test_the_crisis_lines_come_before_the_more_care_link(client):
    html = walk(client, HOSPITAL_CARE)[0].content.decode()
    assert html.index('href="tel:988"') < html.index("/programs/?level=inpatient")


def test_a_result_without_escalation_has_no_more_care_link(client):
    response, _steps = walk(client, answers(severity="severe", zip="43215"))
    assert more_care_links(response) == []
    assert "more care than an IOP" not in response.content.decode()


def test_the_more_care_link_carries_only_the_setting_and_the_zip(client):
    private = answers(
        needs_24h_care="yes",
        recent_care="outpatient",
        outpatient_enough="no",
        payment=["medicaid"],
        age_group="adolescent",
        zip="02139",
    )
    response, _steps = walk(client, private)
    (link,) = more_care_links(response)
    assert {key for key, _value in query(link)} == {"level", "near"}
    assert parse(response).rel[link] == "noreferrer"
