"""Realistic synthetic programs for benchmarks: plain data and pure functions, no Django.

`generate_programs` turns the plain dicts made here into rows. Each table below names
where its figures come from. "Locator sample" means the shares among the 73 facilities
in tests/data/samhsa-locator-ca-sample.csv that offer IOP, PHP or outpatient care,
rounded; "ours" marks an assumption where the seeds give no figure.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

import zipcodes

from programs import levels, vocabulary

# Locator sample: 68 IOP, 68 outpatient, 61 PHP.
LEVEL_SHARES = {levels.IOP: 0.35, levels.OUTPATIENT: 0.35, levels.PHP: 0.30}

# What one schedule track looks like per level: days per week and hours per day from the
# table in 003_6f45defad1b00d45.txt, so every combination lands inside the level's band
# (levels.HOURS_PER_WEEK_BANDS). Lengths: IOP 6-12 weeks (003); PHP "weeks" and
# outpatient "ongoing" (003), figures ours. `times` weighs the time of day of a track
# (003: "morning, afternoon, or evening sessions"; the weights are ours).
TRACK_SHAPES = {
    levels.PHP: {
        "days_per_week": (5, 7),
        "hours_per_day": (4, 6),
        "length_weeks": (2, 6),
        "ongoing_share": 0.0,
        "times": {"morning": 0.8, "afternoon": 0.2, "evening": 0.0},
        "second_track_share": 0.1,
    },
    levels.IOP: {
        "days_per_week": (3, 5),
        "hours_per_day": (3, 4),
        "length_weeks": (6, 12),
        "ongoing_share": 0.0,
        "times": {"morning": 0.35, "afternoon": 0.15, "evening": 0.5},
        "second_track_share": 0.4,
    },
    levels.OUTPATIENT: {
        "days_per_week": (1, 2),
        "hours_per_day": (1, 2),
        "length_weeks": (12, 26),
        "ongoing_share": 0.6,
        "times": {"morning": 0.3, "afternoon": 0.3, "evening": 0.4},
        "second_track_share": 0.3,
    },
}
WEEKEND_SHARE = 0.1  # ours

# Cost ranges in dollars. IOP: "$250 to $400 per session" and "$3,000 to $10,000 for a
# complete 8-12 week program" (003_6f45defad1b00d45.txt). PHP and outpatient: 003 only
# says "higher" and "lowest", so those figures are ours. 003 quotes per-session and
# whole-program costs separately (they do not multiply out), so each is drawn on its own.
COST_RANGES = {
    levels.IOP: {"per_session": (250, 400), "total": (3000, 10000)},
    levels.PHP: {"per_session": (350, 700), "total": (7000, 20000)},
    levels.OUTPATIENT: {"per_session": (100, 200), "total": (1000, 2500)},
}
COST_UNKNOWN_SHARE = 0.1  # ours: some listings have not had their cost verified yet

# Chance that a program accepts each kind of payment (locator sample; never fewer than one).
PAYMENT_SHARES = {
    "medicaid": 0.22,
    "medicare": 0.11,
    "private_insurance": 0.89,
    "military": 0.4,
    "state_financed": 0.18,
    "ihs_tribal": 0.22,
    "self_pay": 0.97,
    "sliding_scale": 0.1,
    "payment_assistance": 0.05,
    "free": 0.01,
}
# Named insurers are not in the locator: how many a private-insurance program lists is ours.
INSURERS_PER_PROGRAM = (1, 5)
# Regional plans are only named where they sell (the plans' own service areas, simplified).
INSURER_STATES = {
    "blue_shield": {"CA"},
    "kaiser": {"CA", "CO", "DC", "GA", "MD", "OR", "VA", "WA"},
    "anthem": {
        "CA", "CO", "CT", "GA", "IN", "KY", "ME", "MO", "NH", "NV", "NY", "OH", "VA", "WI",
    },
}  # fmt: skip

# Locator sample; DBT is ours (the locator has no such name). Medications only where the
# focus includes substance use.
SERVICE_SHARES = {
    "individual_counseling": 1.0,
    "group_therapy": 0.99,
    "family_therapy": 0.92,
    "education": 0.95,
    "drug_testing": 0.66,
    "medication_management": 0.51,
    "case_management": 0.63,
    "cbt": 0.95,
    "dbt": 0.3,
    "trauma_informed": 0.92,
    "relapse_prevention": 0.97,
    "life_skills": 0.89,
    "aftercare": 0.95,
    "peer_support": 0.9,
    "buprenorphine": 0.53,
    "methadone": 0.01,
    "naltrexone": 0.53,
    "accepts_mat_clients": 0.67,
}
MEDICATIONS = {"buprenorphine", "methadone", "naltrexone", "accepts_mat_clients"}

# Locator sample; LGBTQ+ is ours (the locator has no such name).
POPULATION_SHARES = {
    "adults": 0.97,
    "adolescents": 0.25,
    "young_adults": 0.9,
    "women": 0.62,
    "men": 0.64,
    "lgbtq": 0.15,
    "veterans": 0.51,
    "pregnant_postpartum": 0.19,
    "seniors": 0.53,
}

# Locator sample; English is ours (the locator lists only languages other than English).
LANGUAGE_SHARES = {
    "english": 1.0,
    "spanish": 0.29,
    "asl": 0.25,
    "chinese": 0.04,
    "tagalog": 0.05,
    "vietnamese": 0.03,
    "korean": 0.01,
    "russian": 0.03,
    "farsi": 0.04,
    "arabic": 0.04,
}

# Locator sample, Joint Commission lowered (ours: the sample is mostly hospital-run).
ACCREDITATION_SHARES = {"joint_commission": 0.5, "carf": 0.15, "coa": 0.04, "ncqa": 0.01}

# Locator sample: 92% list co-occurring care, 78% telehealth; the split is ours.
FOCUS_SHARES = {"co_occurring": 0.6, "substance_use": 0.25, "mental_health": 0.15}
FORMAT_SHARES = {"both": 0.6, "in_person": 0.3, "telehealth": 0.1}

# Ours: most listings verified within the stale window, about one in five older.
STALE_SHARE = 0.2
STALE_AFTER_DAYS = 180

# The 50 states and DC without Alaska and Hawaii.
NOT_CONTINENTAL = {"AK", "HI", "PR", "VI", "GU", "AS", "MP", "MH", "FM", "PW", "AA", "AE", "AP"}

NAME_WORDS = {
    "first": [
        "Cedar", "Harbor", "Willow", "Summit", "Riverbend", "Maple", "Aspen", "Lakeside",
        "Juniper", "Granite", "Meadow", "Pinecrest", "Clearwater", "Sagebrush", "Oakridge",
        "Bluebird", "Stonebridge", "Evergreen", "Northstar", "Sunrise",
    ],
    "second": [
        "Recovery", "Behavioral Health", "Counseling", "Wellness", "Health Partners",
        "Treatment Center", "Care Collective", "Clinic",
    ],
}  # fmt: skip
LEVEL_NAMES = {
    levels.PHP: "Partial Hospitalization",
    levels.IOP: "Intensive Outpatient",
    levels.OUTPATIENT: "Outpatient Counseling",
}
STREETS = [
    "Main Street", "Oak Avenue", "Center Street", "Park Boulevard", "Washington Avenue",
    "Lincoln Way", "Market Street", "Elm Street", "Broadway", "River Road",
]  # fmt: skip


def continental_places() -> list[dict]:
    """Every active standard ZIP code in the continental US with its centroid (zipcodes)."""
    places = []
    for row in zipcodes.list_all():
        if row["zip_code_type"] != "STANDARD" or not row["active"]:
            continue
        if row["state"] in NOT_CONTINENTAL:
            continue
        latitude, longitude = float(row["lat"]), float(row["long"])
        if not (24 <= latitude <= 50 and -125 <= longitude <= -66):
            continue
        places.append(
            {
                "zip_code": row["zip_code"],
                "city": row["city"],
                "state": row["state"],
                "latitude": latitude,
                "longitude": longitude,
                "area_code": (row["area_codes"] or ["555"])[0],
            }
        )
    return places


def _pick(rng: random.Random, shares: dict) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _some(rng: random.Random, shares: dict) -> list[str]:
    return [slug for slug, share in shares.items() if rng.random() < share]


def _range(rng: random.Random, low: float, high: float, step: float) -> tuple:
    """A 'from'-'up to' pair on the step grid inside [low, high]; often a single value.

    'From' leans to the low end: five days of PHP or three hours of IOP are the usual case.
    """
    steps = round((high - low) / step)
    start = min(rng.randint(0, steps), rng.randint(0, steps))
    end = start if rng.random() < 0.5 else rng.randint(start, steps)
    return low + start * step, low + end * step


def synthetic_track(rng: random.Random, level: str, time_of_day: str | None = None) -> dict:
    shape = TRACK_SHAPES[level]
    days_min, days_max = _range(rng, *shape["days_per_week"], 1)
    hours_min, hours_max = _range(rng, *shape["hours_per_day"], 0.5)
    if rng.random() < shape["ongoing_share"]:
        weeks_min = weeks_max = None
    else:
        weeks_min, weeks_max = _range(rng, *shape["length_weeks"], 1)
    time_of_day = time_of_day or _pick(rng, shape["times"])
    return {
        "name": f"{time_of_day.capitalize()} track",
        "time_of_day": time_of_day,
        "weekend": rng.random() < WEEKEND_SHARE,
        "days_per_week_min": int(days_min),
        "days_per_week_max": int(days_max),
        "hours_per_day_min": Decimal(str(hours_min)),
        "hours_per_day_max": Decimal(str(hours_max)),
        "length_weeks_min": None if weeks_min is None else int(weeks_min),
        "length_weeks_max": None if weeks_max is None else int(weeks_max),
    }


def synthetic_tracks(rng: random.Random, level: str) -> list[dict]:
    """One track, or two at different times of day (say a daytime and an evening track)."""
    first = synthetic_track(rng, level)
    if rng.random() >= TRACK_SHAPES[level]["second_track_share"]:
        return [first]
    other_times = {
        time: share
        for time, share in TRACK_SHAPES[level]["times"].items()
        if time != first["time_of_day"] and share > 0
    }
    return [first, synthetic_track(rng, level, _pick(rng, other_times))]


def _dollars(amount) -> Decimal | None:
    return None if amount is None else Decimal(amount).quantize(Decimal("0.01"))


def synthetic_costs(
    rng: random.Random, level: str, payment_kinds: list[str], *, ongoing: bool
) -> dict:
    """Costs in COST_RANGES; an ongoing program (no set length) has no whole-program cost."""
    if "free" in payment_kinds:
        zero = Decimal("0.00")
        return {
            "cost_per_session_min": zero,
            "cost_per_session_max": zero,
            "total_cost_min": zero,
            "total_cost_max": zero,
            "cost_notes": "No charge to clients.",
        }
    unknown = {
        "cost_per_session_min": None,
        "cost_per_session_max": None,
        "total_cost_min": None,
        "total_cost_max": None,
        "cost_notes": "",
    }
    if rng.random() < COST_UNKNOWN_SHARE:
        return unknown
    ranges = COST_RANGES[level]
    session_min, session_max = _range(rng, *ranges["per_session"], 10)
    total_min, total_max = (None, None) if ongoing else _range(rng, *ranges["total"], 250)
    return {
        "cost_per_session_min": _dollars(session_min),
        "cost_per_session_max": _dollars(session_max),
        "total_cost_min": _dollars(total_min),
        "total_cost_max": _dollars(total_max),
        "cost_notes": "Sliding fee scale by income." if "sliding_scale" in payment_kinds else "",
    }


def synthetic_program(
    rng: random.Random, *, level: str, serial: int, clinic: dict, today: date
) -> dict:
    """One program of `level` at a clinic made by synthetic_clinic()."""
    focus = _pick(rng, FOCUS_SHARES)
    payment_kinds = _some(rng, PAYMENT_SHARES) or ["self_pay"]
    insurers = []
    if "private_insurance" in payment_kinds:
        state = clinic["site"]["state"]
        private = [
            slug
            for slug in vocabulary.INSURERS
            if slug != "tricare" and state in INSURER_STATES.get(slug, {state})
        ]
        insurers = rng.sample(private, rng.randint(*INSURERS_PER_PROGRAM))
    if "military" in payment_kinds:
        insurers.append("tricare")
    services = _some(rng, SERVICE_SHARES)
    if focus == "mental_health":
        services = [slug for slug in services if slug not in MEDICATIONS]
    tracks = synthetic_tracks(rng, level)
    ongoing = all(track["length_weeks_min"] is None for track in tracks)
    accepting = rng.choices([True, False, None], weights=[0.85, 0.1, 0.05])[0]
    if rng.random() < STALE_SHARE:
        verified_days_ago = rng.randint(STALE_AFTER_DAYS + 1, 3 * STALE_AFTER_DAYS)
    else:
        verified_days_ago = rng.randint(0, STALE_AFTER_DAYS - 30)
    return {
        "name": f"{clinic['short_name']} {LEVEL_NAMES[level]} (synthetic #{serial})",
        "description": (
            f"Synthetic listing made by generate_programs for benchmarks: "
            f"{LEVEL_NAMES[level].lower()} care in {clinic['site']['city']}."
        ),
        "level_of_care": level,
        "focus": focus,
        "format": _pick(rng, FORMAT_SHARES),
        **synthetic_costs(rng, level, payment_kinds, ongoing=ongoing),
        "accepting_new_clients": accepting,
        "wait_time_days": rng.choice([0, 0, 1, 2, 3, 5, 7, 10, 14, 21]) if accepting else None,
        # Confirmed up to 45 days ago: about a third older than AVAILABILITY_STALE_DAYS (30),
        # so `accepting` leaves them out, as on their pages.
        **(
            {
                "availability_as_of": today - timedelta(days=rng.randint(0, 45)),
                "availability_source": rng.choice(["program", "guide", "curator"]),
            }
            if accepting is not None
            else {}
        ),
        "phone": clinic["provider"]["phone"],
        "website": clinic["provider"]["website"],
        "last_verified_on": today - timedelta(days=verified_days_ago),
        "tracks": tracks,
        "payment_kinds": payment_kinds,
        "insurers": insurers,
        "services": services,
        "populations": _some(rng, POPULATION_SHARES) or ["adults"],
        "languages": _some(rng, LANGUAGE_SHARES),
        "accreditations": _some(rng, ACCREDITATION_SHARES),
    }


def synthetic_clinic(
    rng: random.Random, *, number: int, place: dict, first_serial: int, today: date
) -> dict:
    """A provider with one site running one to three programs of different levels."""
    short_name = f"{rng.choice(NAME_WORDS['first'])} {rng.choice(NAME_WORDS['second'])}"
    slug = short_name.lower().replace(" ", "-")
    clinic = {
        "short_name": short_name,
        "provider": {
            "name": f"{short_name} (synthetic provider #{number})",
            "website": f"https://{slug}-{number}.example",
            # 555-0100 to 555-0199 are reserved for fictional use.
            "phone": f"({place['area_code']}) 555-01{rng.randint(0, 99):02d}",
        },
        "site": {
            "name": f"{place['city']} site",
            "address": f"{rng.randint(100, 9899)} {rng.choice(STREETS)}",
            "city": place["city"],
            "state": place["state"],
            "zip_code": place["zip_code"],
            "latitude": place["latitude"],
            "longitude": place["longitude"],
        },
    }
    first_level = _pick(rng, LEVEL_SHARES)
    others = [level for level in LEVEL_SHARES if level != first_level]
    program_levels = [first_level] + rng.sample(others, rng.choice([0, 0, 1, 2]))
    clinic["programs"] = [
        synthetic_program(rng, level=level, serial=first_serial + index, clinic=clinic, today=today)
        for index, level in enumerate(program_levels)
    ]
    return clinic


def synthetic_clinics(*, count: int, seed: int | None, today: date, places: list[dict]):
    """Yield clinics until they hold exactly `count` programs; the same seed, the same clinics."""
    rng = random.Random(seed)
    made = 0
    number = 0
    while made < count:
        number += 1
        clinic = synthetic_clinic(
            rng, number=number, place=rng.choice(places), first_serial=made + 1, today=today
        )
        clinic["programs"] = clinic["programs"][: count - made]
        made += len(clinic["programs"])
        yield clinic
