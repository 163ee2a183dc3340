"""Pages cite a source document by its title; file names stay in code and the API."""

import re

import pytest
from django.urls import reverse

from guides.roles import GUIDES
from intake.rules import ESCALATION_RULES, LEVEL_RULES, SAFETY_CONVENTION
from programs.sources import SEED_000, SEED_003, TITLES, cite, titles
from tests.factories import make_program
from tests.guides.conftest import make_caller, make_user, signed_in
from tests.intake.answers import answers
from tests.intake.walk import walk

pytestmark = pytest.mark.django_db

SEED_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}|\.txt\b")
TABLE_TITLE = "What Is an Intensive Outpatient Program (IOP)? How does IOP work"


def assert_cites_titles_only(html: str) -> None:
    assert not SEED_FILE_NAME.search(html), SEED_FILE_NAME.search(html).group()


def test_every_seed_has_a_title():
    assert len(TITLES) == 5
    assert all(SEED_FILE_NAME.search(name) for name in TITLES)
    assert not any(SEED_FILE_NAME.search(title) for title in TITLES.values())


def test_a_source_of_several_documents_shows_each_title():
    assert (
        titles(cite(SEED_000, SEED_003))
        == f"What Is Intensive Outpatient Treatment?; {TABLE_TITLE}"
    )


def test_a_source_that_is_not_a_document_is_shown_as_it_is():
    assert titles(SAFETY_CONVENTION) == SAFETY_CONVENTION


def test_every_rule_source_has_titles():
    for rule in (*ESCALATION_RULES, *LEVEL_RULES):
        if rule.source != SAFETY_CONVENTION:
            assert not SEED_FILE_NAME.search(titles(rule.source)), rule.code


def test_the_home_page_cites_the_table_by_its_title(client):
    html = client.get("/").content.decode()
    assert f"<cite>{TABLE_TITLE}</cite>" in html
    assert_cites_titles_only(html)


@pytest.mark.parametrize("level", ["php", "iop", "outpatient"])
def test_a_program_page_cites_the_table_by_its_title(client, level):
    program = make_program(level_of_care=level)
    response = client.get(reverse("programs:detail", kwargs={"pk": program.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<cite>{TABLE_TITLE}</cite>" in html
    assert_cites_titles_only(html)


@pytest.mark.parametrize(
    "chosen",
    [
        answers(severity="moderate", recent_care="inpatient", home_support="strong"),
        answers(withdrawal="severe", severity="severe", zip="43215"),
        answers(needs_24h_care="yes"),
    ],
    ids=["two-documents", "detox", "hospital-care"],
)
def test_the_screens_result_cites_titles(client, chosen):
    html = walk(client, chosen)[0].content.decode()
    assert "Rule " in html and "Source: <cite>" in html
    assert_cites_titles_only(html)


def test_the_result_cites_both_documents_of_a_rule(client):
    chosen = answers(severity="moderate", recent_care="inpatient", home_support="strong")
    html = walk(client, chosen)[0].content.decode()
    assert f"Rule L4 · Source: <cite>What Is Intensive Outpatient Treatment?; {TABLE_TITLE}" in html


def test_the_guides_call_page_cites_titles(client):
    guide = make_user("gina", GUIDES)
    caller = make_caller(guide=guide)
    client = signed_in(guide)
    screened = answers(severity="moderate", recent_care="inpatient")
    response = client.post(reverse("guides:caller_screen", kwargs={"pk": caller.pk}), screened)
    assert response.status_code == 302
    html = client.get(reverse("guides:call", kwargs={"pk": caller.pk})).content.decode()
    assert f"(L4, <cite>What Is Intensive Outpatient Treatment?; {TABLE_TITLE}</cite>)" in html
    assert_cites_titles_only(html)
