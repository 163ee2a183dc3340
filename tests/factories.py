"""Ready-made catalogue rows for tests: small functions, sensible defaults, override anything."""

from decimal import Decimal
from itertools import count

from django.utils import timezone

from programs import services
from programs.models import (
    AvailabilitySource,
    PaymentKind,
    Program,
    Provider,
    ScheduleTrack,
    Site,
)
from programs.places import place_of_zip

_numbers = count(1)


def make_provider(**fields) -> Provider:
    fields.setdefault("name", f"Provider {next(_numbers)}")
    return Provider.objects.create(**fields)


def make_site(*, provider=None, **fields) -> Site:
    fields.setdefault("city", "Oakland")
    fields.setdefault("state", "CA")
    fields.setdefault("zip_code", "94612")
    fields.setdefault("latitude", 37.8044)
    fields.setdefault("longitude", -122.2712)
    return Site.objects.create(provider=provider or make_provider(), **fields)


def make_site_at_zip(zip_code: str, **fields) -> Site:
    """A site placed at a real ZIP centroid (the zipcodes package)."""
    place = place_of_zip(zip_code)
    return make_site(
        zip_code=zip_code,
        state=place.state,
        latitude=place.latitude,
        longitude=place.longitude,
        **fields,
    )


def make_program(*, tracks=(), payments=(), site=None, **fields) -> Program:
    site = site or make_site()
    fields.setdefault("name", f"Program {next(_numbers)}")
    fields.setdefault("level_of_care", Program.LevelOfCare.IOP)
    fields.setdefault("focus", "substance_use")
    fields.setdefault("status", Program.Status.PUBLISHED)
    if fields.get("accepting_new_clients") is not None:
        # Whether it takes new clients counts only as of a recent day (Program.availability).
        fields.setdefault("availability_as_of", timezone.localdate())
        fields.setdefault("availability_source", AvailabilitySource.CURATOR)
    program = Program.objects.create(provider=site.provider, site=site, **fields)
    for track in tracks:
        make_track(program=program, **track)
    if payments:
        program.payment_kinds.set(PaymentKind.objects.filter(slug__in=payments))
    services.refresh_schedule_summary(program=program)
    services.refresh_search_text(program=program)
    return program


def make_track(*, program, **fields) -> ScheduleTrack:
    fields.setdefault("time_of_day", ScheduleTrack.TimeOfDay.EVENING)
    fields.setdefault("days_per_week_min", 3)
    fields.setdefault("days_per_week_max", 3)
    fields.setdefault("hours_per_day_min", Decimal("3"))
    fields.setdefault("hours_per_day_max", Decimal("3"))
    return ScheduleTrack.objects.create(program=program, **fields)


# --- Search (issue 3): vocabulary terms on a program, and its search text kept in step. ---


def add_terms(program, **slugs) -> Program:
    """add_terms(p, services=["dbt"], insurers=["aetna"]): link vocabulary terms by slug."""
    for field_name, values in slugs.items():
        field = Program._meta.get_field(field_name)
        getattr(program, field_name).add(*field.related_model.objects.filter(slug__in=values))
    services.refresh_search_text(program=program)
    return program
