"""The self-screen as plain data: questions, escalation and level rules, notes, search hand-off.

Transcribes ../shared/screening.md; every rule names the seed documents it rests on
(../shared/seeds/, described in ../shared/domain.md, titled in programs/sources.py). No
Django imports: the engine, the patient's form, the guides' intake and the API all read
these tables. Text is marked with a no-op marker and translated where it is shown.
"""

from dataclasses import dataclass, field

from programs import levels
from programs.levels import IOP, OUTPATIENT, PHP
from programs.sources import SEED_000, SEED_001, SEED_003, SEED_004, cite
from programs.vocabulary import PAYMENT_KINDS


def _(text: str) -> str:
    """Marks text for translation (gettext_noop); the Django layer translates it."""
    return text


SAFETY_CONVENTION = _("Safety convention: 988, 911")


# --- Questions -------------------------------------------------------------------------------

CHOICE = "choice"  # one of `choices`, a string
MULTIPLE_CHOICE = "multiple_choice"  # a list of `choices`
ZIP = "zip"  # a 5-digit US ZIP code, a string


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str = CHOICE
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    required: bool = True
    # Asked (and then required) only when every listed answer matches; ignored otherwise.
    asked_when: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def values(self) -> frozenset[str]:
        return frozenset(choice.value for choice in self.choices)


YES_NO = (Choice("yes", _("Yes")), Choice("no", _("No")))

QUESTIONS = (
    Question(
        key="danger_now",
        text=_(
            "Right now, are you thinking about ending your life or hurting someone, "
            "or have you taken an overdose?"
        ),
        choices=YES_NO,
    ),
    Question(
        key="withdrawal",
        text=_("When you stop or cut down on alcohol or drugs, what happens?"),
        choices=(
            Choice("none", _("Nothing much, or I do not use alcohol or drugs")),
            Choice("mild", _("I feel uncomfortable"), _("For example poor sleep or cravings.")),
            Choice(
                "severe",
                _("I get very sick, or I use heavily every day"),
                _(
                    "For example shaking, sweating, throwing up, seeing or hearing things, "
                    "or seizures. Or heavy daily use of alcohol, benzodiazepines "
                    "(like Xanax or Valium) or opioids."
                ),
            ),
        ),
    ),
    Question(
        key="needs_24h_care",
        text=_(
            "Do you have a serious health or mental health problem that needs care "
            "around the clock?"
        ),
        hint=_("Or a problem that would stop you from going to sessions."),
        choices=YES_NO,
    ),
    Question(
        key="severity",
        text=_("How much is this getting in the way of your daily life?"),
        hint=_("Think about work or school, family and friends, and your health."),
        choices=(
            Choice("mild", _("A little"), _("I mostly keep up with things.")),
            Choice("moderate", _("Quite a lot"), _("Some things are slipping.")),
            Choice("severe", _("A great deal"), _("It is hard to get through the day.")),
        ),
    ),
    Question(
        key="recent_care",
        text=_("In the last 3 months, what is the most treatment you have had?"),
        choices=(
            Choice("none", _("None")),
            Choice("outpatient", _("Outpatient"), _("Therapy or counseling once or twice a week.")),
            Choice("iop", _("Intensive outpatient (IOP)"), _("Several sessions a week.")),
            Choice(
                "php",
                _("Partial hospitalization (PHP)"),
                _("Most of the day, most days of the week."),
            ),
            Choice(
                "inpatient",
                _("A hospital stay or residential rehab"),
                _("You stayed overnight for treatment."),
            ),
        ),
    ),
    Question(
        key="outpatient_enough",
        text=_("Is that outpatient care giving you enough help?"),
        choices=YES_NO,
        asked_when={"recent_care": frozenset({"outpatient"})},
    ),
    Question(
        key="home_support",
        text=_("How much does your home help your recovery?"),
        choices=(
            Choice("strong", _("A lot"), _("Home is safe and calm, and people there support me.")),
            Choice("some", _("Some")),
            Choice(
                "unstable",
                _("Not much"),
                _("No support, home is not safe, or others there drink or use drugs."),
            ),
        ),
    ),
    Question(
        key="commitments",
        text=_("Do you have work, school or people to care for that you need to keep up with?"),
        choices=YES_NO,
    ),
    Question(
        key="hours_available",
        text=_("How many hours a week could you give to treatment?"),
        choices=(
            Choice("under_3", _("Less than 3 hours")),
            Choice("3_to_8", _("3 to 8 hours")),
            Choice("9_to_19", _("9 to 19 hours")),
            Choice("20_plus", _("20 hours or more")),
        ),
    ),
    Question(
        key="attendance",
        text=_("How would you go to a program?"),
        choices=(
            Choice("in_person", _("In person"), _("I can get there several times a week.")),
            Choice("telehealth", _("Online"), _("By video, from home.")),
        ),
    ),
    Question(
        key="focus",
        text=_("What do you want help with?"),
        choices=(
            Choice("substance_use", _("Alcohol or drugs")),
            Choice("mental_health", _("Mental health"), _("For example depression or anxiety.")),
            Choice("both", _("Both")),
        ),
    ),
    Question(
        key="age_group",
        text=_("How old is the person who needs care?"),
        choices=(
            Choice("adult", _("18 or older")),
            Choice("adolescent", _("Under 18")),
        ),
        required=False,
    ),
    Question(
        key="payment",
        text=_("How could you pay?"),
        hint=_("Choose all that apply."),
        kind=MULTIPLE_CHOICE,
        choices=tuple(Choice(slug, entry["label"]) for slug, entry in PAYMENT_KINDS.items()),
        required=False,
    ),
    Question(
        key="zip",
        text=_("Your ZIP code"),
        hint=_("5 digits, for example 94612. We use it only to sort programs by distance."),
        kind=ZIP,
        required=False,
    ),
)
QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}


# --- Rules -----------------------------------------------------------------------------------
# A rule matches when, for every key in `when`, the answer (or the result's `level` /
# `escalation`) is one of the listed values. First match wins in each table.


@dataclass(frozen=True)
class Rule:
    code: str
    when: dict[str, frozenset[str]]
    outcome: str
    reason: str
    source: str


def _when(**conditions: str | tuple[str, ...]) -> dict[str, frozenset[str]]:
    return {
        key: frozenset((values,) if isinstance(values, str) else values)
        for key, values in conditions.items()
    }


EMERGENCY = "emergency"
INPATIENT = "inpatient"
DETOX = "detox"

# Above PHP: people are sent there first. Emergency is 911 and 988; for the others the
# result also links to the places the national directory lists (ESCALATION_SETTINGS).
ESCALATION_RULES = (
    Rule(
        code="E1",
        when=_when(danger_now="yes"),
        outcome=EMERGENCY,
        reason=_(
            "You said you may be in danger right now. Your safety comes first: call 911, "
            "or call or text 988."
        ),
        source=SAFETY_CONVENTION,
    ),
    Rule(
        code="E2",
        when=_when(needs_24h_care="yes"),
        outcome=INPATIENT,
        reason=_(
            "You said you have a health problem that needs care around the clock. "
            "IOP is for people who do not need that, so a hospital or residential "
            "program is the safer place to start."
        ),
        source=SEED_004,
    ),
    Rule(
        code="E3",
        when=_when(withdrawal="severe"),
        outcome=DETOX,
        reason=_(
            "The withdrawal you describe can be dangerous. IOP is for people who do not "
            "need detox, so start with detox where doctors and nurses keep you safe."
        ),
        source=SEED_001,
    ),
)

# Every valid answer set matches at least one row, so the level is always exactly one:
# L1 takes every `severe`; for `mild` and `moderate`, each value of `recent_care` has rows
# covering it (inpatient: L3/L4 split `home_support` in full; php: L5; iop: L6/L7;
# outpatient: L8/L9 split the required `outpatient_enough`; none: L10/L11 for moderate,
# the two L12 rows for mild). tests/intake/test_properties.py checks this exhaustively.
LEVEL_RULES = (
    Rule(
        code="L1",
        when=_when(severity="severe"),
        outcome=PHP,
        reason=_(
            "This is getting in the way of your daily life a great deal. A partial "
            "hospitalization program (PHP) gives the most support while you live at home. "
            "IOP is meant for mild to moderate needs."
        ),
        source=cite(SEED_003, SEED_004),
    ),
    Rule(
        code="L2",
        when=_when(home_support="unstable", severity="moderate"),
        outcome=PHP,
        reason=_(
            "IOP works best with a stable, supportive home. Your home gives little support "
            "right now, so PHP, with more hours of care each day, is a safer fit."
        ),
        source=cite(SEED_000, SEED_003),
    ),
    Rule(
        code="L3",
        when=_when(recent_care="inpatient", home_support=("some", "unstable")),
        outcome=PHP,
        reason=_(
            "You are coming out of a hospital stay or residential rehab, and your home "
            "does not give you strong support. PHP is the usual next step when you need "
            "more support."
        ),
        source=SEED_003,
    ),
    Rule(
        code="L4",
        when=_when(recent_care="inpatient", home_support="strong"),
        outcome=IOP,
        reason=_(
            "You are coming out of a hospital stay or residential rehab, and your home "
            "supports you. IOP helps you make that move back to everyday life."
        ),
        source=cite(SEED_000, SEED_003),
    ),
    Rule(
        code="L5",
        when=_when(recent_care="php"),
        outcome=IOP,
        reason=_("You had partial hospitalization (PHP). IOP is the usual next step down."),
        source=SEED_003,
    ),
    Rule(
        code="L6",
        when=_when(recent_care="iop", severity="mild"),
        outcome=OUTPATIENT,
        reason=_(
            "You had IOP and things affect your life only a little now. After IOP, many "
            "people move on to standard outpatient care."
        ),
        source=SEED_003,
    ),
    Rule(
        code="L7",
        when=_when(recent_care="iop", severity="moderate"),
        outcome=IOP,
        reason=_(
            "You had IOP and things still affect your life quite a lot. How long IOP lasts "
            "depends on your needs, so more IOP may help."
        ),
        source=cite(SEED_003, SEED_004),
    ),
    Rule(
        code="L8",
        when=_when(recent_care="outpatient", outpatient_enough="no"),
        outcome=IOP,
        reason=_(
            "Outpatient care is not giving you enough help. IOP is for people who are "
            "not doing well with regular outpatient care."
        ),
        source=SEED_004,
    ),
    Rule(
        code="L9",
        when=_when(recent_care="outpatient", outpatient_enough="yes"),
        outcome=OUTPATIENT,
        reason=_(
            "Your outpatient care is helping. Standard outpatient care is meant for keeping "
            "up your progress."
        ),
        source=SEED_003,
    ),
    Rule(
        code="L10",
        when=_when(
            recent_care="none",
            severity="moderate",
            focus=("substance_use", "both"),
            home_support="some",
        ),
        outcome=PHP,
        reason=_(
            "You are just starting treatment for alcohol or drug use, and your home gives "
            "only some support. When starting recovery, people are often advised to begin "
            "with inpatient care or PHP."
        ),
        source=SEED_000,
    ),
    Rule(
        code="L11",
        when=_when(recent_care="none", severity="moderate"),
        outcome=IOP,
        reason=_(
            "You are just starting treatment and things affect your life quite a lot. IOP "
            "is for mild to moderate needs, and lets you keep up with daily life."
        ),
        source=cite(SEED_003, SEED_004),
    ),
    Rule(
        code="L12",
        when=_when(recent_care="none", severity="mild", home_support=("strong", "some")),
        outcome=OUTPATIENT,
        reason=_(
            "You are just starting treatment, things affect your life only a little, and "
            "your home supports you. Standard outpatient care is meant for milder needs."
        ),
        source=cite(SEED_003, SEED_000),
    ),
    Rule(
        code="L12",
        when=_when(recent_care="none", severity="mild", home_support="unstable"),
        outcome=IOP,
        reason=_(
            "Things affect your life only a little, but your home gives little support. "
            "IOP gives more structure and support than standard outpatient care."
        ),
        source=cite(SEED_003, SEED_000),
    ),
)


# --- Notes (shown with the result; they never change the level) ------------------------------


@dataclass(frozen=True)
class Note:
    when: dict[str, frozenset[str]]
    text: str


# The notes' wording follows screening.md; the seeds behind them: hours per week, the table
# in 003; out-of-hours sessions, 002 and 003; living close to a centre, 004; co-occurring
# care, 001 and 002.
NOTES = (
    Note(
        when=_when(escalation=(EMERGENCY, INPATIENT, DETOX)),
        text=_(
            "Start with the care above first. The level shown is the likely next step after it."
        ),
    ),
    Note(
        when=_when(level=PHP, hours_available=("under_3", "3_to_8", "9_to_19")),
        text=_("PHP usually takes 20 or more hours a week (5-7 days, 4-6 hours a day)."),
    ),
    Note(
        when=_when(level=IOP, hours_available=("under_3", "3_to_8")),
        text=_("IOP usually takes 9 to 20 hours a week (3-5 days, 3-4 hours a day)."),
    ),
    Note(
        when=_when(commitments="yes", level=(IOP, OUTPATIENT)),
        text=_("Look for evening or weekend sessions, so you can keep up with your commitments."),
    ),
    Note(
        when=_when(attendance="telehealth"),
        text=_(
            "Look for programs that meet online (telehealth). Going in person means living "
            "close enough to get to a program several times a week."
        ),
    ),
    Note(
        when=_when(focus="both"),
        text=_(
            "Look for programs that treat alcohol or drug use and mental health together "
            "(called co-occurring or dual diagnosis care)."
        ),
    ),
)


# --- Hand-off to search (parameters of the search issue's public contract) -------------------

SEARCH_PATH = "/programs/"
FOCUS_FILTER = {
    "substance_use": "substance_use",
    "mental_health": "mental_health",
    "both": "co_occurring",
}
# With commitments to keep, IOP and outpatient are searched for out-of-hours sessions;
# PHP runs most of the day, so filtering it by time of day would only hide programs.
TIMES_OF_DAY_FOR_COMMITMENTS = ("evening", "weekend")
AGE_GROUP_POPULATION = {"adolescent": "adolescents"}

# The settings an escalation sends people to, as the search's `level` values (care above
# PHP, programs/levels.py). E2 names "a hospital or residential program": both give care
# around the clock (004). An emergency is never a search: 911 and 988 come first.
ESCALATION_SETTINGS = {
    INPATIENT: (levels.INPATIENT, levels.RESIDENTIAL),
    DETOX: (levels.DETOX,),
}
