from django.core.management import BaseCommand, call_command
from django.utils.translation import gettext as _

from iopfinder.long_statements import long_statements
from programs.models import Program

DEMO_FIXTURE = "demo_programs"


class Command(BaseCommand):
    help = _(
        "Load the fictional sample programs once (later runs keep curators' edits to them), "
        "then import or refresh the SAMHSA locator sample."
    )

    def add_arguments(self, parser):
        parser.add_argument("samhsa_csv", help=_("Path of a SAMHSA locator export (CSV)."))

    @long_statements()
    def handle(self, *args, samhsa_csv, **options):
        demo = Program.objects.filter(is_sample=True, source=Program.Source.MANUAL)
        if demo.exists():
            self.stdout.write(_("Sample programs already loaded: left as they are."))
        else:
            call_command("loaddata", DEMO_FIXTURE, verbosity=options["verbosity"])
        call_command("import_samhsa", samhsa_csv, verbosity=options["verbosity"])
