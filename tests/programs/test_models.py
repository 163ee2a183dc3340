"""The catalogue's model rules: clear validation messages, derived schedules, honest unknowns."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs import display
from programs.models import Program, ScheduleTrack, Site
from tests.factories import make_program, make_provider, make_site

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def track(program, **fields) -> ScheduleTrack:
    values = {
        "time_of_day": ScheduleTrack.TimeOfDay.EVENING,
        "days_per_week_min": 3,
        "days_per_week_max": 3,
        "hours_per_day_min": Decimal("3"),
        "hours_per_day_max": Decimal("3"),
    }
    values.update(fields)
    return ScheduleTrack(program=program, **values)


class TestScheduleTrackRules:
    def test_a_typical_track_is_valid(self):
        track(make_program(), length_weeks_min=6, length_weeks_max=12).full_clean()

    @pytest.mark.parametrize(
        "fields, field, message",
        [
            (
                {"days_per_week_min": 5, "days_per_week_max": 3},
                "days_per_week_max",
                "Days per week: 'up to' must be at least 'from'.",
            ),
            (
                {"hours_per_day_min": Decimal("4"), "hours_per_day_max": Decimal("3")},
                "hours_per_day_max",
                "Hours per day: 'up to' must be at least 'from'.",
            ),
            (
                {"length_weeks_min": 12, "length_weeks_max": 6},
                "length_weeks_max",
                "Length: 'up to' must be at least 'from'.",
            ),
        ],
    )
    def test_from_cannot_exceed_up_to(self, fields, field, message):
        assert errors_of(track(make_program(), **fields)) == {field: [message]}

    @pytest.mark.parametrize("days", [0, 8])
    def test_days_per_week_stay_between_1_and_7(self, days):
        errors = errors_of(track(make_program(), days_per_week_min=days, days_per_week_max=days))
        assert errors["days_per_week_min"] == ["Days per week must be between 1 and 7."]
        assert errors["days_per_week_max"] == ["Days per week must be between 1 and 7."]

    @pytest.mark.parametrize("hours", [Decimal("0.4"), Decimal("12.5")])
    def test_hours_per_day_stay_between_half_an_hour_and_12(self, hours):
        errors = errors_of(track(make_program(), hours_per_day_min=hours, hours_per_day_max=hours))
        assert errors["hours_per_day_min"] == ["Hours per day must be between 0.5 and 12."]
        assert errors["hours_per_day_max"] == ["Hours per day must be between 0.5 and 12."]

    @pytest.mark.parametrize("hours", [Decimal("0.5"), Decimal("12")])
    def test_the_hours_per_day_limits_themselves_are_allowed(self, hours):
        track(make_program(), hours_per_day_min=hours, hours_per_day_max=hours).full_clean()

    def test_weekly_hours_multiply_days_by_hours(self):
        t = track(
            make_program(),
            days_per_week_min=3,
            days_per_week_max=5,
            hours_per_day_min=Decimal("3"),
            hours_per_day_max=Decimal("4"),
        )
        assert (t.hours_per_week_min, t.hours_per_week_max) == (Decimal("9"), Decimal("20"))


class TestSiteRules:
    def test_a_typical_site_is_valid(self):
        make_site().full_clean()

    @pytest.mark.parametrize("zip_code", ["9461", "9461A", "94-12", "946123"])
    def test_zip_code_has_five_digits(self, zip_code):
        site = Site(provider=make_provider(), city="Oakland", state="CA", zip_code=zip_code)
        assert "Enter a 5-digit ZIP code, like 94103." in errors_of(site)["zip_code"]

    def test_state_is_a_two_letter_code(self):
        site = Site(provider=make_provider(), city="Oakland", state="ca", zip_code="94612")
        assert errors_of(site) == {"state": ["Enter a 2-letter state code, like CA."]}

    @pytest.mark.parametrize(
        "coordinates, field, message",
        [
            ({"latitude": 90.5}, "latitude", "Latitude must be between -90 and 90."),
            ({"latitude": -91}, "latitude", "Latitude must be between -90 and 90."),
            ({"longitude": 180.5}, "longitude", "Longitude must be between -180 and 180."),
            ({"longitude": -181}, "longitude", "Longitude must be between -180 and 180."),
        ],
    )
    def test_coordinates_are_in_range(self, coordinates, field, message):
        site = make_site()
        for name, value in coordinates.items():
            setattr(site, name, value)
        assert errors_of(site) == {field: [message]}


class TestProgramRules:
    def test_a_typical_program_is_valid(self):
        make_program(cost_per_session_min=Decimal("150"), cost_per_session_max=Decimal("250"))
        Program.objects.get().full_clean()

    @pytest.mark.parametrize(
        "field",
        ["cost_per_session_min", "cost_per_session_max", "total_cost_min", "total_cost_max"],
    )
    def test_costs_cannot_be_negative(self, field):
        program = make_program()
        setattr(program, field, Decimal("-1"))
        assert errors_of(program)[field] == ["A cost cannot be negative."]

    @pytest.mark.parametrize(
        "low, high",
        [("cost_per_session_min", "cost_per_session_max"), ("total_cost_min", "total_cost_max")],
    )
    def test_lower_cost_cannot_exceed_upper_cost(self, low, high):
        program = make_program(**{low: Decimal("400"), high: Decimal("250")})
        assert errors_of(program) == {high: ["The upper amount must be at least the lower amount."]}

    def test_free_is_a_real_cost_of_zero(self):
        program = make_program(cost_per_session_min=Decimal("0"), cost_per_session_max=Decimal("0"))
        program.full_clean()
        assert program.cost_known
        assert display.cost_line(program) == "Free of charge"

    def test_site_must_belong_to_the_programs_provider(self):
        program = make_program()
        program.site = make_site()  # a site of another provider
        assert errors_of(program) == {
            "site": ["Choose a site that belongs to this program's provider."]
        }


class TestScheduleSummary:
    def test_summary_is_derived_from_one_track(self):
        program = make_program(
            tracks=[
                {
                    "days_per_week_min": 3,
                    "days_per_week_max": 5,
                    "hours_per_day_min": Decimal("3"),
                    "hours_per_day_max": Decimal("4"),
                    "length_weeks_min": 6,
                    "length_weeks_max": 12,
                }
            ]
        )
        program.refresh_from_db()
        assert (program.days_per_week_min, program.days_per_week_max) == (3, 5)
        assert (program.hours_per_day_min, program.hours_per_day_max) == (3, 4)
        assert (program.hours_per_week_min, program.hours_per_week_max) == (9, 20)
        assert (program.length_weeks_min, program.length_weeks_max) == (6, 12)
        assert program.schedule_known

    def test_summary_spans_every_track_and_time_of_day(self):
        program = make_program(
            tracks=[
                {"time_of_day": "morning", "days_per_week_min": 5, "days_per_week_max": 5},
                {
                    "time_of_day": "evening",
                    "weekend": True,
                    "days_per_week_min": 2,
                    "days_per_week_max": 3,
                    "hours_per_day_min": Decimal("2.5"),
                    "hours_per_day_max": Decimal("3.5"),
                },
            ]
        )
        program.refresh_from_db()
        assert (program.days_per_week_min, program.days_per_week_max) == (2, 5)
        assert (program.hours_per_day_min, program.hours_per_day_max) == (Decimal("2.5"), 3.5)
        # Per track, days x hours: 2 x 2.5 = 5 up to 5 x 3 = 15.
        assert (program.hours_per_week_min, program.hours_per_week_max) == (5, 15)
        assert program.offers_morning and program.offers_evening and program.offers_weekend
        assert not program.offers_afternoon
        assert display.times_of_day(program) == ["mornings", "evenings", "weekends"]

    def test_unknown_schedule_and_cost_stay_unknown_never_zero(self):
        program = make_program(source=Program.Source.SAMHSA, external_key="ca-123-iop")
        program.refresh_from_db()
        assert program.hours_per_week_min is None
        assert program.days_per_week_min is None
        assert program.cost_per_session_min is None and program.total_cost_min is None
        assert not program.schedule_known
        assert not program.cost_known
        assert "not yet verified" in display.schedule_line(program)
        assert "not yet verified" in display.cost_line(program)

    def test_known_schedule_and_cost_read_as_plain_lines(self):
        program = make_program(
            tracks=[{"days_per_week_min": 3, "hours_per_day_min": 3, "hours_per_day_max": 4}],
            cost_per_session_min=Decimal("150"),
            cost_per_session_max=Decimal("250"),
        )
        program.refresh_from_db()
        assert display.schedule_line(program).startswith("3 days/week · 3-4 h/day · evenings")
        assert display.cost_line(program) == "$150-$250 per session"


def program_with_weekly_hours(level, days, hours_per_day):
    return make_program(
        level_of_care=level,
        tracks=[
            {
                "days_per_week_min": days,
                "days_per_week_max": days,
                "hours_per_day_min": Decimal(hours_per_day),
                "hours_per_day_max": Decimal(hours_per_day),
            }
        ],
    )


class TestLevelBand:
    @pytest.mark.parametrize(
        "level, days, hours_per_day, flagged",
        [
            ("iop", 6, "4", True),  # 24 h/week
            ("iop", 3, "4", False),  # 12
            ("iop", 3, "3", False),  # 9, the bottom of the band
            ("iop", 5, "4", False),  # 20, the top of the band
            ("iop", 2, "4", True),  # 8
            ("php", 5, "4", False),  # 20
            ("php", 7, "6", False),  # 42
            ("php", 3, "4", True),  # 12
            ("outpatient", 2, "4", False),  # 8
            ("outpatient", 3, "3", True),  # 9 is no longer "under 9"
            ("outpatient", 5, "3", True),  # 15
        ],
    )
    def test_program_outside_its_levels_hours_is_flagged_not_rejected(
        self, level, days, hours_per_day, flagged
    ):
        program = program_with_weekly_hours(level, days, hours_per_day)
        program.refresh_from_db()
        program.full_clean()  # flagged for curators, never a validation error
        assert program.outside_level_band is flagged
        assert Program.objects.outside_level_band().filter(pk=program.pk).exists() is flagged

    def test_unknown_schedule_is_never_flagged(self):
        program = make_program(level_of_care="php")
        assert not program.outside_level_band
        assert not Program.objects.outside_level_band().exists()

    def test_queryset_and_property_agree_across_schedules(self):
        programs = [
            program_with_weekly_hours(level, days, hours)
            for level in ("php", "iop", "outpatient")
            for days in (1, 2, 3, 5, 7)
            for hours in ("1", "2.5", "3", "4", "6")
        ]
        for program in programs:
            program.refresh_from_db()
        flagged = {p.pk for p in programs if p.outside_level_band}
        assert set(Program.objects.outside_level_band().values_list("pk", flat=True)) == flagged
        assert 0 < len(flagged) < len(programs)


class TestStale:
    def test_never_verified_is_stale(self):
        program = make_program(last_verified_on=None)
        assert program.is_stale
        assert list(Program.objects.stale()) == [program]

    def test_verified_within_the_window_is_current(self, settings):
        settings.STALE_AFTER_DAYS = 180
        today = timezone.localdate()
        recent = make_program(last_verified_on=today - timedelta(days=180))
        old = make_program(last_verified_on=today - timedelta(days=181))
        assert not recent.is_stale
        assert old.is_stale
        assert list(Program.objects.stale()) == [old]

    def test_the_window_comes_from_settings(self, settings):
        settings.STALE_AFTER_DAYS = 30
        program = make_program(last_verified_on=timezone.localdate() - timedelta(days=45))
        assert program.is_stale
        assert list(Program.objects.stale()) == [program]
