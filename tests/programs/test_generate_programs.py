"""`manage.py generate_programs`: synthetic programs for benchmarks, consistent with the rules."""

import random
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from programs import levels, synthetic
from programs.models import Program, ScheduleTrack
from programs.selectors import published_programs
from programs.services import refresh_search_index, schedule_summary

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_programs", *args, stdout=out)
    return out.getvalue()


def snapshot(programs) -> list[tuple]:
    """What a generated program is, without its database keys."""
    return [
        (
            p.name,
            p.provider.name,
            p.site.zip_code,
            p.level_of_care,
            p.hours_per_week_min,
            p.hours_per_week_max,
            p.cost_per_session_min,
            p.total_cost_max,
            p.last_verified_on,
            tuple(p.payment_kinds.values_list("slug", flat=True)),
            tuple(p.services.values_list("slug", flat=True)),
            tuple(p.tracks.values_list("time_of_day", "days_per_week_min", "hours_per_day_max")),
        )
        for p in programs.select_related("provider", "site").order_by("pk")
    ]


def test_makes_exactly_n_published_synthetic_programs_and_says_so():
    output = generate("--count", "50", "--seed", "3", "--batch-size", "20")

    programs = Program.objects.all()
    assert programs.count() == 50
    assert set(programs.values_list("source", flat=True)) == {Program.Source.GENERATED}
    assert set(programs.values_list("is_sample", flat=True)) == {True}
    assert published_programs().count() == 50
    assert "50 / 50 programs" in output
    assert re.search(r"Created 50 published programs \(iop \d+, outpatient \d+, php \d+\)", output)
    assert all("synthetic" in name for name in programs.values_list("name", flat=True))


def test_draft_programs_stay_out_of_public_view():
    generate("--count", "10", "--seed", "3", "--draft")

    assert Program.objects.filter(status=Program.Status.DRAFT).count() == 10
    assert not published_programs().exists()


def test_schedule_summaries_match_tracks_and_levels_stay_in_their_bands():
    generate("--count", "50", "--seed", "4")

    for program in Program.objects.prefetch_related("tracks"):
        tracks = list(program.tracks.all())
        assert 1 <= len(tracks) <= 2
        summary = schedule_summary(tracks)
        assert {field: getattr(program, field) for field in summary} == summary
        assert not levels.hours_outside_band(
            program.level_of_care, program.hours_per_week_min, program.hours_per_week_max
        )
    assert not Program.objects.outside_level_band().exists()


def test_every_value_is_valid():
    generate("--count", "50", "--seed", "5")

    for track in ScheduleTrack.objects.all():
        assert 1 <= track.days_per_week_min <= track.days_per_week_max <= 7
        assert Decimal("0.5") <= track.hours_per_day_min <= track.hours_per_day_max <= 12
        track.full_clean()
    for program in Program.objects.select_related("site", "provider"):
        site = program.site
        assert re.fullmatch(r"\d{5}", site.zip_code)
        assert 24 <= site.latitude <= 50 and -125 <= site.longitude <= -66
        assert site.state not in synthetic.NOT_CONTINENTAL
        assert program.payment_kinds.exists()
        program.full_clean()
        site.full_clean()
        program.provider.full_clean()


def test_search_columns_hold_what_the_search_index_would_write():
    generate("--count", "50", "--seed", "10")

    assert refresh_search_index(programs=Program.objects.all()) == 0


def test_costs_are_in_the_level_ranges_free_or_not_yet_verified():
    generate("--count", "50", "--seed", "6")

    for program in Program.objects.all():
        if program.cost_per_session_min is None:
            assert program.total_cost_min is None
            continue
        if program.payment_kinds.filter(slug="free").exists():
            assert program.cost_per_session_max == 0
            continue
        ranges = synthetic.COST_RANGES[program.level_of_care]
        low, high = ranges["per_session"]
        assert low <= program.cost_per_session_min <= program.cost_per_session_max <= high
        if program.total_cost_min is not None:
            low, high = ranges["total"]
            assert low <= program.total_cost_min <= program.total_cost_max <= high


def test_insurers_are_named_only_with_insurance_and_where_they_sell():
    generate("--count", "50", "--seed", "9")

    for program in Program.objects.select_related("site"):
        insurers = set(program.insurers.values_list("slug", flat=True))
        payments = set(program.payment_kinds.values_list("slug", flat=True))
        assert ("private_insurance" in payments) == bool(insurers - {"tricare"})
        assert ("military" in payments) == ("tricare" in insurers)
        for slug in insurers:
            assert program.site.state in synthetic.INSURER_STATES.get(slug, {program.site.state})


def test_the_same_seed_makes_the_same_programs():
    seen = set()

    def run(seed):
        generate("--count", "30", "--seed", seed)
        made = Program.objects.exclude(pk__in=seen)
        seen.update(made.values_list("pk", flat=True))
        return snapshot(made)

    first, second, third = run("7"), run("7"), run("8")

    assert len(first) == len(second) == 30
    assert first == second
    assert sorted(first) != sorted(third)


@pytest.mark.parametrize("count", ["0", "-3"])
def test_count_must_be_positive(count):
    with pytest.raises(CommandError, match="at least 1"):
        generate("--count", count)
    assert not Program.objects.exists()


@given(seed=st.integers(0, 2**32), level=st.sampled_from(list(levels.HOURS_PER_WEEK_BANDS)))
def test_synthetic_tracks_always_fit_the_level(seed, level):
    for track in synthetic.synthetic_tracks(random.Random(seed), level):
        hours_min = track["days_per_week_min"] * track["hours_per_day_min"]
        hours_max = track["days_per_week_max"] * track["hours_per_day_max"]
        assert not levels.hours_outside_band(level, hours_min, hours_max)
        assert track["time_of_day"] in {"morning", "afternoon", "evening"}


def test_synthetic_clinics_hold_exactly_the_count_asked_for():
    places = [
        {
            "zip_code": "94612",
            "city": "Oakland",
            "state": "CA",
            "latitude": 37.8,
            "longitude": -122.3,
            "area_code": "510",
        }
    ]
    clinics = synthetic.synthetic_clinics(count=7, seed=1, today=date(2026, 1, 1), places=places)
    serials = [program["name"] for clinic in clinics for program in clinic["programs"]]
    assert len(serials) == 7
    assert serials[-1].endswith("(synthetic #7)")
