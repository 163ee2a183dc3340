from django.core.management.base import BaseCommand

from hsds import downloads


class Command(BaseCommand):
    help = (
        "Build the HSDS bulk downloads (/api/hsds/download/hsds.json and hsds.zip) for the "
        "catalogue as it is now; run after an import, so no request serves an older file."
    )

    def handle(self, *args, **options):
        for kind, path in downloads.build_files().items():
            self.stdout.write(f"{kind}: {path}")
