"""Matching: hard requirements are never broken, preferences rank, reasons say why."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guides.matching import Needs, best_matches, ranked_programs
from programs import services
from programs.models import Language, PaymentKind, Population, Program
from programs.places import miles_between, place_of_zip
from tests.factories import add_terms, make_program, make_site

pytestmark = pytest.mark.django_db

OAKLAND = {"city": "Oakland", "state": "CA", "zip_code": "94612"}  # the factory's coordinates
LOS_ANGELES = {
    "city": "Los Angeles",
    "state": "CA",
    "zip_code": "90012",
    "latitude": 34.0614,
    "longitude": -118.2385,
}
RENO = {
    "city": "Reno",
    "state": "NV",
    "zip_code": "89501",
    "latitude": 39.5261,
    "longitude": -119.8126,
}
NO_COORDINATES = {
    "city": "Oakland",
    "state": "CA",
    "zip_code": "94612",
    "latitude": None,
    "longitude": None,
}

EVENING_9H = {"time_of_day": "evening"}  # 3 days x 3 hours
MORNING_16H = {
    "time_of_day": "morning",
    "days_per_week_min": 4,
    "days_per_week_max": 4,
    "hours_per_day_min": Decimal("4"),
    "hours_per_day_max": Decimal("4"),
}


def needs(**overrides) -> Needs:
    fields = {
        "zip_code": "94612",
        "radius_miles": 25,
        "level": "iop",
        "payments": ("medicaid",),
        "focus": "substance_use",
        "times_of_day": ("evening",),
        "hours_per_week_max": 12,
    }
    return Needs(**{**fields, **overrides})


def add(program, relation, slug):
    return add_terms(program, **{relation: [slug]})


@pytest.fixture
def catalogue():
    """Every combination of the things a hard requirement looks at, one program each.

    Bulk-created: the catalogue's change history is not what these tests are about.
    """
    places = {"oakland": OAKLAND, "la": LOS_ANGELES, "reno": RENO, "nowhere": NO_COORDINATES}
    sites = {name: make_site(**fields) for name, fields in places.items()}
    combinations = list(
        itertools.product(
            ["iop", "php"],
            ["medicaid", "private_insurance"],
            places,
            ["in_person", "telehealth", "both"],
            ["substance_use", "mental_health", "co_occurring"],
        )
    )
    programs = Program.objects.bulk_create(
        Program(
            name=f"{level}-{payment}-{place}-{form}-{focus}-{number}",
            provider=sites[place].provider,
            site=sites[place],
            level_of_care=level,
            format=form,
            focus=focus,
            # Status and the population/language pair alternate, so each meets every mix.
            status="draft" if number % 5 == 4 else "published",
        )
        for number, (level, payment, place, form, focus) in enumerate(combinations)
    )
    term = {
        model: {slug: pk for slug, pk in model.objects.values_list("slug", "pk")}
        for model in (PaymentKind, Population, Language)
    }
    Program.payment_kinds.through.objects.bulk_create(
        Program.payment_kinds.through(program=program, paymentkind_id=term[PaymentKind][payment])
        for program, (_, payment, *_rest) in zip(programs, combinations, strict=True)
    )
    Program.populations.through.objects.bulk_create(
        Program.populations.through(program=program, population_id=term[Population]["veterans"])
        for program in programs[1::2]
    )
    Program.languages.through.objects.bulk_create(
        Program.languages.through(program=program, language_id=term[Language]["spanish"])
        for program in programs[1::2]
    )
    # Bulk writers keep the search index (bit sets, the program's copy of its place) in step.
    services.refresh_search_index(programs=Program.objects.filter(pk__in=[p.pk for p in programs]))
    return Program.objects.filter(pk__in=[p.pk for p in programs]).select_related("site")


def meets_every_hard_requirement(program: Program, wanted: Needs) -> bool:
    """The rules written out plainly in Python, to check the database query against."""
    here = place_of_zip(wanted.zip_code)
    site = program.site
    in_person = (
        program.format in ("in_person", "both")
        and site.latitude is not None
        and miles_between((here.latitude, here.longitude), (site.latitude, site.longitude))
        <= wanted.radius_miles
    )
    telehealth = (
        wanted.telehealth_ok
        and program.format in ("telehealth", "both")
        and site.state == here.state
    )
    slugs = lambda relation: set(getattr(program, relation).values_list("slug", flat=True))  # noqa: E731
    return (
        program.status == "published"
        and (wanted.level is None or program.level_of_care == wanted.level)
        and (not wanted.payments or slugs("payment_kinds") & set(wanted.payments))
        and (in_person or telehealth)
        and (
            not wanted.focus
            or program.focus in {wanted.focus, "co_occurring"}
            or wanted.focus == "co_occurring"
        )
        and (not wanted.population or wanted.population in slugs("populations"))
        and (not wanted.language or wanted.language in slugs("languages"))
    )


CASES = [
    needs(),
    needs(telehealth_ok=True),
    needs(level=None, payments=(), focus=""),
    needs(radius_miles=100, telehealth_ok=True, focus="co_occurring"),
    needs(zip_code="90012", radius_miles=10, level="php", payments=("private_insurance",)),
    needs(population="veterans", language="spanish", telehealth_ok=True),
    needs(zip_code="89501", telehealth_ok=True, payments=("medicaid", "private_insurance")),
]


def test_hard_requirements_are_never_broken(catalogue):
    today = timezone.localdate()
    for wanted in CASES:
        found = {program.pk for program in ranked_programs(wanted, today=today)}
        expected = {p.pk for p in catalogue if meets_every_hard_requirement(p, wanted)}
        assert expected, f"{wanted} should match something, or it proves little"
        assert found == expected, wanted


def test_an_unknown_zip_matches_nothing_rather_than_everything():
    make_program(payments=["medicaid"])
    today = timezone.localdate()
    assert ranked_programs(needs(), today=today)
    assert not ranked_programs(needs(zip_code="00000"), today=today)


def test_english_is_assumed_since_the_locator_never_lists_it():
    make_program(payments=["medicaid"])
    found = ranked_programs(needs(language="english"), today=timezone.localdate())
    assert len(found) == 1


def test_preferences_rank_the_best_fit_first_and_reasons_say_why():
    today = timezone.localdate()
    near_evening = make_program(
        name="Evening IOP, verified, cheap",
        tracks=[EVENING_9H],
        payments=["medicaid"],
        accepting_new_clients=True,
        last_verified_on=today - timedelta(days=10),
        cost_per_session_min=Decimal("60"),
        cost_per_session_max=Decimal("90"),
    )
    morning_only = make_program(
        name="Morning IOP, unverified", tracks=[MORNING_16H], payments=["medicaid"]
    )
    unverified_evening = make_program(
        name="Evening IOP, nothing verified",
        tracks=[EVENING_9H],
        payments=["medicaid"],
        accepting_new_clients=False,
        last_verified_on=today - timedelta(days=400),
    )
    by_telehealth = make_program(
        name="Telehealth IOP from LA",
        site=make_site(**LOS_ANGELES),
        format="telehealth",
        tracks=[EVENING_9H],
        payments=["medicaid"],
        accepting_new_clients=True,
    )

    matches = best_matches(needs(telehealth_ok=True), today=today)

    # 30 times + 20 hours + 15 near + 15 accepting + 10 verified + 10 cost + 10 low cost = 110;
    # then 30 + 20 + 15 accepting + 5 telehealth = 70; 30 + 20 + 15 near = 65; 15 near.
    assert [(m.program.pk, m.score) for m in matches] == [
        (near_evening.pk, 110),
        (by_telehealth.pk, 70),
        (unverified_evening.pk, 65),
        (morning_only.pk, 15),
    ]
    best, remote, _, worst = matches
    assert best.score == sum(reason.points for reason in best.fits)
    fits = [reason.text for reason in best.fits]
    assert "Has an evening track" in fits
    assert "Accepting new clients" in fits
    assert "Low cost per session" in fits
    assert any(text.endswith("miles away") for text in fits)
    assert best.misses == []
    # A place SAMHSA gives only as a ZIP code: the guide hears the distance is approximate.
    best.program.site.placed_at_zip = True
    best.program.site.save()
    again = best_matches(needs(telehealth_ok=True), today=today)[0]
    assert any(r.text.endswith("miles away, from the ZIP code's centre") for r in again.fits)
    assert "Telehealth in CA" in [reason.text for reason in remote.fits]
    assert "No evening track" in worst.misses
    assert "Cost not verified" in worst.misses
    assert "Needs at least 16 h/week, more than their 12" in worst.misses
    assert "Not verified in the last 180 days" in worst.misses


def test_insurer_and_co_occurring_preferences_score_and_show(db):
    today = timezone.localdate()
    plain = make_program(name="Plain", payments=["private_insurance"], focus="substance_use")
    listed = make_program(name="Lists Aetna", payments=["private_insurance"], focus="co_occurring")
    add(listed, "insurers", "aetna")
    wanted = needs(
        payments=("private_insurance",),
        insurer="aetna",
        insurer_name="Aetna",
        focus="co_occurring",
        times_of_day=(),
        hours_per_week_max=None,
    )

    first, second = best_matches(wanted, today=today)

    assert (first.program.pk, second.program.pk) == (listed.pk, plain.pk)
    assert "Lists Aetna" in [reason.text for reason in first.fits]
    assert "Treats co-occurring disorders" in [reason.text for reason in first.fits]
    assert "Aetna not listed: check coverage" in second.misses
    assert "Treats substance use only" in second.misses


def test_reasons_are_worked_out_without_a_query_per_row():
    def queries_for(count: int) -> tuple[int, int]:
        for number in range(count):
            make_program(name=f"IOP {number}", tracks=[EVENING_9H], payments=["medicaid"])
        best_matches(needs(), today=timezone.localdate())  # reads the changed catalogue
        with CaptureQueriesContext(connection) as captured:
            matches = best_matches(needs(), today=timezone.localdate())
        return len(captured), len(matches)

    # The catalogue's version and the programs shown (their payment kinds: from the copy).
    assert queries_for(5) == (2, 5)
    assert queries_for(20) == (2, 20)


def test_a_callers_needs_come_from_their_record_and_screening(guide):
    from guides import services
    from tests.guides.conftest import make_caller

    caller = make_caller(
        guide=guide,
        payments=("medicaid", "self_pay"),
        population=Population.objects.get(slug="veterans"),
        language=Language.objects.get(slug="spanish"),
        times_of_day=["evening", "weekend"],
    )
    services.record_screening(guide=guide, caller=caller, answers={}, result={"level": "php"})

    wanted = Needs.of_caller(caller)

    assert wanted.level == "php"
    assert set(wanted.payments) == {"medicaid", "self_pay"}
    assert (wanted.population, wanted.language) == ("veterans", "spanish")
    assert wanted.times_of_day == ("evening", "weekend")
