"""Ranking programs for a caller: hard requirements filter, preferences score, in the database.

The rules below are plain data so a reviewer can read them as a table. Only the ~20 rows a
guide sees get their reasons worked out in Python (`explain`), from the annotated flags.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from programs import display
from programs.filters import TIME_OF_DAY_FIELDS, time_of_day_match
from programs.models import Program
from programs.search import (
    Place,
    bounding_box,
    distance_expression,
    has_any_term,
    place_of_zip,
)

# Which program focus can serve which need ("both" needs are best served by programs for
# co-occurring disorders, 001_ebe16e7093303e8b.txt and 002_636f85149ec5727d.txt, but a
# single-focus program is still shown, scored lower).
FOCUS_SERVED_BY = {
    "substance_use": ["substance_use", "co_occurring"],
    "mental_health": ["mental_health", "co_occurring"],
    "co_occurring": ["co_occurring", "substance_use", "mental_health"],
}
# The SAMHSA locator never lists English, so asking for it filters nothing.
LANGUAGES_ASSUMED = {"english"}

# Points for each preference; the score is their sum. Hard requirements are filters, never points.
WEIGHTS = {
    "times_of_day": 30,  # offers at least one time the caller can attend
    "hours_fit": 20,  # needs no more hours a week than the caller can give
    "hours_unknown": 5,  # schedule not verified: maybe, call to ask
    "accepting": 15,  # accepting new clients
    "near": 15,  # within NEAR_MILES
    "fairly_near": 10,  # within FAIRLY_NEAR_MILES
    "in_radius": 5,  # farther, but within the caller's radius
    "telehealth": 5,  # reachable by telehealth only
    "cost_known": 10,  # cost verified
    "cost_low": 10,  # cost verified and under LOW_COST_PER_SESSION per session
    "cost_moderate": 5,  # cost verified and under MODERATE_COST_PER_SESSION per session
    "recently_verified": 10,  # listing checked within STALE_AFTER_DAYS (180 days)
    "insurer": 10,  # lists the caller's insurer
    "co_occurring": 10,  # treats co-occurring disorders, for a caller who needs both
}
NEAR_MILES = 5
FAIRLY_NEAR_MILES = 15
# 003_6f45defad1b00d45.txt: "$250 to $400 per session" is the usual IOP range.
LOW_COST_PER_SESSION = 100
MODERATE_COST_PER_SESSION = 250

SHOWN = 20
# The caller's fields the matcher reads (besides payment kinds and the screening's level).
NEEDS_FROM_FORM = [
    "zip_code",
    "radius_miles",
    "insurer",
    "telehealth_ok",
    "focus",
    "population",
    "language",
    "times_of_day",
    "hours_per_week_max",
]


@dataclass(frozen=True)
class Needs:
    """What a caller needs, as the matcher reads it (from a saved record or an unsaved form)."""

    zip_code: str
    radius_miles: int
    level: str | None = None
    payments: tuple[str, ...] = ()
    insurer: str | None = None
    insurer_name: str = ""
    telehealth_ok: bool = False
    focus: str = ""
    population: str | None = None
    population_name: str = ""
    language: str | None = None
    language_name: str = ""
    times_of_day: tuple[str, ...] = ()
    hours_per_week_max: int | None = None

    @classmethod
    def of_caller(cls, caller) -> "Needs":
        details = {name: getattr(caller, name) for name in NEEDS_FROM_FORM}
        details["payment_kinds"] = caller.payment_kinds.all()
        return replace(cls.of_details(details), level=caller.recommended_level)

    @classmethod
    def of_details(cls, details: dict) -> "Needs":
        """From a needs form's cleaned data (or a caller's fields): also for a caller who
        is not stored."""
        insurer, population, language = (
            details.get("insurer"),
            details.get("population"),
            details.get("language"),
        )
        return cls(
            zip_code=details["zip_code"],
            radius_miles=details["radius_miles"],
            payments=tuple(kind.slug for kind in details.get("payment_kinds") or ()),
            insurer=insurer.slug if insurer else None,
            insurer_name=str(insurer or ""),
            telehealth_ok=bool(details.get("telehealth_ok")),
            focus=details.get("focus") or "",
            population=population.slug if population else None,
            population_name=str(population or ""),
            language=language.slug if language else None,
            language_name=str(language or ""),
            times_of_day=tuple(details.get("times_of_day") or ()),
            hours_per_week_max=details.get("hours_per_week_max"),
        )

    @property
    def place(self) -> Place | None:
        return place_of_zip(self.zip_code)


def _points(condition: Q, weight: str) -> Case:
    return Case(When(condition, then=Value(WEIGHTS[weight])), default=Value(0))


def ranked_programs(needs: Needs, *, today: date) -> QuerySet[Program]:
    """Published programs that meet every hard requirement, best fit first.

    Hard: level (the screening's, if any), a payment the caller has (if any recorded), in
    person within the radius or telehealth in the caller's state, focus, population and
    language when given. Annotates `score`, `distance`, `by_telehealth`, `takes_insurer`.
    """
    programs = Program.objects.published().select_related("provider", "site")
    place = needs.place
    if place is None:
        return programs.none()

    if needs.level:
        programs = programs.filter(level_of_care=needs.level)
    if needs.payments:
        programs = programs.filter(has_any_term("payment", needs.payments))
    if needs.focus:
        programs = programs.filter(focus__in=FOCUS_SERVED_BY[needs.focus])
    if needs.population:
        programs = programs.filter(has_any_term("population", [needs.population]))
    if needs.language and needs.language not in LANGUAGES_ASSUMED:
        programs = programs.filter(has_any_term("language", [needs.language]))

    # The program's own indexed copy of its site's place (as the search reads it): one table.
    in_person = Q(format__in=["in_person", "both"]) & bounding_box(place, needs.radius_miles)
    telehealth = (
        Q(format__in=["telehealth", "both"], search_state=place.state)
        if needs.telehealth_ok
        else Q(pk__in=[])
    )
    programs = programs.filter(in_person | telehealth).annotate(
        distance=Case(
            When(in_person, then=distance_expression(place)),
            output_field=FloatField(),
        )
    )
    reachable_in_person = Q(distance__lte=needs.radius_miles)
    programs = programs.filter(reachable_in_person | telehealth).annotate(
        by_telehealth=Case(
            When(reachable_in_person, then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        ),
        takes_insurer=(
            Case(
                When(has_any_term("insurer", [needs.insurer]), then=Value(True)),
                default=Value(False),
            )
            if needs.insurer
            else Value(False, output_field=BooleanField())
        ),
    )

    cost_known = Q(cost_per_session_min__isnull=False) | Q(total_cost_min__isnull=False)
    verified_since = today - timedelta(days=settings.STALE_AFTER_DAYS)
    score = (
        _points(Q(accepting_new_clients=True), "accepting")
        + _points(cost_known, "cost_known")
        + _points(Q(cost_per_session_min__lt=LOW_COST_PER_SESSION), "cost_low")
        + _points(
            Q(cost_per_session_min__gte=LOW_COST_PER_SESSION)
            & Q(cost_per_session_min__lt=MODERATE_COST_PER_SESSION),
            "cost_moderate",
        )
        + _points(Q(last_verified_on__gte=verified_since), "recently_verified")
        + Case(
            When(distance__lte=NEAR_MILES, then=Value(WEIGHTS["near"])),
            When(distance__lte=FAIRLY_NEAR_MILES, then=Value(WEIGHTS["fairly_near"])),
            When(distance__lte=needs.radius_miles, then=Value(WEIGHTS["in_radius"])),
            default=Value(WEIGHTS["telehealth"]),
        )
        + _points(Q(takes_insurer=True), "insurer")
    )
    if needs.times_of_day:
        score += _points(time_of_day_match(needs.times_of_day), "times_of_day")
    if needs.hours_per_week_max is not None:
        score += Case(
            When(hours_per_week_min__isnull=True, then=Value(WEIGHTS["hours_unknown"])),
            When(
                hours_per_week_min__lte=needs.hours_per_week_max,
                then=Value(WEIGHTS["hours_fit"]),
            ),
            default=Value(0),
        )
    if needs.focus == "co_occurring":
        score += _points(Q(focus="co_occurring"), "co_occurring")

    return programs.annotate(score=ExpressionWrapper(score, output_field=IntegerField())).order_by(
        "-score", F("distance").asc(nulls_last=True), "name", "id"
    )


@dataclass(frozen=True)
class Reason:
    text: str
    points: int = 0


@dataclass(frozen=True)
class Match:
    program: Program
    score: int
    fits: list[Reason]
    misses: list[str]


def _time_label(time: str) -> tuple[str, str]:
    return {
        "morning": (_("Has a morning track"), _("No morning track")),
        "afternoon": (_("Has an afternoon track"), _("No afternoon track")),
        "evening": (_("Has an evening track"), _("No evening track")),
        "weekend": (_("Meets on weekends"), _("No weekend sessions")),
    }[time]


def explain(program: Program, needs: Needs, *, today: date) -> Match:
    """Why a ranked program scores what it does, and what does not fit, from its annotations."""
    fits, misses = [], []

    if program.by_telehealth:
        fits.append(
            Reason(
                _("Telehealth in %(state)s") % {"state": program.site.state}, WEIGHTS["telehealth"]
            )
        )
    else:
        miles = program.distance
        weight = (
            "near"
            if miles <= NEAR_MILES
            else "fairly_near"
            if miles <= FAIRLY_NEAR_MILES
            else "in_radius"
        )
        fits.append(Reason(_("%(miles).1f miles away") % {"miles": miles}, WEIGHTS[weight]))

    if program.hours_per_week_min is None:
        misses.append(_("Schedule not verified"))
        if needs.hours_per_week_max is not None:
            fits.append(Reason(_("Hours a week not known: ask"), WEIGHTS["hours_unknown"]))
    else:
        for time in needs.times_of_day:
            has, lacks = _time_label(time)
            if getattr(program, TIME_OF_DAY_FIELDS[time]):
                fits.append(Reason(has))
            else:
                misses.append(lacks)
        offered = [t for t in needs.times_of_day if getattr(program, TIME_OF_DAY_FIELDS[t])]
        if offered:
            fits.append(Reason(_("Meets at a time they can attend"), WEIGHTS["times_of_day"]))
        if needs.hours_per_week_max is not None:
            hours = {"hours": display._number(program.hours_per_week_min)}
            hours["most"] = needs.hours_per_week_max
            if program.hours_per_week_min <= needs.hours_per_week_max:
                fits.append(
                    Reason(
                        _("From %(hours)s h/week, within their %(most)s") % hours,
                        WEIGHTS["hours_fit"],
                    )
                )
            else:
                misses.append(
                    _("Needs at least %(hours)s h/week, more than their %(most)s") % hours
                )

    if program.cost_known:
        fits.append(Reason(display.cost_line(program), WEIGHTS["cost_known"]))
        per_session = program.cost_per_session_min
        if per_session is not None and per_session < LOW_COST_PER_SESSION:
            fits.append(Reason(_("Low cost per session"), WEIGHTS["cost_low"]))
        elif per_session is not None and per_session < MODERATE_COST_PER_SESSION:
            fits.append(Reason(_("Moderate cost per session"), WEIGHTS["cost_moderate"]))
    else:
        misses.append(_("Cost not verified"))

    if program.accepting_new_clients:
        fits.append(Reason(_("Accepting new clients"), WEIGHTS["accepting"]))
    elif program.accepting_new_clients is None:
        misses.append(_("Not known whether accepting new clients"))
    else:
        misses.append(_("Not accepting new clients now"))

    if program.last_verified_on and program.last_verified_on >= today - timedelta(
        days=settings.STALE_AFTER_DAYS
    ):
        fits.append(
            Reason(
                _("Verified %(date)s") % {"date": program.last_verified_on.isoformat()},
                WEIGHTS["recently_verified"],
            )
        )
    else:
        misses.append(
            _("Not verified in the last %(days)s days") % {"days": settings.STALE_AFTER_DAYS}
        )

    if needs.insurer:
        if program.takes_insurer:
            fits.append(
                Reason(_("Lists %(insurer)s") % {"insurer": needs.insurer_name}, WEIGHTS["insurer"])
            )
        else:
            misses.append(
                _("%(insurer)s not listed: check coverage") % {"insurer": needs.insurer_name}
            )

    if needs.focus == "co_occurring":
        if program.focus == "co_occurring":
            fits.append(Reason(_("Treats co-occurring disorders"), WEIGHTS["co_occurring"]))
        else:
            misses.append(
                _("Treats %(focus)s only") % {"focus": program.get_focus_display().lower()}
            )
    if needs.population:
        fits.append(Reason(_("Serves %(who)s") % {"who": needs.population_name.lower()}))
    if needs.language and needs.language not in LANGUAGES_ASSUMED:
        fits.append(Reason(_("Offers %(language)s") % {"language": needs.language_name}))

    return Match(program=program, score=program.score, fits=fits, misses=misses)


def best_matches(needs: Needs, *, today: date, limit: int = SHOWN) -> list[Match]:
    return [
        explain(program, needs, today=today)
        for program in ranked_programs(needs, today=today)[:limit]
    ]
