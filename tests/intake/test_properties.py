"""screening.md's properties over every valid answer set (the product is small: 31,104)."""

from itertools import product

from intake.engine import recommend, validate
from intake.rules import QUESTIONS, QUESTIONS_BY_KEY
from programs.levels import LEVEL_ORDER

REQUIRED = [q for q in QUESTIONS if q.required and not q.asked_when]
SEVERITY = ("mild", "moderate", "severe")
HOME_WORSENING = ("strong", "some", "unstable")


def every_answer_set():
    """Each required answer, plus outpatient_enough exactly when recent_care is outpatient."""
    keys = [q.key for q in REQUIRED]
    for values in product(*(sorted(q.values) for q in REQUIRED)):
        answers = dict(zip(keys, values, strict=True))
        if answers["recent_care"] == "outpatient":
            for enough in sorted(QUESTIONS_BY_KEY["outpatient_enough"].values):
                yield {**answers, "outpatient_enough": enough}
        else:
            yield answers


ALL = list(every_answer_set())


def rank(answers) -> int:
    clean, errors = validate(answers)
    assert errors == {}
    return LEVEL_ORDER.index(recommend(clean).level)


def test_the_answer_space_is_what_screening_md_defines():
    # 2 x 3 x 2 x 3 x (4 + 1 x 2) x 3 x 2 x 4 x 2 x 3
    assert len(ALL) == 31_104


def test_every_answer_set_gets_exactly_one_level_and_one_level_reason():
    for answers in ALL:
        result = recommend(validate(answers)[0])
        assert result.level in LEVEL_ORDER, answers
        level_reasons = [r for r in result.reasons if r.code.startswith("L")]
        assert len(level_reasons) == 1, answers


def test_danger_now_yes_is_always_an_emergency():
    dangers = [a for a in ALL if a["danger_now"] == "yes"]
    assert len(dangers) == len(ALL) // 2
    for answers in dangers:
        result = recommend(validate(answers)[0])
        assert result.escalation == "emergency", answers
        assert result.reasons[0].code == "E1"


def test_raising_severity_never_lowers_the_level():
    for answers in ALL:
        step = SEVERITY.index(answers["severity"])
        for higher in SEVERITY[step + 1 :]:
            assert rank({**answers, "severity": higher}) >= rank(answers), answers


def test_a_worse_home_never_lowers_the_level():
    for answers in ALL:
        step = HOME_WORSENING.index(answers["home_support"])
        for worse in HOME_WORSENING[step + 1 :]:
            assert rank({**answers, "home_support": worse}) >= rank(answers), answers
