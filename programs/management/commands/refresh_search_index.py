from django.core.management.base import BaseCommand

from iopfinder.long_statements import long_statements
from programs.services import refresh_search_index


class Command(BaseCommand):
    help = (
        "Recompute every program's search text (provider, place, services) from its related "
        "rows. Run after loading fixtures or bulk imports; safe to run any time."
    )

    @long_statements()
    def handle(self, *args, **options):
        changed = refresh_search_index()
        self.stdout.write(f"Search text refreshed for {changed} program(s).")
