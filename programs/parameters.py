"""Every public search parameter of /programs/ and /api/programs/, declared once.

Each declaration says what the parameter is called and shown as, which values it takes,
how it matches (`match`, implemented once in programs/engine.py), where the program's fact
comes from (`source`), where it sits in the filter panel, what its chip says and how the
API describes it. The form (programs/filters.py), the filter panel and chips
(programs/search_page.py and templates/programs/includes/), the "loosen your search"
suggestions, the OpenAPI description (programs/openapi.py) and the guides' matching
(guides/matching.py) all read this list; no other module lists parameter names.

Adding a filter on a vocabulary term is one `Parameter(...)` below, its tests and its
translations (the README's "Adding a search filter").
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from programs import levels, vocabulary

# How a parameter matches a program (programs/engine.py has one implementation of each).
ANY_OF = "any_of"  # holds at least one of the chosen values (repeatable)
ALL_OF = "all_of"  # holds every chosen value (repeatable)
ONE_OF = "one_of"  # holds the one chosen value
FLAG = "flag"  # "1": holds the parameter's single fact
AT_MOST = "at_most"  # the program's number is at most the value; unknown numbers are left out
WORDS = "words"  # the database's text search over name, provider, place and services
DISTANCE = "distance"  # within the radius of a ZIP code, or telehealth in its state
STEERS = "steers"  # changes how another parameter or the order applies; matches nothing
FACETED = (ANY_OF, ALL_OF, ONE_OF, FLAG)  # every value has a count beside it


@dataclass(frozen=True)
class Column:
    """A program's own column, or a fact the engine works out from its columns as of today
    (engine.WORKED_OUT): it holds value v when the column's value is one of served_by[v]
    (v itself when not listed)."""

    name: str
    served_by: dict = field(default_factory=dict)

    def serving(self, value) -> list:
        return self.served_by.get(value, [value])


@dataclass(frozen=True)
class Flags:
    """Yes/no columns of the program, one per value."""

    columns: dict[str, str]


@dataclass(frozen=True)
class Terms:
    """A many-to-many field of vocabulary terms; the values are the terms' slugs."""

    field: str


@dataclass(frozen=True)
class Loosen:
    """A suggestion when nothing matches: set or remove parameters. Shown only when it
    changes the search (and, with `over`, when more than that many values are chosen)."""

    label: str
    set: dict[str, str] = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    over: int = 0


@dataclass(frozen=True)
class Unknown:
    """Programs whose fact a parameter reads is not yet verified (their `number` is empty)
    are left out, unless the search gives the `steer` parameter; the results page says how
    many were left out, with one click to include them."""

    steer: str
    number: str


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    match: str
    api: str  # the OpenAPI description
    choices: tuple = ()  # (value, label) pairs
    source: Column | Flags | Terms | None = None
    hint: str = ""  # shown under the label in the panel
    bounds: tuple = ()  # (least, most) for numbers
    decimals: int | None = None  # None: whole numbers only
    default: object = None
    max_length: int | None = None
    panel: str = ""  # "search" (the main box), "filters", "more" (folded), "" (not there)
    fieldset: str = ""  # shares a fieldset of FIELDSETS with others; "" is its own
    chip: str = ""  # "%(value)s" for the value; choices show their label
    loosen: Loosen | None = None
    unknown: Unknown | None = None  # how programs whose fact is not yet verified are kept
    # The values searched when the parameter is not given (all when empty): care above PHP
    # is listed, and found only when asked for.
    unasked: tuple = ()
    left_out: str = ""  # a steer's note: how many programs it would keep (count, programs)
    # The API's example of a value when the choices do not say it.
    example: object = None

    @property
    def repeatable(self) -> bool:
        return self.match in (ANY_OF, ALL_OF)

    @property
    def faceted(self) -> bool:
        return self.match in FACETED

    @property
    def values(self) -> list[str]:
        return [value for value, _label in self.choices]


def _terms(terms: dict) -> tuple:
    return tuple((slug, _(vocabulary.label_of(entry))) for slug, entry in terms.items())


# A program for co-occurring disorders treats substance use and mental health alike, so it
# serves either single need (domain.md "Focus"; most SAMHSA listings are co-occurring);
# asking for co-occurring care finds only programs that treat both.
FOCUS_SERVED_BY = {
    "substance_use": ["substance_use", "co_occurring"],
    "mental_health": ["mental_health", "co_occurring"],
}
# A person asks for a way to attend; "both" programs offer either. Near a ZIP code, in person
# also means within the radius (programs/engine.py, Reach).
FORMAT_SERVED_BY = {"in_person": ["in_person", "both"], "telehealth": ["telehealth", "both"]}
IN_PERSON = "in_person"
TIMES_OF_DAY = {time: f"offers_{time}" for time in vocabulary.TIMES_OF_DAY}
SCHEDULE_LIMITS = ("max_days_per_week", "max_hours_per_week", "max_weeks")
LESS_SCHEDULE = Loosen(_("Remove the schedule limits"), remove=SCHEDULE_LIMITS)
DEFAULT_RADIUS = 25
RADIUS_CHOICES = (10, 25, 50, 100)
REPEATABLE = "Repeat the parameter to combine values with OR."
UNVERIFIED_SCHEDULE = (
    "Programs whose schedule is not yet verified are left out unless include_unknown_schedule=1."
)

# Orders of the results: name -> (label, the program's number it sorts by, descending?).
# Ties, and programs whose number is unknown (always last), go by name. "distance" and
# "relevance" sort by what the search works out (miles from `near`, the words' rank).
SORTS = {
    "distance": (_("Nearest first"), None, False),
    "relevance": (_("Best match"), None, True),
    "cost": (_("Lowest cost first"), "cost_per_session_min", False),
    "hours": (_("Fewest hours a week first"), "hours_per_week_min", False),
    "verified": (_("Most recently verified"), "last_verified_on", True),
    "name": (_("Name"), None, False),
}
SORT_API = (
    "Order: distance (default with near), relevance (default with q), cost (lowest first), "
    "hours (fewest a week first), verified (most recent first), name."
)
# Fieldsets that hold several parameters: name -> (legend, hint).
FIELDSETS = {
    "cost": (_("Cost"), ""),
    "schedule": (
        _("What your week allows"),
        _(
            "Programs you can attend within these limits. Programs whose schedule is not yet "
            "verified are left out unless you include them."
        ),
    ),
    "availability": (_("Availability"), ""),
}

# In the order they appear in the panel and the API's description.
PARAMETERS = (
    Parameter(
        "q",
        _("Search by name, provider, city or service"),
        WORDS,
        "Free text over program name, provider, city and services. On PostgreSQL, web search "
        'syntax: "quoted phrase", -exclude, or.',
        max_length=200,
        panel="search",
        chip=_("Words: “%(value)s”"),
    ),
    Parameter(
        "near",
        _("ZIP code"),
        DISTANCE,
        "A 5-digit US ZIP code (format us-zip-code: one whose centre is known; others answer "
        "400). Results are within `radius` miles of its centre, plus "
        'telehealth programs in the same state (reach "telehealth").',
        hint=_("5 digits, like 94103"),
        panel="search",
        chip=_("Within %(radius)s miles of %(value)s"),
        loosen=Loosen(_("Look up to 100 miles away"), set={"radius": "100"}),
        example="94103",
    ),
    Parameter(
        "radius",
        _("Within (miles)"),
        STEERS,
        f"Miles from `near`, 1-100 (default {DEFAULT_RADIUS}).",
        bounds=(1, 100),
        default=DEFAULT_RADIUS,
        panel="search",
    ),
    Parameter(
        "level",
        _("Level of care"),
        ANY_OF,
        f"Level of care. {REPEATABLE} Without it: php, iop and outpatient; residential, "
        "inpatient and detox (care above PHP) only when asked for.",
        choices=tuple(
            (level, _(entry["label"])) for level, entry in vocabulary.LEVELS_OF_CARE.items()
        ),
        source=Column("level_of_care"),
        panel="filters",
        unasked=levels.LEVEL_ORDER,
    ),
    Parameter(
        "payment",
        _("Payment accepted"),
        ANY_OF,
        f"Payment kinds accepted. {REPEATABLE}",
        choices=_terms(vocabulary.PAYMENT_KINDS),
        source=Terms("payment_kinds"),
        hint=_("Any of these"),
        panel="filters",
    ),
    Parameter(
        "time_of_day",
        _("Time of day"),
        ANY_OF,
        f"Times the program meets. {REPEATABLE}",
        choices=_terms(vocabulary.TIMES_OF_DAY),
        source=Flags(TIMES_OF_DAY),
        hint=_("Any of these"),
        panel="filters",
        unknown=Unknown("include_unknown_schedule", "hours_per_week_min"),
    ),
    Parameter(
        "max_cost_per_session",
        _("Most I can pay per session ($)"),
        AT_MOST,
        "Dollars. Programs whose lowest known per-session cost is at most this. Programs "
        "whose cost is not yet verified are left out unless include_unknown_cost=1.",
        source=Column("cost_per_session_min"),
        bounds=(0, 100000),
        decimals=2,
        panel="filters",
        fieldset="cost",
        chip=_("Up to $%(value)s a session"),
        loosen=Loosen(
            _("Include programs whose cost is not yet verified"),
            set={"include_unknown_cost": "1"},
        ),
        unknown=Unknown("include_unknown_cost", "cost_per_session_min"),
    ),
    Parameter(
        "include_unknown_cost",
        _("Include programs whose cost is not yet verified"),
        STEERS,
        "1: keep programs whose cost is not yet verified when max_cost_per_session is given.",
        panel="filters",
        fieldset="cost",
        chip=_("Including costs not yet verified"),
        left_out=ngettext_lazy(
            "%(programs)s more program may fit, but its cost is not yet verified.",
            "%(programs)s more programs may fit, but their cost is not yet verified.",
            "count",
        ),
    ),
    Parameter(
        "max_days_per_week",
        _("At most this many days a week"),
        AT_MOST,
        "Programs you can attend on at most this many days a week (their lightest track). "
        + UNVERIFIED_SCHEDULE,
        source=Column("days_per_week_min"),
        bounds=(1, 7),
        panel="filters",
        fieldset="schedule",
        chip=_("At most %(value)s days a week"),
        loosen=LESS_SCHEDULE,
        unknown=Unknown("include_unknown_schedule", "days_per_week_min"),
    ),
    Parameter(
        "max_hours_per_week",
        _("At most this many hours a week"),
        AT_MOST,
        "Programs you can attend for at most this many hours a week (their lightest track). "
        + UNVERIFIED_SCHEDULE,
        source=Column("hours_per_week_min"),
        bounds=(1, 168),
        decimals=1,
        panel="filters",
        fieldset="schedule",
        chip=_("At most %(value)s hours a week"),
        loosen=LESS_SCHEDULE,
        unknown=Unknown("include_unknown_schedule", "hours_per_week_min"),
    ),
    Parameter(
        "max_weeks",
        _("At most this many weeks"),
        AT_MOST,
        "Programs whose shortest length is at most this many weeks. Programs whose length is "
        "not yet verified are left out unless include_unknown_schedule=1.",
        source=Column("length_weeks_min"),
        bounds=(1, 104),
        panel="filters",
        fieldset="schedule",
        chip=_("At most %(value)s weeks"),
        loosen=LESS_SCHEDULE,
        unknown=Unknown("include_unknown_schedule", "length_weeks_min"),
    ),
    Parameter(
        "include_unknown_schedule",
        _("Include programs whose schedule is not yet verified"),
        STEERS,
        "1: keep programs whose schedule is not yet verified when time_of_day, "
        "max_days_per_week, max_hours_per_week or max_weeks is given.",
        panel="filters",
        fieldset="schedule",
        chip=_("Including schedules not yet verified"),
        left_out=ngettext_lazy(
            "%(programs)s more program may fit, but its schedule is not yet verified.",
            "%(programs)s more programs may fit, but their schedule is not yet verified.",
            "count",
        ),
    ),
    Parameter(
        "focus",
        _("Focus"),
        ONE_OF,
        "What the program treats. substance_use and mental_health include programs for "
        "co-occurring disorders (they treat both); co_occurring finds only those.",
        choices=_terms(vocabulary.FOCUS),
        source=Column("focus", FOCUS_SERVED_BY),
        panel="filters",
    ),
    Parameter(
        "format",
        _("How you attend"),
        ONE_OF,
        "How you attend. Programs offering both formats match either value. With `near`, "
        "in_person keeps only programs within the radius.",
        choices=(("in_person", _("In person")), ("telehealth", _("Telehealth"))),
        source=Column("format", FORMAT_SERVED_BY),
        panel="filters",
    ),
    Parameter(
        "accepting",
        _("Accepting new clients only"),
        FLAG,
        "1: only programs accepting new clients, as confirmed in the last "
        f"{settings.AVAILABILITY_STALE_DAYS} days (`availability`).",
        choices=(("1", _("Accepting new clients")),),
        # Program.accepting_now: an "accepting" older than AVAILABILITY_STALE_DAYS is unknown.
        source=Column("accepting_now", {"1": [True]}),
        panel="filters",
        fieldset="availability",
    ),
    Parameter(
        "insurer",
        _("Insurance company"),
        ANY_OF,
        f"Named private insurers. {REPEATABLE}",
        choices=_terms(vocabulary.INSURERS),
        source=Terms("insurers"),
        hint=_("Any of these"),
        panel="more",
    ),
    Parameter(
        "service",
        _("Services"),
        ALL_OF,
        "Services; a program must offer every one given (repeat the parameter).",
        choices=_terms(vocabulary.SERVICES),
        source=Terms("services"),
        hint=_("Programs offering all you tick"),
        panel="more",
        loosen=Loosen(_("Ask for fewer services"), remove=("service",), over=1),
    ),
    Parameter(
        "population",
        _("Who it is for"),
        ANY_OF,
        f"Who the program is for. {REPEATABLE}",
        choices=_terms(vocabulary.POPULATIONS),
        source=Terms("populations"),
        hint=_("Any of these"),
        panel="more",
    ),
    Parameter(
        "language",
        _("Language"),
        ANY_OF,
        f"Languages offered. {REPEATABLE}",
        choices=_terms(vocabulary.LANGUAGES),
        source=Terms("languages"),
        hint=_("Any of these"),
        panel="more",
    ),
    Parameter(
        "accreditation",
        _("Accreditation"),
        ANY_OF,
        f"Accredited by. {REPEATABLE}",
        choices=_terms(vocabulary.ACCREDITATIONS),
        source=Terms("accreditations"),
        hint=_("Any of these"),
        panel="more",
    ),
    Parameter(
        "sort",
        _("Sort by"),
        STEERS,
        SORT_API,
        choices=tuple((name, label) for name, (label, _number, _descending) in SORTS.items()),
    ),
)
BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
FACETS = tuple(parameter for parameter in PARAMETERS if parameter.faceted)

assert set(levels.LEVEL_ORDER + levels.MORE_CARE) == set(BY_NAME["level"].values)
