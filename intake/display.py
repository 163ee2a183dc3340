"""The engine's questions and results in the request's language, for pages and the API."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import engine
from intake.rules import (
    DETOX,
    EMERGENCY,
    ESCALATION_SETTINGS,
    INPATIENT,
    MULTIPLE_CHOICE,
    ZIP,
    Question,
)
from programs.levels import IOP, OUTPATIENT, PHP, TYPICAL_WEEK
from programs.vocabulary import LEVELS_OF_CARE

ESCALATIONS = {
    EMERGENCY: {
        "title": gettext_lazy("Get help now"),
        "text": gettext_lazy(
            "If you or someone else is in danger, call 911. To talk with a trained counselor "
            "now, call or text 988. It is free and open 24/7."
        ),
    },
    INPATIENT: {
        "title": gettext_lazy("Start with inpatient care"),
        "text": gettext_lazy(
            "A hospital or residential program can care for you day and night. Ask your doctor, "
            "or call the SAMHSA National Helpline at 1-800-662-4357 (free, 24/7) to find one."
        ),
        "find": gettext_lazy("See hospitals and residential programs"),
        "find_near": gettext_lazy("See hospitals and residential programs near %(zip)s"),
    },
    DETOX: {
        "title": gettext_lazy("Start with medically supervised detox"),
        "text": gettext_lazy(
            "Stopping on your own can be dangerous. In detox, doctors and nurses help you "
            "through withdrawal safely. Call the SAMHSA National Helpline at 1-800-662-4357 "
            "(free, 24/7) to find one."
        ),
        "find": gettext_lazy("See places that offer detox"),
        "find_near": gettext_lazy("See places that offer detox near %(zip)s"),
    },
}
LEVEL_AS_NEXT_STEP = {
    PHP: gettext_lazy("a partial hospitalization program (PHP)"),
    IOP: gettext_lazy("an intensive outpatient program (IOP)"),
    OUTPATIENT: gettext_lazy("standard outpatient care"),
}
LEVEL_MEANING = {
    PHP: gettext_lazy("The most support while you still live at home."),
    IOP: gettext_lazy("Structured support a few days a week. Many people keep working."),
    OUTPATIENT: gettext_lazy("A session or two a week to keep you on track."),
}
NOT_A_JSON_OBJECT = gettext_lazy("The body must be a JSON object of answers.")
TOO_LARGE = gettext_lazy("The body is too large to be a set of answers.")


def _span(low_high: tuple[int, int]) -> str:
    return f"{low_high[0]}-{low_high[1]}"


def question(question: Question) -> dict:
    """One question with its wording and choices, translated."""
    data = {
        "key": question.key,
        "text": _(question.text),
        "hint": _(question.hint) if question.hint else "",
        "type": question.kind,
        "required": question.required,
        "asked_when": {key: sorted(values) for key, values in question.asked_when.items()},
        "choices": [
            {"value": c.value, "label": _(c.label), "hint": _(c.hint) if c.hint else ""}
            for c in question.choices
        ],
    }
    if question.kind == ZIP:
        data["pattern"] = "^[0-9]{5}$"
    return data


def field(question_: Question, answers: dict, errors: dict) -> dict:
    """A question as a form field: its wording, the current answer and any errors."""
    data = question(question_)
    value = answers.get(question_.key)
    chosen = set(value) if question_.kind == MULTIPLE_CHOICE and value else {value}
    for number, choice in enumerate(data["choices"]):
        choice["id"] = f"{question_.key}-{number}"
        choice["checked"] = choice["value"] in chosen
    data["value"] = value if isinstance(value, str) else ""
    data["errors"] = [_(message) for message in errors.get(question_.key, [])]
    data["anchor"] = data["choices"][0]["id"] if data["choices"] else question_.key
    return data


def errors(errors_by_key: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: [_(message) for message in messages] for key, messages in errors_by_key.items()}


def search_url(result: engine.Result) -> str:
    return engine.search_url(result, reverse("programs:list"))


def escalation_search_url(result: engine.Result) -> str | None:
    return engine.escalation_search_url(result, reverse("programs:list"))


def result_json(result: engine.Result) -> dict:
    """The API's answer (../shared/screening.md, "JSON contract")."""
    return {
        "level": result.level,
        "escalation": result.escalation,
        "reasons": [
            {"code": reason.code, "text": _(reason.text), "source": _(reason.source)}
            for reason in result.reasons
        ],
        "notes": [_(note) for note in result.notes],
        "search_url": search_url(result),
        "escalation_search_url": escalation_search_url(result),
    }


def _more_care(result: engine.Result) -> dict | None:
    """The link to places giving the escalation's care; without a ZIP, a prompt for one."""
    if not result.escalation_search_params:
        return None
    zip_code = dict(result.escalation_search_params).get("near")
    words = ESCALATIONS[result.escalation]
    return {
        "url": escalation_search_url(result),
        "text": words["find_near"] % {"zip": zip_code} if zip_code else words["find"],
        "zip": zip_code,
        "settings": ESCALATION_SETTINGS[result.escalation],
    }


def result_page(result: engine.Result) -> dict:
    """What the result page shows, escalation first."""
    week = TYPICAL_WEEK[result.level]
    escalation = ESCALATIONS.get(result.escalation)
    return {
        "result": result_json(result),
        "escalation": escalation,
        "more_care": _more_care(result),
        "next_step": LEVEL_AS_NEXT_STEP[result.level],
        "level_label": _(LEVELS_OF_CARE[result.level]["label"]),
        "level_meaning": LEVEL_MEANING[result.level],
        "week": {
            "days_per_week": _span(week["days_per_week"]),
            "hours_per_day": _span(week["hours_per_day"]),
            "hours_per_week": _(week["hours_per_week"]),
            "length": _(week["length"]),
            "source": week["source"],
        },
    }
