"""validate(): missing keys, unknown keys and values, wrong types, the conditional question."""

import pytest

from intake.engine import (
    NOT_A_CHOICE,
    NOT_A_LIST,
    NOT_A_ZIP,
    NOT_TEXT,
    REQUIRED,
    UNKNOWN_QUESTION,
    validate,
)
from tests.intake.answers import BASE, answers


def test_a_full_answer_set_is_clean():
    clean, errors = validate(answers())
    assert errors == {}
    assert clean == BASE


@pytest.mark.parametrize("key", sorted(BASE))
def test_each_required_answer_is_required(key):
    incomplete = {k: v for k, v in BASE.items() if k != key}
    _clean, errors = validate(incomplete)
    assert errors == {key: [REQUIRED]}


def test_null_counts_as_missing():
    _clean, errors = validate(answers(severity=None))
    assert errors == {"severity": [REQUIRED]}


def test_an_empty_body_lists_every_required_question():
    _clean, errors = validate({})
    assert set(errors) == set(BASE)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("severity", "extreme", NOT_A_CHOICE),
        ("danger_now", "YES", NOT_A_CHOICE),
        ("recent_care", "", NOT_A_CHOICE),
        ("severity", 2, NOT_TEXT),
        ("danger_now", True, NOT_TEXT),
        ("focus", ["both"], NOT_TEXT),
        ("attendance", {"in_person": True}, NOT_TEXT),
        ("age_group", "child", NOT_A_CHOICE),
        ("age_group", 12, NOT_TEXT),
        ("payment", "medicaid", NOT_A_LIST),
        ("payment", ["medicaid", "bitcoin"], NOT_A_CHOICE),
        ("payment", ["medicaid", 3], NOT_TEXT),
        ("zip", "9461", NOT_A_ZIP),
        ("zip", "946123", NOT_A_ZIP),
        ("zip", "9461a", NOT_A_ZIP),
        ("zip", "94612\n", NOT_A_ZIP),
        ("zip", 94612, NOT_TEXT),
    ],
)
def test_bad_values(key, value, message):
    _clean, errors = validate(answers(**{key: value}))
    assert errors == {key: [message]}


def test_unknown_keys_are_errors():
    _clean, errors = validate(answers(mood="fine"))
    assert errors == {"mood": [UNKNOWN_QUESTION]}


def test_outpatient_enough_is_required_after_outpatient_care():
    _clean, errors = validate(answers(recent_care="outpatient"))
    assert errors == {"outpatient_enough": [REQUIRED]}
    _clean, errors = validate(answers(recent_care="outpatient", outpatient_enough="maybe"))
    assert errors == {"outpatient_enough": [NOT_A_CHOICE]}


@pytest.mark.parametrize("recent_care", ["none", "iop", "php", "inpatient"])
def test_outpatient_enough_is_ignored_otherwise(recent_care):
    clean, errors = validate(answers(recent_care=recent_care, outpatient_enough=["not", "valid"]))
    assert errors == {}
    assert "outpatient_enough" not in clean


def test_outpatient_enough_is_ignored_when_recent_care_itself_is_bad():
    _clean, errors = validate(answers(recent_care="weekly", outpatient_enough="no"))
    assert errors == {"recent_care": [NOT_A_CHOICE]}


def test_optional_answers_are_cleaned():
    clean, errors = validate(
        answers(age_group="adult", payment=["medicaid", "free", "medicaid"], zip="02139")
    )
    assert errors == {}
    assert clean["payment"] == ("medicaid", "free")
    assert clean["zip"] == "02139"
    assert clean["age_group"] == "adult"


def test_optional_answers_may_be_null_or_empty():
    clean, errors = validate(answers(age_group=None, payment=[], zip=None))
    assert errors == {}
    assert "zip" not in clean and "age_group" not in clean
    assert clean["payment"] == ()
