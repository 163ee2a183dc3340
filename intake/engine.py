"""The self-screen engine: pure functions over the tables in intake/rules.py.

    clean, errors = validate(answers)
    if not errors:
        result = recommend(clean)
        url = search_url(result)
        more_care_url = escalation_search_url(result)  # None unless detox or hospital care

No Django imports: one engine for the patient's form, the guides' intake and the API.
Messages are English text marked for translation; callers translate them with gettext.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from intake.rules import (
    AGE_GROUP_POPULATION,
    CHOICE,
    ESCALATION_RULES,
    ESCALATION_SETTINGS,
    FOCUS_FILTER,
    LEVEL_RULES,
    MULTIPLE_CHOICE,
    NOTES,
    QUESTIONS,
    QUESTIONS_BY_KEY,
    SEARCH_PATH,
    TIMES_OF_DAY_FOR_COMMITMENTS,
    Question,
    _,
)
from programs.levels import PHP

REQUIRED = _("Please answer this question.")
NOT_A_CHOICE = _("Please choose one of the answers given.")
NOT_TEXT = _("The answer must be text.")
NOT_A_LIST = _("The answer must be a list.")
NOT_A_ZIP = _("Enter a 5-digit ZIP code, like 94612.")
UNKNOWN_QUESTION = _("This is not one of the questions.")

_ZIP = re.compile(r"[0-9]{5}")


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    source: str


@dataclass(frozen=True)
class Result:
    level: str
    escalation: str | None
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...]
    search_params: tuple[tuple[str, str], ...]
    # The places that give the escalation's care, near the ZIP; empty for none or emergency.
    escalation_search_params: tuple[tuple[str, str], ...]


def is_asked(question: Question, answers: Mapping) -> bool:
    """Whether a question applies, given the answers so far (`outpatient_enough`)."""
    return all(answers.get(key) in values for key, values in question.asked_when.items())


def _check(question: Question, value) -> tuple[object, list[str]]:
    """One answer -> (clean value, error messages)."""
    if question.kind == CHOICE:
        if not isinstance(value, str):
            return None, [NOT_TEXT]
        return (value, []) if value in question.values else (None, [NOT_A_CHOICE])
    if question.kind == MULTIPLE_CHOICE:
        if not isinstance(value, list | tuple):
            return None, [NOT_A_LIST]
        if not all(isinstance(item, str) for item in value):
            return None, [NOT_TEXT]
        if not set(value) <= question.values:
            return None, [NOT_A_CHOICE]
        return tuple(dict.fromkeys(value)), []  # drops repeats, keeps order
    if not isinstance(value, str):
        return None, [NOT_TEXT]
    return (value, []) if _ZIP.fullmatch(value) else (None, [NOT_A_ZIP])


def validate(answers: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """Answers as they arrive -> (clean answers, {key: [messages]}).

    Optional questions may be left out or null. A question asked only under a condition
    (`outpatient_enough`) is required when it applies and ignored, even if invalid, when
    it does not; a condition whose own answer is invalid leaves it ignored too.
    """
    errors: dict[str, list[str]] = {
        str(key): [UNKNOWN_QUESTION] for key in answers if key not in QUESTIONS_BY_KEY
    }
    clean: dict = {}
    for question in QUESTIONS:
        if question.asked_when and not is_asked(question, clean):
            continue
        value = answers.get(question.key)
        if value is None:
            if question.required:
                errors[question.key] = [REQUIRED]
            continue
        value, messages = _check(question, value)
        if messages:
            errors[question.key] = messages
        else:
            clean[question.key] = value
    return clean, errors


def _matches(when: Mapping, facts: Mapping) -> bool:
    return all(facts.get(key) in values for key, values in when.items())


def recommend(clean: Mapping) -> Result:
    """Clean answers (from validate) -> the level, any escalation, reasons, notes, hand-off."""
    escalation_rule = next((rule for rule in ESCALATION_RULES if _matches(rule.when, clean)), None)
    # Every valid answer set matches a level row (see LEVEL_RULES), so there is no default.
    level_rule = next(rule for rule in LEVEL_RULES if _matches(rule.when, clean))
    level = level_rule.outcome
    escalation = escalation_rule.outcome if escalation_rule else None
    fired = (escalation_rule, level_rule) if escalation_rule else (level_rule,)
    facts = {**clean, "level": level, "escalation": escalation}
    return Result(
        level=level,
        escalation=escalation,
        reasons=tuple(Reason(rule.code, rule.reason, rule.source) for rule in fired),
        notes=tuple(note.text for note in NOTES if _matches(note.when, facts)),
        search_params=_search_params(clean, level),
        escalation_search_params=_escalation_search_params(clean, escalation),
    )


def _search_params(clean: Mapping, level: str) -> tuple[tuple[str, str], ...]:
    params = [("level", level), ("focus", FOCUS_FILTER[clean["focus"]])]
    if clean["commitments"] == "yes" and level != PHP:
        params.extend(("time_of_day", time) for time in TIMES_OF_DAY_FOR_COMMITMENTS)
    if clean["attendance"] == "telehealth":
        params.append(("format", "telehealth"))
    if clean.get("age_group") in AGE_GROUP_POPULATION:
        params.append(("population", AGE_GROUP_POPULATION[clean["age_group"]]))
    params.extend(("payment", slug) for slug in clean.get("payment", ()))
    if "zip" in clean:
        params.append(("near", clean["zip"]))
    return tuple(params)


def _escalation_search_params(
    clean: Mapping, escalation: str | None
) -> tuple[tuple[str, str], ...]:
    params = [("level", setting) for setting in ESCALATION_SETTINGS.get(escalation, ())]
    if params and "zip" in clean:
        params.append(("near", clean["zip"]))
    return tuple(params)


def search_url(result: Result, path: str = SEARCH_PATH) -> str:
    """The program search, prefilled with the result's filters (and nothing else)."""
    return f"{path}?{urlencode(result.search_params)}"


def escalation_search_url(result: Result, path: str = SEARCH_PATH) -> str | None:
    """The places giving the escalation's care (near the ZIP, if given); None without one."""
    if not result.escalation_search_params:
        return None
    return f"{path}?{urlencode(result.escalation_search_params)}"
