"""Every row of screening.md's tables, one case each, through validate() and recommend()."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from intake.engine import recommend, search_url, validate
from intake.rules import ESCALATION_RULES, LEVEL_RULES, SEED_001, SEED_003, SEED_004
from tests.intake.answers import answers

ROOT = Path(__file__).resolve().parents[2]


def screen(**overrides):
    clean, errors = validate(answers(**overrides))
    assert errors == {}
    return recommend(clean)


ESCALATION_CASES = [
    ({"danger_now": "yes"}, "E1", "emergency"),
    ({"needs_24h_care": "yes"}, "E2", "inpatient"),
    ({"withdrawal": "severe"}, "E3", "detox"),
    # First match wins: danger before round-the-clock care before detox.
    ({"danger_now": "yes", "needs_24h_care": "yes", "withdrawal": "severe"}, "E1", "emergency"),
    ({"needs_24h_care": "yes", "withdrawal": "severe"}, "E2", "inpatient"),
]


@pytest.mark.parametrize(("overrides", "code", "escalation"), ESCALATION_CASES)
def test_escalation_rows(overrides, code, escalation):
    result = screen(**overrides)
    assert result.escalation == escalation
    assert result.reasons[0].code == code
    assert len(result.reasons) == 2  # the escalation, then the level it leads to


@pytest.mark.parametrize("withdrawal", ["none", "mild"])
def test_no_escalation_when_no_escalation_row_matches(withdrawal):
    result = screen(withdrawal=withdrawal)
    assert result.escalation is None
    assert [reason.code for reason in result.reasons] == ["L12"]


def test_escalation_sources_are_the_seeds_screening_md_names():
    sources = {rule.code: rule.source for rule in ESCALATION_RULES}
    assert sources["E2"] == SEED_004
    assert sources["E3"] == SEED_001
    assert "988" in sources["E1"]


LEVEL_CASES = [
    ("L1", {"severity": "severe", "recent_care": "iop"}, "php"),
    ("L1", {"severity": "severe", "recent_care": "none", "home_support": "strong"}, "php"),
    ("L2", {"severity": "moderate", "home_support": "unstable", "recent_care": "php"}, "php"),
    ("L3", {"severity": "mild", "recent_care": "inpatient", "home_support": "some"}, "php"),
    ("L3", {"severity": "mild", "recent_care": "inpatient", "home_support": "unstable"}, "php"),
    ("L4", {"severity": "moderate", "recent_care": "inpatient", "home_support": "strong"}, "iop"),
    ("L5", {"severity": "mild", "recent_care": "php", "home_support": "unstable"}, "iop"),
    ("L6", {"severity": "mild", "recent_care": "iop"}, "outpatient"),
    ("L7", {"severity": "moderate", "recent_care": "iop", "home_support": "some"}, "iop"),
    ("L8", {"severity": "mild", "recent_care": "outpatient", "outpatient_enough": "no"}, "iop"),
    (
        "L9",
        {"severity": "moderate", "recent_care": "outpatient", "outpatient_enough": "yes"},
        "outpatient",
    ),
    ("L10", {"severity": "moderate", "home_support": "some", "focus": "substance_use"}, "php"),
    ("L10", {"severity": "moderate", "home_support": "some", "focus": "both"}, "php"),
    ("L11", {"severity": "moderate", "home_support": "some", "focus": "mental_health"}, "iop"),
    ("L11", {"severity": "moderate", "home_support": "strong"}, "iop"),
    ("L12", {"severity": "mild", "home_support": "strong"}, "outpatient"),
    ("L12", {"severity": "mild", "home_support": "some"}, "outpatient"),
    ("L12", {"severity": "mild", "home_support": "unstable"}, "iop"),
]


@pytest.mark.parametrize(("code", "overrides", "level"), LEVEL_CASES)
def test_level_rows(code, overrides, level):
    result = screen(**overrides)
    assert result.level == level
    assert result.escalation is None
    assert [reason.code for reason in result.reasons] == [code]


def test_every_level_row_has_a_case():
    assert {rule.code for rule in LEVEL_RULES} == {code for code, _o, _l in LEVEL_CASES}
    assert len(LEVEL_RULES) == 13  # L1-L12, with L12 split by home support


def test_every_rule_names_a_source_and_a_reason():
    for rule in ESCALATION_RULES + LEVEL_RULES:
        assert rule.reason.strip()
        assert rule.source.strip()
    assert all(".txt" in rule.source for rule in LEVEL_RULES)


def test_reason_carries_its_rule_text_and_source():
    result = screen(severity="moderate", recent_care="inpatient", home_support="strong")
    (reason,) = result.reasons
    assert reason.source == f"000_610a7fd06c2793d8.txt, {SEED_003}"
    assert "hospital stay or residential rehab" in reason.text


def test_outpatient_enough_is_ignored_unless_recent_care_is_outpatient():
    clean, errors = validate(answers(recent_care="none", outpatient_enough="banana"))
    assert errors == {}
    assert "outpatient_enough" not in clean


def test_level_rows_apply_under_an_escalation_as_the_next_step():
    result = screen(withdrawal="severe", severity="severe")
    assert (result.level, result.escalation) == ("php", "detox")
    assert [reason.code for reason in result.reasons] == ["E3", "L1"]


EXAMPLES = [
    ({"severity": "moderate", "recent_care": "inpatient", "home_support": "strong"}, "iop", None),
    ({"severity": "mild", "recent_care": "none", "home_support": "strong"}, "outpatient", None),
    ({"severity": "severe", "recent_care": "none", "home_support": "some"}, "php", None),
    (
        {
            "severity": "moderate",
            "recent_care": "outpatient",
            "outpatient_enough": "no",
            "home_support": "strong",
        },
        "iop",
        None,
    ),
    (
        {
            "withdrawal": "severe",
            "severity": "moderate",
            "recent_care": "none",
            "home_support": "strong",
        },
        "iop",
        "detox",
    ),
]


@pytest.mark.parametrize(("overrides", "level", "escalation"), EXAMPLES)
def test_screening_md_examples(overrides, level, escalation):
    result = screen(**overrides)
    assert (result.level, result.escalation) == (level, escalation)


ESCALATION_NOTE = "Start with the care above first"
PHP_HOURS_NOTE = "PHP usually takes 20 or more hours a week"
IOP_HOURS_NOTE = "IOP usually takes 9 to 20 hours a week"
EVENINGS_NOTE = "Look for evening or weekend sessions"
TELEHEALTH_NOTE = "Look for programs that meet online"
CO_OCCURRING_NOTE = "treat alcohol or drug use and mental health together"

NOTE_CASES = [
    (ESCALATION_NOTE, {"withdrawal": "severe"}, True),
    (ESCALATION_NOTE, {"needs_24h_care": "yes"}, True),
    (ESCALATION_NOTE, {"danger_now": "yes"}, True),
    (ESCALATION_NOTE, {}, False),
    (PHP_HOURS_NOTE, {"severity": "severe", "hours_available": "9_to_19"}, True),
    (PHP_HOURS_NOTE, {"severity": "severe", "hours_available": "under_3"}, True),
    (PHP_HOURS_NOTE, {"severity": "severe", "hours_available": "20_plus"}, False),
    (PHP_HOURS_NOTE, {"severity": "moderate", "hours_available": "under_3"}, False),  # iop
    (IOP_HOURS_NOTE, {"severity": "moderate", "hours_available": "under_3"}, True),
    (IOP_HOURS_NOTE, {"severity": "moderate", "hours_available": "3_to_8"}, True),
    (IOP_HOURS_NOTE, {"severity": "moderate", "hours_available": "9_to_19"}, False),
    (IOP_HOURS_NOTE, {"severity": "mild", "hours_available": "under_3"}, False),  # outpatient
    (EVENINGS_NOTE, {"commitments": "yes", "severity": "moderate"}, True),  # iop
    (EVENINGS_NOTE, {"commitments": "yes", "severity": "mild"}, True),  # outpatient
    (EVENINGS_NOTE, {"commitments": "yes", "severity": "severe"}, False),  # php
    (EVENINGS_NOTE, {"commitments": "no", "severity": "moderate"}, False),
    (TELEHEALTH_NOTE, {"attendance": "telehealth"}, True),
    (TELEHEALTH_NOTE, {"attendance": "in_person"}, False),
    (CO_OCCURRING_NOTE, {"focus": "both"}, True),
    (CO_OCCURRING_NOTE, {"focus": "mental_health"}, False),
]


@pytest.mark.parametrize(("note", "overrides", "shown"), NOTE_CASES)
def test_notes(note, overrides, shown):
    result = screen(**overrides)
    assert any(note in text for text in result.notes) is shown


def test_notes_never_change_the_level():
    plain = screen(severity="moderate")
    noted = screen(
        severity="moderate", commitments="yes", attendance="telehealth", hours_available="under_3"
    )
    assert plain.level == noted.level == "iop"
    assert len(noted.notes) == 3


HAND_OFF_CASES = [
    ({}, [("level", "outpatient"), ("focus", "substance_use")]),
    ({"focus": "mental_health"}, [("level", "outpatient"), ("focus", "mental_health")]),
    ({"focus": "both"}, [("level", "outpatient"), ("focus", "co_occurring")]),
    (
        {"commitments": "yes", "severity": "moderate"},
        [
            ("level", "iop"),
            ("focus", "substance_use"),
            ("time_of_day", "evening"),
            ("time_of_day", "weekend"),
        ],
    ),
    ({"commitments": "yes", "severity": "severe"}, [("level", "php"), ("focus", "substance_use")]),
    (
        {"attendance": "telehealth"},
        [("level", "outpatient"), ("focus", "substance_use"), ("format", "telehealth")],
    ),
    (
        {"age_group": "adolescent"},
        [("level", "outpatient"), ("focus", "substance_use"), ("population", "adolescents")],
    ),
    ({"age_group": "adult"}, [("level", "outpatient"), ("focus", "substance_use")]),
    (
        {"payment": ["medicaid", "sliding_scale"]},
        [
            ("level", "outpatient"),
            ("focus", "substance_use"),
            ("payment", "medicaid"),
            ("payment", "sliding_scale"),
        ],
    ),
    (
        {"zip": "94612"},
        [("level", "outpatient"), ("focus", "substance_use"), ("near", "94612")],
    ),
]


@pytest.mark.parametrize(("overrides", "params"), HAND_OFF_CASES)
def test_hand_off_to_search(overrides, params):
    assert list(screen(**overrides).search_params) == params


def test_search_url_holds_every_filter_and_nothing_else():
    result = screen(
        severity="moderate",
        commitments="yes",
        attendance="telehealth",
        focus="both",
        age_group="adolescent",
        payment=["medicaid"],
        zip="94612",
    )
    assert search_url(result) == (
        "/programs/?level=iop&focus=co_occurring&time_of_day=evening&time_of_day=weekend"
        "&format=telehealth&population=adolescents&payment=medicaid&near=94612"
    )


def test_sources_are_seed_file_names():
    seed = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
    for rule in LEVEL_RULES + ESCALATION_RULES[1:]:
        for source in rule.source.split(", "):
            assert seed.fullmatch(source), rule.code


def test_the_engine_and_its_tables_import_no_django():
    code = (
        "import sys, intake.engine, intake.rules; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
