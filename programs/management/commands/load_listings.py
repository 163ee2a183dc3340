from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.utils.translation import gettext as _

from iopfinder.long_statements import long_statements
from programs import samhsa_files
from programs.models import Program


class Command(BaseCommand):
    help = _(
        "Import SAMHSA's National Directories shipped in data/samhsa (every facility in the "
        "country) once; later runs leave them as they are (import_samhsa updates them). "
        "With --samples, also load the fictional sample programs and the California locator "
        "sample, for demonstrations only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--samples",
            action="store_true",
            help=_("Also load the fictional sample programs (never for real patients)."),
        )

    @long_statements()
    def handle(self, *args, samples, verbosity, **options):
        national = Program.objects.filter(
            source=Program.Source.SAMHSA, external_key__startswith=samhsa_files.KEY_PREFIX
        )
        if national.exists():
            self.stdout.write(
                _("SAMHSA listings already imported: left as they are (import_samhsa updates).")
            )
        else:
            files = [str(Path(path)) for path in settings.NATIONAL_DIRECTORY_FILES]
            call_command("import_samhsa", *files, verbosity=verbosity)
        if samples:
            call_command("load_demo_data", settings.SAMHSA_LOCATOR_SAMPLE, verbosity=verbosity)
