"""Levels of care and what a week in each looks like: plain data with sources.

No Django imports: the self-screen engine and the catalogue both read this. Words shown to
people are marked for translation with a no-op marker and translated where they are shown.
"""

from programs.sources import SEED_003


def _(text: str) -> str:
    """Marks a phrase for translation (gettext_noop); translated where shown."""
    return text


PHP = "php"
IOP = "iop"
OUTPATIENT = "outpatient"

LEVEL_ORDER = (OUTPATIENT, IOP, PHP)  # lowest to highest intensity

# Care above PHP (domain.md): SAMHSA's National Directory lists where it is offered. Listed
# too, so that people who need it can find real places, but searched only when asked for.
RESIDENTIAL = "residential"
INPATIENT = "inpatient"
DETOX = "detox"
MORE_CARE = (RESIDENTIAL, INPATIENT, DETOX)

# Hours-per-week bands (ASAM intensity thresholds, matching the table in
# 003_6f45defad1b00d45.txt): a program outside its level's band is flagged for
# curators, never rejected. max is exclusive for outpatient ("under 9").
HOURS_PER_WEEK_BANDS = {
    PHP: {"min": 20, "max": None},
    IOP: {"min": 9, "max": 20},
    OUTPATIENT: {"min": None, "max": 9},
}

# What a week in each level usually looks like (003_6f45defad1b00d45.txt table;
# 004_f68ac018188a8944.txt for IOP's 3-5 hours a day and up to about six months).
TYPICAL_WEEK = {
    PHP: {
        "days_per_week": (5, 7),
        "hours_per_day": (4, 6),
        "hours_per_week": _("20+"),
        "length": _("a few weeks"),
        "source": SEED_003,
    },
    IOP: {
        "days_per_week": (3, 5),
        "hours_per_day": (3, 4),
        "hours_per_week": _("9-20"),
        "length": _("6-12 weeks"),
        "source": SEED_003,
    },
    OUTPATIENT: {
        "days_per_week": (1, 2),
        "hours_per_day": (1, 2),
        "hours_per_week": _("under 9"),
        "length": _("ongoing"),
        "source": SEED_003,
    },
}


def hours_outside_band(level: str, hours_min: float | None, hours_max: float | None) -> bool:
    """True when a known weekly schedule falls outside the level's band."""
    if hours_min is None or hours_max is None or level not in HOURS_PER_WEEK_BANDS:
        return False  # unknown, or care above PHP (no weekly band)
    band = HOURS_PER_WEEK_BANDS[level]
    if band["min"] is not None and hours_min < band["min"]:
        return True
    if level == OUTPATIENT:
        return hours_max >= band["max"]
    return band["max"] is not None and hours_max > band["max"]
