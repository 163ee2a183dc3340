"""Writes to the catalogue. Views, the admin and commands call these."""

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from programs import meeting_times, vocabulary
from programs.models import (
    AvailabilitySource,
    PageViews,
    Program,
    Provider,
    Site,
    VerificationSource,
)


def sync_vocabulary(*, apps=None) -> None:
    """Create or rename the vocabulary rows from programs/vocabulary.py."""
    for model_name, terms in vocabulary.TABLES.items():
        model = apps.get_model("programs", model_name) if apps else _model(model_name)
        for position, (slug, entry) in enumerate(terms.items()):
            model.objects.update_or_create(
                slug=slug, defaults={"name": vocabulary.label_of(entry), "position": position}
            )


def _model(name):
    from django.apps import apps

    return apps.get_model("programs", name)


def schedule_summary(tracks) -> dict:
    """The program-level schedule fields that summarise a set of tracks."""
    tracks = list(tracks)
    if not tracks:
        return {
            "days_per_week_min": None,
            "days_per_week_max": None,
            "hours_per_day_min": None,
            "hours_per_day_max": None,
            "hours_per_week_min": None,
            "hours_per_week_max": None,
            "length_weeks_min": None,
            "length_weeks_max": None,
            "offers_morning": False,
            "offers_afternoon": False,
            "offers_evening": False,
            "offers_weekend": False,
        }
    lengths_min = [t.length_weeks_min for t in tracks if t.length_weeks_min is not None]
    lengths_max = [t.length_weeks_max for t in tracks if t.length_weeks_max is not None]
    # By each track's clock times and weekdays where known (programs/meeting_times.py).
    times = set().union(*(meeting_times.counts_as(t) for t in tracks))
    return {
        "days_per_week_min": min(t.days_per_week_min for t in tracks),
        "days_per_week_max": max(t.days_per_week_max for t in tracks),
        "hours_per_day_min": min(t.hours_per_day_min for t in tracks),
        "hours_per_day_max": max(t.hours_per_day_max for t in tracks),
        "hours_per_week_min": min(t.hours_per_week_min for t in tracks),
        "hours_per_week_max": max(t.hours_per_week_max for t in tracks),
        "length_weeks_min": min(lengths_min) if lengths_min else None,
        "length_weeks_max": max(lengths_max) if lengths_max else None,
        "offers_morning": "morning" in times,
        "offers_afternoon": "afternoon" in times,
        "offers_evening": "evening" in times,
        "offers_weekend": "weekend" in times,
    }


def refresh_schedule_summary(*, program: Program) -> Program:
    """Recompute the program's schedule summary from its tracks and save it."""
    summary = schedule_summary(program.tracks.all())
    changed = [field for field, value in summary.items() if getattr(program, field) != value]
    for field, value in summary.items():
        setattr(program, field, value)
    if changed:
        Program.objects.filter(pk=program.pk).update(**summary)
    return program


def set_status(*, programs, status: str) -> int:
    """Publish, archive or draft programs, keeping their change history."""
    count = 0
    with transaction.atomic():
        for program in programs.select_for_update():
            if program.status != status:
                program.status = status
                program.save(update_fields=["status", "updated_at"])
                count += 1
    return count


def mark_verified(*, programs, user, on=None) -> int:
    """Record that a curator checked these listings today."""
    on = on or timezone.localdate()
    count = 0
    with transaction.atomic():
        for program in programs.select_for_update():
            program.last_verified_on = on
            program.last_verified_by = user
            # The change history's user, even outside a request (a command, a shell).
            program._history_user = user
            program.last_verified_source = VerificationSource.CURATOR
            program.save(
                update_fields=[
                    "last_verified_on",
                    "last_verified_by",
                    "last_verified_source",
                    "updated_at",
                ]
            )
            count += 1
    return count


AVAILABILITY_FIELDS = [
    "accepting_new_clients",
    "next_intake_on",
    "wait_time_days",
    "availability_as_of",
    "availability_source",
]


@transaction.atomic
def note_page_view(*, program_id: int, today=None) -> None:
    """Count one opening of a program's public page today (one UPDATE, or an INSERT the
    first time that day)."""
    today = today or timezone.localdate()
    counted = PageViews.objects.filter(program_id=program_id, day=today).update(
        views=F("views") + 1
    )
    if not counted:
        try:
            with transaction.atomic():
                PageViews.objects.create(program_id=program_id, day=today, views=1)
        except IntegrityError:  # another request made today's row first
            PageViews.objects.filter(program_id=program_id, day=today).update(views=F("views") + 1)


def record_availability(
    *, program: Program, accepting, next_intake, wait_days, source: str, as_of=None, by=None
) -> Program:
    """Record whether a program takes new clients, its next intake and its wait, as of a day
    (today unless given) and from whom (AvailabilitySource). The change history keeps who
    recorded it (`by`) and where it came from."""
    program.accepting_new_clients = accepting
    program.next_intake_on = next_intake
    program.wait_time_days = wait_days
    program.availability_as_of = as_of or timezone.localdate()
    program.availability_source = AvailabilitySource(source)
    if by is not None:
        program._history_user = by
    program._change_reason = f"Availability (source: {program.availability_source.value})"
    program.save(update_fields=[*AVAILABILITY_FIELDS, "updated_at"])
    return program


def schedule_bounds(queryset) -> dict:
    """Smallest and largest weekly hours across programs (for filters and benchmarks)."""
    return queryset.aggregate(low=Min("hours_per_week_min"), high=Max("hours_per_week_max"))


# What `q` searches, copied onto the program row (Program.search_*): the words of its
# provider, place and services. Bulk writers call these; so does migration 0003.
SEARCH_TEXT_FIELDS = ("search_provider", "search_place", "search_services")


def search_text(*, provider_name: str, city: str, state: str, zip_code: str, services) -> dict:
    """The denormalised search text for one program."""
    return {
        "search_provider": provider_name or "",
        "search_place": " ".join(part for part in (city, state, zip_code) if part),
        "search_services": " · ".join(sorted(services)),
    }


def refresh_search_text(*, program: Program) -> Program:
    """Recompute one program's search text; call after its provider, site or services
    change."""
    values = search_text(
        provider_name=program.provider.name,
        city=program.site.city,
        state=program.site.state,
        zip_code=program.site.zip_code,
        services=program.services.values_list("name", flat=True),
    )
    for field, value in values.items():
        setattr(program, field, value)
    Program.objects.filter(pk=program.pk).update(**values)
    return program


def analyze_catalogue() -> None:
    """Refresh the database's statistics of the catalogue's tables after a bulk write. Until
    autovacuum gets to it, a freshly filled table looks empty to PostgreSQL's planner, and the
    search engine's read of the catalogue (engine._published_facts) took minutes instead of
    seconds right after the national import."""
    tables = [Program._meta.db_table, Site._meta.db_table, Provider._meta.db_table]
    for field in Program._meta.many_to_many:
        tables.append(field.remote_field.through._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def refresh_search_index(*, programs=None, apps=None, batch_size: int = 2000) -> int:
    """Recompute the search text of many programs (all by default) in batches; returns how
    many rows changed. Used by migrations, `manage.py refresh_search_index` and bulk writers.
    """
    model = apps.get_model("programs", "Program") if apps else Program
    fields = list(SEARCH_TEXT_FIELDS)
    queryset = (programs if programs is not None else model.objects.all()).order_by("pk")
    services_field = model._meta.get_field("services")
    through = services_field.remote_field.through
    program_id = f"{services_field.m2m_field_name()}_id"
    service_name = f"{services_field.m2m_reverse_field_name()}__name"
    changed, last_pk = 0, 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last_pk).values_list(
                "pk", "provider__name", "site__city", "site__state", "site__zip_code", *fields
            )[:batch_size]
        )
        if not rows:
            return changed
        last_pk = rows[-1][0]
        service_names = {}
        for pk, name in through.objects.filter(
            **{f"{program_id}__in": [row[0] for row in rows]}
        ).values_list(program_id, service_name):
            service_names.setdefault(pk, []).append(name)
        stale = []
        for pk, provider_name, city, state, zip_code, *current in rows:
            values = search_text(
                provider_name=provider_name,
                city=city,
                state=state,
                zip_code=zip_code,
                services=service_names.get(pk, []),
            )
            if list(values.values()) != current:
                stale.append(model(pk=pk, **values))
        if stale:
            with transaction.atomic():
                model.objects.bulk_update(stale, fields)
            changed += len(stale)
