"""`manage.py generate_programs --count N [--seed S] [--draft]`: programs for benchmarks.

Rows are written with bulk_create in batches, so no change history is recorded for them
(fine for synthetic data). Everything is written in one transaction: nothing or all N.
"""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iopfinder.long_statements import long_statements
from programs import services, synthetic
from programs.models import Program, Provider, ScheduleTrack, Service, Site

M2M_FIELDS = ("payment_kinds", "insurers", "services", "populations", "languages", "accreditations")


class Command(BaseCommand):
    help = _(
        "Create N realistic synthetic programs (source 'generated', marked as samples) "
        "at real ZIP code centroids across the continental US, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help=_("How many programs."))
        parser.add_argument(
            "--seed", type=int, default=None, help=_("The same seed makes the same programs.")
        )
        status = parser.add_mutually_exclusive_group()
        status.add_argument(
            "--published",
            action="store_const",
            dest="status",
            const=Program.Status.PUBLISHED,
            help=_("Publish them (the default)."),
        )
        status.add_argument(
            "--draft",
            action="store_const",
            dest="status",
            const=Program.Status.DRAFT,
            help=_("Leave them as drafts, unseen by the public."),
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help=_("Programs written per batch.")
        )

    @long_statements()
    def handle(self, *args, count, seed, status, batch_size, **options):
        if count < 1:
            raise CommandError(_("--count must be at least 1."))
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        started = time.monotonic()
        clinics = synthetic.synthetic_clinics(
            count=count,
            seed=seed,
            today=timezone.localdate(),
            places=synthetic.continental_places(),
        )
        writer = _BatchWriter(status=status or Program.Status.PUBLISHED)
        with transaction.atomic():
            batch, batch_programs = [], 0
            for clinic in clinics:
                batch.append(clinic)
                batch_programs += len(clinic["programs"])
                if batch_programs >= batch_size:
                    self._write(writer, batch, count, started)
                    batch, batch_programs = [], 0
            if batch:
                self._write(writer, batch, count, started)
        services.analyze_catalogue()  # the planner sees the new rows at once
        totals = writer.totals
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created %(programs)s %(status)s programs (%(levels)s) with %(tracks)s "
                    "schedule tracks for %(providers)s providers (one site each) in %(seconds)s s."
                )
                % {
                    "programs": f"{totals['programs']:,}",
                    "status": writer.status,
                    "levels": ", ".join(
                        f"{level} {n:,}" for level, n in sorted(writer.levels.items())
                    ),
                    "tracks": f"{totals['tracks']:,}",
                    "providers": f"{totals['providers']:,}",
                    "seconds": f"{time.monotonic() - started:.1f}",
                }
            )
        )

    def _write(self, writer, batch, count, started):
        writer.write(batch)
        self.stdout.write(
            _("  %(done)s / %(count)s programs (%(seconds)s s)")
            % {
                "done": f"{writer.totals['programs']:,}",
                "count": f"{count:,}",
                "seconds": f"{time.monotonic() - started:.1f}",
            }
        )


class _BatchWriter:
    """Writes batches of synthetic clinics with bulk_create, m2m rows included."""

    def __init__(self, *, status):
        self.status = status
        self.totals = Counter()
        self.levels = Counter()
        self.vocabulary = {}
        self.through = {}
        self.service_names = dict(Service.objects.values_list("slug", "name"))
        for name in M2M_FIELDS:
            field = Program._meta.get_field(name)
            self.vocabulary[name] = dict(field.related_model.objects.values_list("slug", "pk"))
            self.through[name] = (
                field.remote_field.through,
                f"{field.m2m_field_name()}_id",
                f"{field.m2m_reverse_field_name()}_id",
            )

    def write(self, clinics) -> None:
        providers = Provider.objects.bulk_create(Provider(**c["provider"]) for c in clinics)
        sites = Site.objects.bulk_create(
            Site(provider=provider, **c["site"])
            for provider, c in zip(providers, clinics, strict=True)
        )
        programs, tracks, specs = [], [], []
        for provider, site, clinic in zip(providers, sites, clinics, strict=True):
            for spec in clinic["programs"]:
                program_tracks = [ScheduleTrack(**track) for track in spec["tracks"]]
                fields = {
                    key: value
                    for key, value in spec.items()
                    if key != "tracks" and key not in M2M_FIELDS
                }
                programs.append(
                    Program(
                        provider=provider,
                        site=site,
                        status=self.status,
                        source=Program.Source.GENERATED,
                        is_sample=True,
                        **fields,
                        **services.schedule_summary(program_tracks),
                        **services.search_text(
                            provider_name=provider.name,
                            city=site.city,
                            state=site.state,
                            zip_code=site.zip_code,
                            services=[self.service_names[slug] for slug in spec["services"]],
                        ),
                    )
                )
                tracks.append(program_tracks)
                specs.append(spec)
        Program.objects.bulk_create(programs)
        for program, program_tracks in zip(programs, tracks, strict=True):
            for track in program_tracks:
                track.program = program
        ScheduleTrack.objects.bulk_create(track for group in tracks for track in group)
        for name, (through, program_column, term_column) in self.through.items():
            pks = self.vocabulary[name]
            through.objects.bulk_create(
                through(**{program_column: program.pk, term_column: pks[slug]})
                for program, spec in zip(programs, specs, strict=True)
                for slug in spec[name]
            )
        self.levels.update(program.level_of_care for program in programs)
        self.totals.update(
            providers=len(providers),
            programs=len(programs),
            tracks=sum(len(group) for group in tracks),
        )
