"""Writes SAMHSA locator listings into the catalogue (python manage.py import_samhsa).

programs/samhsa.py reads and validates the file; this module only writes, in one
transaction. A re-import updates in place, matching programs on their external
key, and leaves alone every field a curator changed since the last import.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from programs import samhsa, services
from programs.models import Program, Provider, Site

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
    services.refresh_search_index(programs=Program.objects.filter(source=Program.Source.SAMHSA))
    if dry_run:
        transaction.set_rollback(True)
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
        self.created = []
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

    def write(self, facility: samhsa.Facility, level: str) -> str:
        """'created', 'updated' or 'unchanged'."""
        program = self.programs.get(facility.external_key(level))
        if program is None:
            self._create(facility, level)
            return "created"
        return "updated" if self._update(program, facility) else "unchanged"

    def _create(self, facility, level):
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
            imported_values={**fields, **vocabulary},
            **fields,
        )
        program._change_reason = CHANGE_REASON
        with _history_paused(program):
            program.save()
        # A new program has no many-to-many rows yet: insert them without add()'s lookup
        # of existing ones (and without its m2m_changed history, which the save below makes).
        for name, slugs in vocabulary.items():
            through, program_column, term_column = self.m2m[name]
            through.objects.bulk_create(
                through(**{program_column: program.pk, term_column: term_id})
                for term_id in self._term_ids(name, slugs)
            )
        # One history record holding the many-to-many rows too (the insert's own record
        # could not: they need the program's id). finish() marks it as the creation.
        program.save(update_fields=["updated_at"])
        self.created.append(program.pk)

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
        for name, slugs in facility.program_vocabulary().items():
            current = sorted(term.slug for term in getattr(program, name).all())
            if current == previous.get(name) and current != slugs:
                changed_vocabulary[name] = slugs
                imported[name] = slugs
        if not changed_fields and not changed_vocabulary:
            return False
        with _history_paused(program):
            for name, slugs in changed_vocabulary.items():
                getattr(program, name).set(self._term_ids(name, slugs))
        program.imported_values = imported
        program._change_reason = CHANGE_REASON
        program.save(update_fields=[*changed_fields, "imported_values", "updated_at"])
        return True

    def _term_ids(self, name, slugs):
        return [self.term_ids[name][slug] for slug in slugs]

    def finish(self):
        """Mark the first history record of each new program as its creation."""
        for chunk in _chunks(self.created):
            Program.history.filter(id__in=chunk).update(history_type="+")

    def _site(self, facility) -> Site:
        if facility.facility_key in self.facility_sites:
            return self.facility_sites[facility.facility_key]
        provider = self.providers.get((facility.name, facility.website))
        if provider is None:
            provider = Provider(name=facility.name, website=facility.website)
            provider._change_reason = CHANGE_REASON
            provider.save()
            self.providers[(provider.name, provider.website)] = provider
        key = _site_key(provider.pk, facility)
        site = self.sites.get(key)
        if site is None:
            site = Site(
                provider=provider,
                address=facility.address,
                city=facility.city,
                state=facility.state,
                zip_code=facility.zip_code,
                latitude=facility.latitude,
                longitude=facility.longitude,
            )
            site._change_reason = CHANGE_REASON
            site.save()
            self.sites[key] = site
        self.facility_sites[facility.facility_key] = site
        return site


def _site_key(provider_id, place) -> tuple:
    return (
        provider_id,
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
