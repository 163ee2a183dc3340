"""The patient's form as short steps, and the answers that travel between them.

Answers so far travel in hidden fields of the POST body: never in the URL, the session
or the database, so a self-screen leaves nothing behind.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from intake import engine
from intake.rules import MULTIPLE_CHOICE, QUESTIONS_BY_KEY


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    keys: tuple[str, ...]
    intro: str = ""

    @property
    def questions(self):
        return [QUESTIONS_BY_KEY[key] for key in self.keys]


# `danger_now` comes first and alone: a "yes" ends the form with the crisis panel.
STEPS = (
    Step(
        "safety",
        _("First, your safety"),
        ("danger_now",),
        _(
            "A few short questions can suggest which kind of care may fit you. "
            "It takes about 2 minutes. We do not save your answers."
        ),
    ),
    Step("health", _("Your health"), ("withdrawal", "needs_24h_care")),
    Step("daily_life", _("What you want help with"), ("focus", "severity")),
    Step("care_so_far", _("Treatment so far"), ("recent_care",)),
    Step("care_enough", _("Treatment so far"), ("outpatient_enough",)),
    Step("home", _("Home and daily life"), ("home_support", "commitments")),
    Step("time", _("Time and travel"), ("hours_available", "attendance")),
    Step(
        "optional",
        _("To narrow your search"),
        ("age_group", "payment", "zip"),
        _(
            "These questions are optional. They help us find programs near you "
            "that you can pay for."
        ),
    ),
)
FIRST = STEPS[0]
_BY_NAME = {step.name: step for step in STEPS}


def by_name(name: str | None) -> Step:
    return _BY_NAME.get(name or "", FIRST)


def applies(step: Step, answers: dict) -> bool:
    return any(engine.is_asked(question, answers) for question in step.questions)


def applicable(answers: dict) -> list[Step]:
    return [step for step in STEPS if applies(step, answers)]


def following(step: Step, answers: dict) -> Step | None:
    later = STEPS[STEPS.index(step) + 1 :]
    return next((candidate for candidate in later if applies(candidate, answers)), None)


def preceding(step: Step, answers: dict) -> Step:
    earlier = STEPS[: STEPS.index(step)]
    return next((c for c in reversed(earlier) if applies(c, answers)), FIRST)


def answers_from(post) -> dict:
    """The known answers in a POST body; blanks count as not answered."""
    answers = {}
    for key, question in QUESTIONS_BY_KEY.items():
        if question.kind == MULTIPLE_CHOICE:
            values = [value for value in post.getlist(key) if value]
            if values:
                answers[key] = values
        elif value := post.get(key, "").strip():
            answers[key] = value
    return answers


def errors_for(step: Step, answers: dict) -> dict[str, list[str]]:
    """The engine's errors for this step's questions only (later ones are not asked yet)."""
    _clean, errors = engine.validate(answers)
    return {key: messages for key, messages in errors.items() if key in step.keys}


def first_step_with(keys, answers: dict) -> Step:
    return next((step for step in applicable(answers) if set(step.keys) & set(keys)), FIRST)


def carried(answers: dict, shown: Step | None = None) -> list[tuple[str, str]]:
    """Hidden fields for the answers that still apply, except those of the step shown."""
    fields = []
    for key, value in answers.items():
        question = QUESTIONS_BY_KEY[key]
        if (shown and key in shown.keys) or not engine.is_asked(question, answers):
            continue
        values = value if isinstance(value, list) else [value]
        fields.extend((key, item) for item in values)
    return fields
