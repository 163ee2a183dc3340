"""Ranking programs for a caller: hard requirements filter, preferences score.

The hard requirements are search parameters (programs/parameters.py) run by the search
engine (programs/engine.py); where a caller can attend is the engine's reach of their ZIP
code. The preferences are plain data so a reviewer can read them as a table: each is a fact
worked out once for every candidate (Candidates.facts), and both the score and the reasons
a guide reads are made from those facts.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

import numpy as np
from django.conf import settings
from django.utils.translation import gettext_lazy

from iopfinder.translation import once_per_language
from programs import display, engine
from programs import parameters as declared
from programs.models import Program
from programs.places import Place, place_of_zip
from programs.selectors import programs_found

# A caller who needs both is best served by a program for co-occurring disorders
# (001_ebe16e7093303e8b.txt and 002_636f85149ec5727d.txt), but a single-focus program is
# still shown, scored lower: their focus is a preference, not a requirement.
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


def hard_requirements(needs: Needs) -> dict:
    """The caller's hard requirements as search parameters (programs/parameters.py), but for
    where they can attend (Candidates)."""
    wanted = {}
    if needs.level:
        wanted["level"] = [needs.level]
    if needs.payments:
        wanted["payment"] = list(needs.payments)
    if needs.focus in declared.FOCUS_SERVED_BY:  # not co-occurring: see above
        wanted["focus"] = needs.focus
    if needs.population:
        wanted["population"] = [needs.population]
    if needs.language and needs.language not in LANGUAGES_ASSUMED:
        wanted["language"] = [needs.language]
    return wanted


@dataclass
class Candidates:
    """The programs that meet every hard requirement, and for each one the facts its score
    and its reasons are both read from (FACTS: a yes/no per program), worked out once."""

    search: engine.Search
    positions: np.ndarray
    by_telehealth: np.ndarray
    miles: np.ndarray  # NaN without a place
    facts: dict[str, np.ndarray]

    @classmethod
    def of(cls, needs: Needs, *, today: date) -> "Candidates":
        search = engine.Search(hard_requirements(needs))
        catalogue = search.catalogue
        reach = engine.Reach.of(catalogue, needs.place, needs.radius_miles)
        count = len(catalogue)
        attends = engine.unpack(catalogue.held("format", declared.IN_PERSON), count)
        in_person = attends & reach.within
        by_telehealth = reach.online & ~in_person
        if not needs.telehealth_ok:
            by_telehealth = np.zeros(count, dtype=bool)
        reached = engine.unpack(search.matching, count) & (in_person | by_telehealth)
        positions = np.flatnonzero(reached)
        miles = catalogue.miles(needs.place, positions)

        def held(name, value):
            return engine.unpack(catalogue.held(name, value), count)[positions]

        def number(name):
            return catalogue.numbers[name][positions]

        cost, hours = number("cost_per_session_min"), number("hours_per_week_min")
        fresh = engine.day_number(today - timedelta(days=settings.STALE_AFTER_DAYS))
        remote = by_telehealth[positions]
        facts = {
            "telehealth": remote,
            "near": ~remote & (miles <= NEAR_MILES),
            "fairly_near": ~remote & (miles > NEAR_MILES) & (miles <= FAIRLY_NEAR_MILES),
            "in_radius": ~remote & (miles > FAIRLY_NEAR_MILES),
            "accepting": held("accepting", "1"),
            "cost_known": ~np.isnan(cost) | ~np.isnan(number("total_cost_min")),
            "cost_low": cost < LOW_COST_PER_SESSION,
            "cost_moderate": (cost >= LOW_COST_PER_SESSION) & (cost < MODERATE_COST_PER_SESSION),
            "recently_verified": number("last_verified_on") >= fresh,
            "schedule_known": ~np.isnan(hours),
            **{f"time:{time}": held("time_of_day", time) for time in needs.times_of_day},
        }
        facts["times_of_day"] = np.zeros(len(positions), dtype=bool)
        for time in needs.times_of_day:
            facts["times_of_day"] |= facts[f"time:{time}"]
        if needs.hours_per_week_max is not None:
            facts["hours_fit"] = hours <= needs.hours_per_week_max
            facts["hours_unknown"] = np.isnan(hours)
        if needs.insurer:
            facts["insurer"] = held("insurer", needs.insurer)
        if needs.focus == "co_occurring":
            facts["co_occurring"] = held("focus", "co_occurring")
        return cls(search, positions, remote, miles, facts)

    @cached_property
    def scores(self) -> np.ndarray:
        """The points of each candidate: WEIGHTS of the facts it has."""
        score = np.zeros(len(self.positions), dtype=np.int64)
        for name, weight in WEIGHTS.items():
            if name in self.facts:
                score += weight * self.facts[name]
        return score

    def best(self, limit: int | None) -> np.ndarray:
        """Indices of the candidates, best fit first: score, then nearest, then name."""
        name_rank = self.search.catalogue.ranks["name"][self.positions]
        miles = np.nan_to_num(self.miles, nan=np.inf)
        order = np.lexsort((name_rank, miles, -self.scores))
        return order[:limit] if limit else order

    def fact(self, name: str, index: int) -> bool:
        return name in self.facts and bool(self.facts[name][index])


def ranked_programs(needs: Needs, *, today: date, limit: int | None = None) -> list[Program]:
    """The programs meeting every hard requirement, best fit first, each with its `score`,
    `distance`, `by_telehealth` and `reach`."""
    return [match.program for match in best_matches(needs, today=today, limit=limit)]


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
    "miles_from_zip_centre": gettext_lazy(
        "about %(miles).1f miles away, from the ZIP code's centre"
    ),
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


def explain(candidates: Candidates, index: int, program, needs: Needs, *, words) -> Match:
    """Why a candidate scores what it does, and what does not fit: each reason is one of the
    facts its score counted (Candidates.facts), with that fact's points."""
    fits, misses = [], []

    def fact(name):
        return candidates.fact(name, index)

    if fact("telehealth"):
        fits.append(
            Reason(words["telehealth_in"] % {"state": program.site.state}, WEIGHTS["telehealth"])
        )
    else:
        weight = next(name for name in ("near", "fairly_near", "in_radius") if fact(name))
        # SAMHSA's directory gives no coordinates: from the ZIP code's centre, and said so.
        phrase = "miles_from_zip_centre" if program.site.placed_at_zip else "miles_away"
        fits.append(Reason(words[phrase] % {"miles": program.distance}, WEIGHTS[weight]))

    if not fact("schedule_known"):
        misses.append(words["schedule_unknown"])
        if fact("hours_unknown"):
            fits.append(Reason(words["hours_unknown"], WEIGHTS["hours_unknown"]))
    else:
        for time in needs.times_of_day:
            if fact(f"time:{time}"):
                fits.append(Reason(words[f"has_{time}"]))
            else:
                misses.append(words[f"lacks_{time}"])
        if fact("times_of_day"):
            fits.append(Reason(words["time_fits"], WEIGHTS["times_of_day"]))
        if needs.hours_per_week_max is not None:
            hours = {"hours": display.number(program.hours_per_week_min)}
            hours["most"] = needs.hours_per_week_max
            if fact("hours_fit"):
                fits.append(Reason(words["hours_fit"] % hours, WEIGHTS["hours_fit"]))
            else:
                misses.append(words["hours_too_many"] % hours)

    if fact("cost_known"):
        fits.append(Reason(display.cost_line(program, words["display"]), WEIGHTS["cost_known"]))
        if fact("cost_low"):
            fits.append(Reason(words["cost_low"], WEIGHTS["cost_low"]))
        elif fact("cost_moderate"):
            fits.append(Reason(words["cost_moderate"], WEIGHTS["cost_moderate"]))
    else:
        misses.append(words["cost_unknown"])

    if fact("accepting"):
        fits.append(Reason(words["accepting"], WEIGHTS["accepting"]))
    elif program.accepting_now is None:
        misses.append(words["accepting_unknown"])
    else:
        misses.append(words["not_accepting"])

    if fact("recently_verified"):
        verified_on = {"date": program.last_verified_on.isoformat()}
        fits.append(Reason(words["verified"] % verified_on, WEIGHTS["recently_verified"]))
    else:
        misses.append(words["not_verified"] % {"days": settings.STALE_AFTER_DAYS})

    if needs.insurer:
        if fact("insurer"):
            fits.append(
                Reason(words["lists_insurer"] % {"insurer": needs.insurer_name}, WEIGHTS["insurer"])
            )
        else:
            misses.append(words["insurer_missing"] % {"insurer": needs.insurer_name})

    if needs.focus == "co_occurring":
        if fact("co_occurring"):
            fits.append(Reason(words["co_occurring"], WEIGHTS["co_occurring"]))
        else:
            misses.append(words["one_focus"] % {"focus": program.get_focus_display().lower()})
    if needs.population:
        fits.append(Reason(words["serves"] % {"who": needs.population_name.lower()}))
    if needs.language and needs.language not in LANGUAGES_ASSUMED:
        fits.append(Reason(words["offers_language"] % {"language": needs.language_name}))

    score = int(candidates.scores[index])
    program.score = score
    return Match(program=program, score=score, fits=fits, misses=misses)


def best_matches(needs: Needs, *, today: date, limit: int | None = SHOWN) -> list[Match]:
    """The best fits for a caller with why each fits; none for a ZIP code that is no place."""
    if needs.place is None:
        return []
    candidates = Candidates.of(needs, today=today)
    return _explained(candidates, candidates.best(limit), needs)


def _explained(candidates: Candidates, best: np.ndarray, needs: Needs) -> list[Match]:
    """The matches of these candidates (indices), in their order (two queries in all)."""
    found = [
        engine.Found(
            pk,
            None if np.isnan(miles) else float(miles),
            "telehealth" if remote else "distance",
        )
        for pk, miles, remote in zip(
            candidates.search.catalogue.ids[candidates.positions[best]].tolist(),
            candidates.miles[best].tolist(),
            candidates.by_telehealth[best].tolist(),
            strict=True,
        )
    ]
    catalogue = candidates.search.catalogue
    programs = {program.pk: program for program in programs_found(found, catalogue)}
    words = reasons()
    matches = []
    for index, item in zip(best.tolist(), found, strict=True):
        program = programs.get(item.id)
        if program is not None:
            program.by_telehealth = item.reach == "telehealth"
            matches.append(explain(candidates, index, program, needs, words=words))
    return matches


@dataclass(frozen=True)
class Facility:
    """One site's matching programs: SAMHSA lists a program per level of care at a site, and
    a caller chooses the place first. Ranked and explained by its best-scoring program."""

    best: Match
    levels: list[Match]  # one per program, in LEVEL_ORDER
    fitting_level: str | None  # the caller's level (from the screening), if they have one


LEVEL_ORDER = list(Program.LevelOfCare.values)


def best_facilities(needs: Needs, *, today: date, limit: int | None = SHOWN) -> list[Facility]:
    """The best fits for a caller, one per facility (site) with every level it offers, best
    score first. The caller's level is still a hard requirement of the facility (it must
    offer it), not of its other levels, which a guide may also offer them."""
    if needs.place is None:
        return []
    candidates = Candidates.of(replace(needs, level=None), today=today)
    order = candidates.best(None)
    ids = candidates.search.catalogue.ids[candidates.positions[order]].tolist()
    programs = Program.objects.filter(pk__in=ids).values_list("pk", "site_id", "level_of_care")
    where = {pk: (site, level) for pk, site, level in programs}
    sites: dict[int, list[int]] = {}  # best first, so a site's first program is its best
    levels: dict[int, set[str]] = {}
    for index, pk in zip(order.tolist(), ids, strict=True):
        if pk in where:
            site, level = where[pk]
            sites.setdefault(site, []).append(index)
            levels.setdefault(site, set()).add(level)
    shown = [site for site in sites if not needs.level or needs.level in levels[site]][:limit]
    chosen = [index for site in shown for index in sites[site]]
    matches = _explained(candidates, np.array(chosen, dtype=np.int64), needs)
    by_site: dict[int, list[Match]] = {}
    for match in matches:
        by_site.setdefault(match.program.site_id, []).append(match)
    return [
        Facility(
            best=found[0],
            levels=sorted(found, key=lambda match: LEVEL_ORDER.index(match.program.level_of_care)),
            fitting_level=needs.level,
        )
        for found in by_site.values()
    ]
