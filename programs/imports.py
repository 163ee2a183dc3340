"""Writes SAMHSA locator listings into the catalogue (python manage.py import_samhsa).

programs/samhsa.py reads and validates the file; this module only writes, in one
transaction. A re-import updates in place, matching programs on their external
key, and leaves alone every field a curator changed since the last import.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from programs import levels, samhsa, services, signals
from programs.models import Program, Provider, Service, Site

CHANGE_REASON = "SAMHSA import"
# Keeps each IN (...) list well under SQLite's limit on query parameters.
CHUNK = 500


@dataclass
class ImportSummary:
    rows: int
    facilities: int
    duplicates: int
    skipped: int
    dry_run: bool
    # Level of care -> number of programs.
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    # Published programs an earlier import of the same directories listed and these files
    # no longer do: each is in the curators' queue ("no longer in SAMHSA's directory").
    absent: int = 0

    def total(self, level: str) -> int:
        return self.created[level] + self.updated[level] + self.unchanged[level]

    def as_json(self) -> dict:
        """The counts `import_samhsa --json` prints."""
        return {
            "rows": self.rows,
            "facilities": self.facilities,
            "skipped": self.skipped,
            "programs": {
                "created": sum(self.created.values()),
                "updated": sum(self.updated.values()),
                "unchanged": sum(self.unchanged.values()),
            },
            # PHP, IOP, outpatient; and the care above PHP the files list (searched only when
            # asked for).
            "by_level": {
                level: self.total(level)
                for level in ("php", "iop", "outpatient", *levels.MORE_CARE)
            },
            "absent": self.absent,
        }


@transaction.atomic
def import_samhsa(
    *,
    parsed: samhsa.ParsedFile,
    status: str = Program.Status.PUBLISHED,
    dry_run: bool = False,
    on_progress=None,
) -> ImportSummary:
    """Create or update one program per level of care each facility offers.

    status applies to new programs only: a re-import never publishes, drafts or
    un-archives. A dry run does all the work and then rolls it back, so its
    counts are the ones a real run would give.
    """
    summary = ImportSummary(
        rows=parsed.rows,
        facilities=len(parsed.facilities),
        duplicates=parsed.duplicates,
        skipped=len(parsed.skipped),
        dry_run=dry_run,
    )
    writer = _Writer(parsed.facilities, status=status)
    total = len(parsed.facilities)
    for done, facility in enumerate(parsed.facilities, start=1):
        for level in facility.levels_of_care:
            outcome = writer.write(facility, level)
            getattr(summary, outcome)[level] += 1
        if on_progress:
            on_progress(done, total)
    writer.finish()
    summary.absent = writer.queue_absent(parsed)
    # New programs got their search text when made; changed ones get it afresh.
    for chunk in _chunks(writer.updated):
        services.refresh_search_index(programs=Program.objects.filter(pk__in=chunk))
    if dry_run:
        transaction.set_rollback(True)
    else:
        services.analyze_catalogue()
    return summary


class _Writer:
    """Holds what the import reads once: existing programs, providers, sites, vocabulary."""

    def __init__(self, facilities, *, status):
        self.status = status
        keys = [
            facility.external_key(level)
            for facility in facilities
            for level in facility.levels_of_care
        ]
        self.programs = {
            program.external_key: program
            for chunk in _chunks(keys)
            for program in Program.objects.filter(
                source=Program.Source.SAMHSA, external_key__in=chunk
            )
            .select_related("site__provider")
            .prefetch_related(*samhsa.SLUG_BY_NAME)
        }
        # A facility that adds a level of care gets it at the site its other programs use,
        # even if its website (part of how providers are matched) changed since.
        self.facility_sites = {
            program.external_key.split(":")[0]: program.site for program in self.programs.values()
        }
        names = sorted({facility.name for facility in facilities})
        self.providers = {}
        for chunk in _chunks(names):
            for provider in Provider.objects.filter(name__in=chunk).order_by("-pk"):
                self.providers[(provider.name, provider.website)] = provider
        self.sites = {}
        for site in Site.objects.filter(provider__in=list(self.providers.values())).order_by("-pk"):
            self.sites[_site_key(site.provider_id, site)] = site
        self.new_providers, self.new_sites, self.new_programs = [], [], []
        self.m2m = {}  # field -> (through model, its program column, its term column)
        self.term_ids = {}  # field -> {slug: id}
        for name in samhsa.SLUG_BY_NAME:
            field = Program._meta.get_field(name)
            self.m2m[name] = (
                field.remote_field.through,
                f"{field.m2m_field_name()}_id",
                f"{field.m2m_reverse_field_name()}_id",
            )
            self.term_ids[name] = dict(field.related_model.objects.values_list("slug", "pk"))
        self.service_names = dict(Service.objects.values_list("slug", "name"))
        self.updated = []  # programs whose provider, place or services may have changed

    def write(self, facility: samhsa.Facility, level: str) -> str:
        """'created', 'updated' or 'unchanged'."""
        program = self.programs.get(facility.external_key(level))
        if program is None:
            self._create(facility, level)
            return "created"
        return "updated" if self._update(program, facility) else "unchanged"

    def _create(self, facility, level):
        """A new program, written with the others in finish()."""
        fields = facility.program_fields()
        vocabulary = facility.program_vocabulary()
        site = self._site(facility)
        program = Program(
            provider=site.provider,
            site=site,
            level_of_care=level,
            status=self.status,
            source=Program.Source.SAMHSA,
            external_key=facility.external_key(level),
            imported_values={
                **fields,
                **vocabulary,
                "directories": sorted(facility.directories),
            },
            **fields,
            **services.search_text(
                provider_name=site.provider.name,
                city=site.city,
                state=site.state,
                zip_code=site.zip_code,
                services=[self.service_names[slug] for slug in vocabulary["services"]],
            ),
        )
        self.new_programs.append((program, vocabulary))

    def _update(self, program, facility) -> bool:
        """Write the fields nobody edited since the last import; True if anything changed."""
        previous = program.imported_values
        imported = dict(previous)
        changed_fields = []
        for name, value in facility.program_fields().items():
            current = getattr(program, name)
            if current == previous.get(name) and current != value:
                setattr(program, name, value)
                imported[name] = value
                changed_fields.append(name)
        changed_vocabulary = {}
        listed_in = set(previous.get("directories", []))
        whole = listed_in <= facility.directories  # every directory that listed it, read again
        for name, slugs in facility.program_vocabulary().items() if whole else ():
            current = sorted(term.slug for term in getattr(program, name).all())
            if current == previous.get(name) and current != slugs:
                changed_vocabulary[name] = slugs
                imported[name] = slugs
        directories = sorted(facility.directories if whole else listed_in | facility.directories)
        moved = previous.get("directories", []) != directories
        imported["directories"] = directories
        if not changed_fields and not changed_vocabulary and not moved:
            return False
        with _history_paused(program):
            for name, slugs in changed_vocabulary.items():
                getattr(program, name).set(self._term_ids(name, slugs))
        program.imported_values = imported
        program._change_reason = CHANGE_REASON
        program.save(update_fields=[*changed_fields, "imported_values", "updated_at"])
        self.updated.append(program.pk)
        return True

    def _term_ids(self, name, slugs):
        return [self.term_ids[name][slug] for slug in slugs]

    def finish(self):
        """Write the new providers, sites and programs in bulk, each with one creation
        record in its history (a program's record holds its vocabulary terms too)."""
        now = timezone.now()

        def created(model, objects):
            model.objects.bulk_create(objects, batch_size=CHUNK)
            return model.history.bulk_history_create(
                objects, batch_size=CHUNK, default_change_reason=CHANGE_REASON, default_date=now
            )

        # bulk_create takes each new provider's and site's id from the object it was given.
        created(Provider, self.new_providers)
        created(Site, self.new_sites)
        programs = [program for program, _vocabulary in self.new_programs]
        created(Program, programs)
        history = Program.history.model
        new_ids = [program.pk for program in programs]
        for name, (through, program_column, term_column) in self.m2m.items():
            rows = [
                (program.pk, term_id)
                for program, vocabulary in self.new_programs
                for term_id in self._term_ids(name, vocabulary[name])
            ]
            table = through._meta.db_table
            term_history = apps.get_model("programs", f"{history.__name__}_{name}")._meta
            with connection.cursor() as cursor:
                # Hundreds of thousands of rows: plain multi-row inserts, not a model object
                # each (nor a statement each: executemany is one a row on PostgreSQL).
                for chunk in _chunks(rows):
                    cursor.execute(
                        f"INSERT INTO {table} ({program_column}, {term_column}) VALUES "
                        + ", ".join(["(%s, %s)"] * len(chunk)),
                        [value for row in chunk for value in row],
                    )
                # Each row in its program's creation record, as django-simple-history records
                # a row (the row's own fields, id included, and the record's id).
                for chunk in _chunks(new_ids):
                    cursor.execute(
                        f"INSERT INTO {term_history.db_table} "
                        f"(id, {program_column}, {term_column}, history_id) "
                        f"SELECT t.id, t.{program_column}, t.{term_column}, h.history_id "
                        f"FROM {table} t JOIN {history._meta.db_table} h "
                        f"ON h.id = t.{program_column} "
                        f"WHERE t.{program_column} IN ({', '.join(['%s'] * len(chunk))})",
                        chunk,
                    )

    def queue_absent(self, parsed: samhsa.ParsedFile) -> int:
        """Put each published program that an earlier import of these directories listed,
        and these files no longer do, in the curators' queue (once); how many there are."""
        # Only whole directories tell what is gone (not a locator download: one search's
        # results), and only for programs every directory that listed them was read again.
        directories = set().union(*(facility.directories for facility in parsed.facilities))
        if not directories:
            return 0
        listed = {
            facility.external_key(level)
            for facility in parsed.facilities
            for level in facility.levels_of_care
        }
        absent = [
            program
            for program in Program.objects.filter(
                source=Program.Source.SAMHSA, status=Program.Status.PUBLISHED
            ).only("external_key", "imported_values")
            if program.external_key not in listed
            and program.imported_values.get("directories")
            and set(program.imported_values["directories"]) <= directories
        ]
        # The corrections app puts each in the curators' queue (corrections/receivers.py).
        signals.programs_not_listed.send(
            sender=Program, programs=absent, directories=sorted(directories)
        )
        return len(absent)

    def _site(self, facility) -> Site:
        if facility.facility_key in self.facility_sites:
            return self.facility_sites[facility.facility_key]
        provider = self.providers.get((facility.name, facility.website))
        if provider is None:
            provider = Provider(name=facility.name, website=facility.website)
            self.new_providers.append(provider)
            self.providers[(provider.name, provider.website)] = provider
        key = _site_key(provider.pk or (provider.name, provider.website), facility)
        site = self.sites.get(key)
        if site is None:
            site = Site(
                provider=provider,
                name=facility.site_name[:200],
                placed_at_zip=facility.placed_at_zip,
                address=facility.address,
                city=facility.city,
                state=facility.state,
                zip_code=facility.zip_code,
                latitude=facility.latitude,
                longitude=facility.longitude,
            )
            self.new_sites.append(site)
            self.sites[key] = site
        self.facility_sites[facility.facility_key] = site
        return site


def _site_key(provider, place) -> tuple:
    """provider: its id, or its name and website while this import creates it. The street
    address too: the National Directory places a provider's facilities in one ZIP code at
    the same point."""
    return (
        provider,
        place.address,
        place.city,
        place.state,
        place.zip_code,
        place.latitude,
        place.longitude,
    )


@contextmanager
def _history_paused(program):
    """No history record per many-to-many field: the save that follows records them all."""
    program.skip_history_when_saving = True
    try:
        yield
    finally:
        del program.skip_history_when_saving


def _chunks(items):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
