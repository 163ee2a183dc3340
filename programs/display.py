"""Plain-language lines that describe a program's schedule and cost, for pages and the API.

The words come from a table translated once per language (phrases()): a results page shows
20 programs, and looking each word up in the active translation again cost more than
writing the lines.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.timesince import timesince
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from iopfinder.translation import once_per_language
from programs import meeting_times, phones, vocabulary
from programs.models import AvailabilitySource, VerificationSource

PHRASES = {
    "schedule_unknown": _("Schedule not yet verified — call to ask"),
    "hours_per_day": _("%(hours)s h/day"),
    "hours_per_week": _("about %(hours)s h/week"),
    "morning": _("mornings"),
    "afternoon": _("afternoons"),
    "evening": _("evenings"),
    "weekend": _("weekends"),
    "free": _("Free of charge"),
    "per_session": _("%(amount)s per session"),
    "in_all": _("about %(amount)s in all"),
    "cost_unknown": _("Cost not yet verified — call to ask"),
    "miles_away": _("%(miles)s miles away"),
    "miles_from_zip_centre": _("about %(miles)s miles away, from the ZIP code's centre"),
    "in_zip_code": _("in this ZIP code (exact distance not known)"),
    "by_telehealth": _("Telehealth (serves your state)"),
    "verified_on": _("Last verified %(date)s"),
    "verified_by_program_on": _("Last verified %(date)s, by the program"),
    "never_verified": _("Listing not yet verified"),
    "sample": _("Sample listing"),
    "accepts": _("Accepts:"),
    "call": _("Call %(phone)s"),
    "accepting_confirmed": _("Accepting new clients (confirmed %(when)s)"),
    "not_accepting_confirmed": _("Not accepting new clients (confirmed %(when)s)"),
    "confirmed_by": _("confirmed %(when)s by %(source)s"),
    "today": _("today"),
    "ago": _("%(age)s ago"),
}
TIMES_OF_DAY = ("morning", "afternoon", "evening", "weekend")


@once_per_language
def phrases() -> dict[str, str]:
    """PHRASES and the levels' and payment kinds' labels, in the active language."""
    return (
        {key: str(text) for key, text in PHRASES.items()}
        | {
            f"level:{level}": str(_(entry["label"]))
            for level, entry in vocabulary.LEVELS_OF_CARE.items()
        }
        | {
            f"payment:{slug}": str(_(vocabulary.label_of(entry)))
            for slug, entry in vocabulary.PAYMENT_KINDS.items()
        }
    )


@lru_cache(maxsize=1024)
def number(value) -> str:
    """A number as people write it: 3, 7.5 (no trailing zeros)."""
    value = Decimal(value).normalize()
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def _range(low, high) -> str:
    low, high = number(low), number(high)
    return low if low == high else f"{low}-{high}"


@lru_cache(maxsize=1024)
def _money(value) -> str:
    return f"${Decimal(value):,.0f}"


def money_range(low, high) -> str:
    """'$250-$400', '$3,000': US dollars, written the same way in every language."""
    if high is None or low == high:
        return _money(low)
    return f"{_money(low)}-{_money(high)}"


def times_of_day(program, words=None) -> list[str]:
    words = words or phrases()
    offered = (
        program.offers_morning,
        program.offers_afternoon,
        program.offers_evening,
        program.offers_weekend,
    )
    return [
        words[time] for time, is_offered in zip(TIMES_OF_DAY, offered, strict=True) if is_offered
    ]


def schedule_line(program, words=None) -> str:
    """'3 days/week · 3-4 h/day · evenings · 8-12 weeks · about 10 h/week'."""
    words = words or phrases()
    if program.hours_per_week_min is None:
        return words["schedule_unknown"]
    parts = [
        ngettext("%(days)s day/week", "%(days)s days/week", program.days_per_week_max)
        % {"days": _range(program.days_per_week_min, program.days_per_week_max)},
        words["hours_per_day"]
        % {"hours": _range(program.hours_per_day_min, program.hours_per_day_max)},
    ]
    parts.extend(times_of_day(program, words))
    if program.length_weeks_min is not None:
        weeks_high = program.length_weeks_max or program.length_weeks_min
        parts.append(
            ngettext("%(weeks)s week", "%(weeks)s weeks", weeks_high)
            % {"weeks": _range(program.length_weeks_min, weeks_high)}
        )
    low, high = program.hours_per_week_min, program.hours_per_week_max
    parts.append(words["hours_per_week"] % {"hours": number(round((low + high) / 2))})
    return " · ".join(parts)


# Django's own abbreviations, translated with Django: "Mon", "lun".
WEEKDAY_ABBREVIATIONS = {
    day: WEEKDAYS_ABBR[number] for number, day in enumerate(meeting_times.WEEKDAYS)
}


def weekdays_line(weekdays) -> str:
    """'Mon, Wed, Thu'; three or more days in a row as one span: 'Mon–Fri'."""
    runs = []
    for number in map(meeting_times.WEEKDAYS.index, meeting_times.in_week_order(weekdays)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        names = [str(WEEKDAYS_ABBR[number]) for number in run]
        parts.extend([f"{names[0]}–{names[-1]}"] if len(names) >= 3 else names)
    return ", ".join(parts)


def clock_times(track) -> str:
    """'6 p.m.–9 p.m.', '18:00–21:00' in Spanish: the language's own time format (Django's).
    Kept on one line (no-break spaces, word joiners by the dash): a narrow table cell would
    otherwise break it as '6 p.m.–9' and 'p.m.'."""
    start, end = (
        formats.time_format(value).replace(" ", "\N{NO-BREAK SPACE}")
        for value in (track.starts_at, track.ends_at)
    )
    return f"{start}\N{WORD JOINER}–\N{WORD JOINER}{end}"


def track_when(track, words=None) -> str:
    """When a track meets: 'Mon, Wed, Thu · 6 p.m.–9 p.m.'; with weekdays but no clock times,
    'Mon, Wed · evenings'; with neither, the time of day a curator chose: 'Evening, weekends'."""
    words = words or phrases()
    if not track.weekdays and track.starts_at is None:
        chosen = [track.get_time_of_day_display()]
        if track.weekend:
            chosen.append(words["weekend"])
        return ", ".join(chosen)
    parts = [weekdays_line(track.weekdays)] if track.weekdays else []
    if track.starts_at is not None and track.ends_at is not None:
        parts.append(clock_times(track))
    elif track.time_of_day:
        parts.append(words[track.time_of_day])
    return "\N{NO-BREAK SPACE}· ".join(parts)  # the dot stays with the days it follows


@dataclass(frozen=True)
class Written:
    """A curator's text, and the language it is in when that is not the page's ("" if it is)."""

    text: str
    lang: str = ""


def in_page_language(program, field: str) -> Written:
    """A curator-written field (description, cost_notes, intake_notes) in the active language:
    its Spanish version (`<field>_es`) on a Spanish page; without one, the English, marked
    lang="en" so that screen readers say it in English."""
    english = getattr(program, field)
    language = (get_language() or "en").split("-")[0]
    if language != "en":
        translated = getattr(program, f"{field}_{language}", "")
        if translated:
            return Written(translated)
        if english:
            return Written(english, "en")
    return Written(english)


def cost_line(program, words=None) -> str:
    """'$250-$400 per session · about $3,000-$10,000 in all', or 'Cost not yet verified'."""
    words = words or phrases()
    parts = []
    if program.cost_per_session_min == 0 and not program.cost_per_session_max:
        return words["free"]
    if program.cost_per_session_min is not None:
        parts.append(
            words["per_session"]
            % {"amount": money_range(program.cost_per_session_min, program.cost_per_session_max)}
        )
    if program.total_cost_min is not None:
        parts.append(
            words["in_all"]
            % {"amount": money_range(program.total_cost_min, program.total_cost_max)}
        )
    if not parts:
        return words["cost_unknown"]
    return " · ".join(parts)


def payments(program, words=None) -> list[str]:
    """The payment kinds a program accepts (its `payment_slugs`, set by the selectors), in
    vocabulary order."""
    words = words or phrases()
    return [words[f"payment:{slug}"] for slug in program.payment_slugs]


@dataclass(frozen=True)
class Card:
    """What a result card says about a program, in the active language."""

    program: object
    level: str
    sample: str
    distance: str
    schedule: str
    cost: str
    payments: str  # "Accepts: Medicaid, Self-pay (cash)"
    verified: str
    availability: str  # "Accepting new clients (confirmed 3 days ago)"; "" if not known
    phone: phones.Phone  # the intake number: the program's own, else its provider's
    call: str  # "Call (510) 555-0134"


def cards(programs, words=None) -> list[Card]:
    """The result cards' lines for a page of programs (words looked up once a page)."""
    words, today = words or phrases(), timezone.localdate()
    return [_card(program, words, today) for program in programs]


def _card(program, words, today) -> Card:
    intake = intake_phone(program)
    return Card(
        program=program,
        level=words[f"level:{program.level_of_care}"],
        sample=words["sample"] if program.is_sample else "",
        distance=distance_line(program, words),
        schedule=schedule_line(program, words),
        cost=cost_line(program, words),
        payments=_accepts(payments(program, words), words),
        verified=verified_line(program, words),
        availability=availability_line(program, today, words),
        phone=intake,
        call=words["call"] % {"phone": intake.shown},
    )


def intake_phone(program) -> phones.Phone:
    """The number to call about a program: its own, else its provider's (loaded with it)."""
    return phones.phone(program.phone or program.provider.phone)


def _accepts(kinds: list[str], words) -> str:
    return f"{words['accepts']} {', '.join(kinds)}" if kinds else ""


def distance_line(program, words=None) -> str:
    """'4.0 miles away' ('about 4.0 miles away, from the ZIP code's centre' for a program
    placed there), or 'Telehealth (serves your state)', for a program a search near a ZIP
    code found (its `reach`); '' otherwise."""
    words = words or phrases()
    reach = getattr(program, "reach", None)
    if reach == "distance":
        miles = round(program.distance, 1)
        if not program.site.placed_at_zip:
            return words["miles_away"] % {"miles": _miles(miles, get_language())}
        if miles == 0:
            return words["in_zip_code"]
        return words["miles_from_zip_centre"] % {"miles": _miles(miles, get_language())}
    if reach == "telehealth":
        return words["by_telehealth"]
    return ""


def verified_line(program, words=None) -> str:
    """'Last verified March 2, 2026' (', by the program' when a curator accepted the program's
    own update), or 'Listing not yet verified'."""
    words = words or phrases()
    if program.last_verified_on is None:
        return words["never_verified"]
    by_program = program.last_verified_source == VerificationSource.PROGRAM
    phrase = words["verified_by_program_on" if by_program else "verified_on"]
    return phrase % {"date": _date(program.last_verified_on, get_language())}


def confirmed_when(as_of, today, words=None) -> str:
    """How long ago availability was confirmed: 'today', '3 days ago', '1 week, 5 days ago'."""
    words = words or phrases()
    if as_of >= today:
        return words["today"]
    return words["ago"] % {"age": timesince(as_of, today)}


def availability(program, today=None) -> dict:
    """What the program page says about new clients: Program.availability, and `confirmed`:
    when and by whom in words ('confirmed 3 days ago by a recovery guide's call'; '' when
    not known)."""
    today = today or timezone.localdate()
    fresh = program.availability(today)
    confirmed = ""
    if fresh["as_of"] is not None:
        # Without a source only when a curator typed the date in the admin.
        source = AvailabilitySource(fresh["source"] or AvailabilitySource.CURATOR)
        confirmed = phrases()["confirmed_by"] % {
            "when": confirmed_when(fresh["as_of"], today),
            "source": source.label,
        }
    return {**fresh, "confirmed": confirmed}


def availability_line(program, today=None, words=None) -> str:
    """A result card's 'Accepting new clients (confirmed 3 days ago)'; '' while not known
    (never confirmed, or older than AVAILABILITY_STALE_DAYS)."""
    words = words or phrases()
    today = today or timezone.localdate()
    fresh = program.availability(today)
    if fresh["accepting_new_clients"] is None:
        return ""
    key = "accepting_confirmed" if fresh["accepting_new_clients"] else "not_accepting_confirmed"
    return words[key] % {"when": confirmed_when(fresh["as_of"], today, words)}


@lru_cache(maxsize=4096)
def _date(day, language: str) -> str:
    """A day as the active language writes it (language: part of the cache's key)."""
    return formats.date_format(day)


@lru_cache(maxsize=4096)
def _miles(miles: float, language: str) -> str:
    """Miles with one decimal, as the active language writes numbers."""
    return formats.number_format(miles, 1)


def miles(distance: float) -> str:
    """'4.0': a distance in miles as the result cards write it, for the other pages."""
    return _miles(round(distance, 1), get_language())


def directory_facts(program) -> dict[str, list[str]]:
    """The facts SAMHSA's directory gives that the page shows, in words: "sex_served" and
    "licensing" -> labels in the active language (unknown slugs left out)."""
    facts = program.directory_facts or {}
    return {
        name: [_(terms[slug]["label"]) for slug in facts.get(name, []) if slug in terms]
        for name, terms in vocabulary.DIRECTORY_FACTS.items()
    }


def opioid_medications(program) -> list[str]:
    """The medications for opioid use disorder a program offers on site (its prefetched
    services among vocabulary.OPIOID_USE_DISORDER_MEDICATIONS), in the active language."""
    offered = {service.slug for service in program.services.all()}
    return [
        _(vocabulary.SERVICES[slug]["label"])
        for slug in vocabulary.OPIOID_USE_DISORDER_MEDICATIONS
        if slug in offered
    ]
