"""Ranking programs for a caller: hard requirements filter, preferences score, in the database.

The rules below are plain data so a reviewer can read them as a table. Only the ~20 rows a
guide sees get their reasons worked out in Python (`explain`), from the annotated flags.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy

from iopfinder.translation import once_per_language
from programs import display, search_sql
from programs.search import TIME_OF_DAY_FIELDS, Place, place_of_zip
from programs.search_sql import FALSE, Sql
from programs.selectors import ResultRow, result_rows

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


def ranking_sql(needs: Needs, *, today: date, limit: int | None = None) -> Sql | None:
    """Published programs that meet every hard requirement, best fit first, as ids with
    their score, distance, by_telehealth and takes_insurer (None: the ZIP is not a place).

    Hard: level (the screening's, if any), a payment the caller has (if any recorded), in
    person within the radius or telehealth in the caller's state, focus, population and
    language when given. Built from the search's own conditions (programs/search_sql.py);
    on PostgreSQL the two ways of reaching the caller are index-only scans joined by UNION
    ALL, as in the search.
    """
    place = needs.place
    if place is None:
        return None
    hard = [*search_sql.plain_conditions({})]
    if needs.level:
        hard.append(search_sql.facet_selection("level", [needs.level], keyed=True))
    if needs.payments:
        hard.append(search_sql.facet_selection("payment", needs.payments))
    if needs.focus:
        hard.append(search_sql.has_flag(*(f"focus:{f}" for f in FOCUS_SERVED_BY[needs.focus])))
    if needs.population:
        hard.append(search_sql.facet_selection("population", [needs.population]))
    if needs.language and needs.language not in LANGUAGES_ASSUMED:
        hard.append(search_sql.facet_selection("language", [needs.language]))

    near = search_sql.Near(place, needs.radius_miles)
    attends = search_sql.has_flag("format:in_person", "format:both")
    in_person = search_sql.all_of([attends, near.in_radius])
    # Within the box, the distance even of a program reached by telehealth (it ranks them).
    in_box, distance = near.in_box, near.distance
    box_distance = Sql(
        f"CASE WHEN ({attends.text}) AND ({in_box.text}) THEN {distance.text} END",
        (*attends.params, *in_box.params, *distance.params),
    )
    telehealth = search_sql.all_of(
        [
            near.telehealth_in_state,
            Sql(f"NOT COALESCE({in_person.text}, %s)", (*in_person.params, False)),
        ]
    )
    ways = [(in_person, distance, "FALSE")]
    if needs.telehealth_ok:
        ways.append((telehealth, box_distance, "TRUE"))

    takes_insurer = (
        search_sql.facet_selection("insurer", [needs.insurer]) if needs.insurer else FALSE
    )

    def ranked(where: Sql, miles: Sql, by_telehealth: Sql) -> Sql:
        score = _score(needs, today, miles)
        condition = search_sql.all_of([*hard, where])
        return Sql(
            f"SELECT {search_sql.column('id')}, {score.text} AS score, {miles.text} AS distance, "
            f"{by_telehealth.text} AS by_telehealth, "
            f"CASE WHEN {takes_insurer.text} THEN TRUE ELSE FALSE END AS takes_insurer "
            f"FROM programs_program WHERE {condition.text}",
            (
                *score.params,
                *miles.params,
                *by_telehealth.params,
                *takes_insurer.params,
                *condition.params,
            ),
        )

    if connection.vendor == "postgresql":
        parts = [ranked(where, miles, Sql(by_telehealth)) for where, miles, by_telehealth in ways]
    else:
        # One pass: in person if the row is, else by telehealth.
        parts = [
            ranked(
                search_sql.any_of([where for where, _miles, _by in ways]),
                Sql(
                    f"CASE WHEN {in_person.text} THEN {distance.text} ELSE {box_distance.text} END",
                    (*in_person.params, *distance.params, *box_distance.params),
                ),
                Sql(f"NOT COALESCE({in_person.text}, %s)", (*in_person.params, False)),
            )
        ]
    union = Sql(
        " UNION ALL ".join(f"({part.text})" for part in parts),
        tuple(p for part in parts for p in part.params),
    )
    ties = " FETCH FIRST %s ROWS WITH TIES" if limit and connection.vendor == "postgresql" else ""
    found = Sql(
        f"SELECT * FROM ({union.text}) reached ORDER BY score DESC, distance NULLS LAST{ties}",
        (*union.params, *((limit,) if ties else ())),
    )
    order = Sql(
        " ORDER BY found.score DESC, found.distance NULLS LAST, p.name, p.id"
        + (" LIMIT %s" if limit else ""),
        (limit,) if limit else (),
    )
    return search_sql.full_rows(found, order, extra=RANKED)


RANKED = ("score", "distance", "by_telehealth", "takes_insurer")


def _score(needs: Needs, today: date, miles: Sql) -> Sql:
    """The preferences' points (WEIGHTS), summed in SQL. Weights and cost bands are written
    in as numbers; the caller's own values are parameters."""
    column = search_sql.column
    cost = column("cost_per_session_min")

    def points(condition: str, weight: str, params=()) -> Sql:
        return Sql(f"CASE WHEN {condition} THEN {WEIGHTS[weight]:d} ELSE 0 END", tuple(params))

    near = (
        f"CASE WHEN {miles.text} <= {NEAR_MILES:d} THEN {WEIGHTS['near']:d} "
        f"WHEN {miles.text} <= {FAIRLY_NEAR_MILES:d} THEN {WEIGHTS['fairly_near']:d} "
        f"WHEN {miles.text} <= %s THEN {WEIGHTS['in_radius']:d} "
        f"ELSE {WEIGHTS['telehealth']:d} END"
    )
    scores = [
        points(search_sql.has_flag("accepting").text, "accepting"),
        points(f"{cost} IS NOT NULL OR {column('total_cost_min')} IS NOT NULL", "cost_known"),
        points(f"{cost} < {LOW_COST_PER_SESSION:d}", "cost_low"),
        points(
            f"{cost} >= {LOW_COST_PER_SESSION:d} AND {cost} < {MODERATE_COST_PER_SESSION:d}",
            "cost_moderate",
        ),
        points(
            f"{column('last_verified_on')} >= %s",
            "recently_verified",
            [today - timedelta(days=settings.STALE_AFTER_DAYS)],
        ),
        Sql(near, (*miles.params, *miles.params, *miles.params, float(needs.radius_miles))),
    ]
    if needs.insurer:
        insurer = search_sql.facet_selection("insurer", [needs.insurer])
        scores.append(points(insurer.text, "insurer", insurer.params))
    if needs.times_of_day:
        times = search_sql.facet_selection("time_of_day", needs.times_of_day)
        scores.append(points(times.text, "times_of_day", times.params))
    if needs.hours_per_week_max is not None:
        hours = column("hours_per_week_min")
        scores.append(
            Sql(
                f"CASE WHEN {hours} IS NULL THEN {WEIGHTS['hours_unknown']:d} "
                f"WHEN {hours} <= %s THEN {WEIGHTS['hours_fit']:d} ELSE 0 END",
                (needs.hours_per_week_max,),
            )
        )
    if needs.focus == "co_occurring":
        scores.append(points(search_sql.has_flag("focus:co_occurring").text, "co_occurring"))
    return search_sql.all_sums(scores)


def ranked_programs(needs: Needs, *, today: date, limit: int | None = None) -> list:
    """The programs meeting every hard requirement, best fit first (ranking_sql), as rows
    with the program's fields and its score, distance, by_telehealth and takes_insurer."""
    query = ranking_sql(needs, today=today, limit=limit)
    if query is None:
        return []
    return result_rows(query, RANKED)


@dataclass(frozen=True)
class Reason:
    text: str
    points: int = 0


@dataclass(frozen=True)
class Match:
    program: ResultRow
    score: int
    fits: list[Reason]
    misses: list[str]


# What a match's reasons say, translated once per language (reasons()).
REASONS = {
    "has_morning": gettext_lazy("Has a morning track"),
    "lacks_morning": gettext_lazy("No morning track"),
    "has_afternoon": gettext_lazy("Has an afternoon track"),
    "lacks_afternoon": gettext_lazy("No afternoon track"),
    "has_evening": gettext_lazy("Has an evening track"),
    "lacks_evening": gettext_lazy("No evening track"),
    "has_weekend": gettext_lazy("Meets on weekends"),
    "lacks_weekend": gettext_lazy("No weekend sessions"),
    "telehealth_in": gettext_lazy("Telehealth in %(state)s"),
    "miles_away": gettext_lazy("%(miles).1f miles away"),
    "schedule_unknown": gettext_lazy("Schedule not verified"),
    "hours_unknown": gettext_lazy("Hours a week not known: ask"),
    "time_fits": gettext_lazy("Meets at a time they can attend"),
    "hours_fit": gettext_lazy("From %(hours)s h/week, within their %(most)s"),
    "hours_too_many": gettext_lazy("Needs at least %(hours)s h/week, more than their %(most)s"),
    "cost_low": gettext_lazy("Low cost per session"),
    "cost_moderate": gettext_lazy("Moderate cost per session"),
    "cost_unknown": gettext_lazy("Cost not verified"),
    "accepting": gettext_lazy("Accepting new clients"),
    "accepting_unknown": gettext_lazy("Not known whether accepting new clients"),
    "not_accepting": gettext_lazy("Not accepting new clients now"),
    "verified": gettext_lazy("Verified %(date)s"),
    "not_verified": gettext_lazy("Not verified in the last %(days)s days"),
    "lists_insurer": gettext_lazy("Lists %(insurer)s"),
    "insurer_missing": gettext_lazy("%(insurer)s not listed: check coverage"),
    "co_occurring": gettext_lazy("Treats co-occurring disorders"),
    "one_focus": gettext_lazy("Treats %(focus)s only"),
    "serves": gettext_lazy("Serves %(who)s"),
    "offers_language": gettext_lazy("Offers %(language)s"),
}


@once_per_language
def reasons() -> dict:
    """REASONS (and display's phrases) in the active language."""
    return {key: str(text) for key, text in REASONS.items()} | {"display": display.phrases()}


def explain(program: ResultRow, needs: Needs, *, today: date, words=None) -> Match:
    """Why a ranked program scores what it does, and what does not fit, from its annotations
    (words: reasons(), looked up once for the ~20 matches)."""
    words = words or reasons()
    fits, misses = [], []

    if program.by_telehealth:
        fits.append(
            Reason(words["telehealth_in"] % {"state": program.site.state}, WEIGHTS["telehealth"])
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
        fits.append(Reason(words["miles_away"] % {"miles": miles}, WEIGHTS[weight]))

    if program.hours_per_week_min is None:
        misses.append(words["schedule_unknown"])
        if needs.hours_per_week_max is not None:
            fits.append(Reason(words["hours_unknown"], WEIGHTS["hours_unknown"]))
    else:
        for time in needs.times_of_day:
            has, lacks = words[f"has_{time}"], words[f"lacks_{time}"]
            if getattr(program, TIME_OF_DAY_FIELDS[time]):
                fits.append(Reason(has))
            else:
                misses.append(lacks)
        offered = [t for t in needs.times_of_day if getattr(program, TIME_OF_DAY_FIELDS[t])]
        if offered:
            fits.append(Reason(words["time_fits"], WEIGHTS["times_of_day"]))
        if needs.hours_per_week_max is not None:
            hours = {"hours": display._number(program.hours_per_week_min)}
            hours["most"] = needs.hours_per_week_max
            if program.hours_per_week_min <= needs.hours_per_week_max:
                fits.append(
                    Reason(
                        words["hours_fit"] % hours,
                        WEIGHTS["hours_fit"],
                    )
                )
            else:
                misses.append(words["hours_too_many"] % hours)

    if program.cost_known:
        fits.append(Reason(display.cost_line(program, words["display"]), WEIGHTS["cost_known"]))
        per_session = program.cost_per_session_min
        if per_session is not None and per_session < LOW_COST_PER_SESSION:
            fits.append(Reason(words["cost_low"], WEIGHTS["cost_low"]))
        elif per_session is not None and per_session < MODERATE_COST_PER_SESSION:
            fits.append(Reason(words["cost_moderate"], WEIGHTS["cost_moderate"]))
    else:
        misses.append(words["cost_unknown"])

    if program.accepting_new_clients:
        fits.append(Reason(words["accepting"], WEIGHTS["accepting"]))
    elif program.accepting_new_clients is None:
        misses.append(words["accepting_unknown"])
    else:
        misses.append(words["not_accepting"])

    if program.last_verified_on and program.last_verified_on >= today - timedelta(
        days=settings.STALE_AFTER_DAYS
    ):
        fits.append(
            Reason(
                words["verified"] % {"date": program.last_verified_on.isoformat()},
                WEIGHTS["recently_verified"],
            )
        )
    else:
        misses.append(words["not_verified"] % {"days": settings.STALE_AFTER_DAYS})

    if needs.insurer:
        if program.takes_insurer:
            fits.append(
                Reason(words["lists_insurer"] % {"insurer": needs.insurer_name}, WEIGHTS["insurer"])
            )
        else:
            misses.append(words["insurer_missing"] % {"insurer": needs.insurer_name})

    if needs.focus == "co_occurring":
        if program.focus == "co_occurring":
            fits.append(Reason(words["co_occurring"], WEIGHTS["co_occurring"]))
        else:
            misses.append(words["one_focus"] % {"focus": program.get_focus_display().lower()})
    if needs.population:
        fits.append(Reason(words["serves"] % {"who": needs.population_name.lower()}))
    if needs.language and needs.language not in LANGUAGES_ASSUMED:
        fits.append(Reason(words["offers_language"] % {"language": needs.language_name}))

    return Match(program=program, score=program.score, fits=fits, misses=misses)


def best_matches(needs: Needs, *, today: date, limit: int = SHOWN) -> list[Match]:
    words = reasons()
    return [
        explain(program, needs, today=today, words=words)
        for program in ranked_programs(needs, today=today, limit=limit)
    ]
