from django.core.management.base import BaseCommand

from hsds import services, tabular


class Command(BaseCommand):
    help = (
        "Load an HSDS 3.0 tabular datapackage (a zip of CSV files with datapackage.json, as "
        "/api/hsds/download/hsds.zip gives) as published programs."
    )

    def add_arguments(self, parser):
        parser.add_argument("zip", help="path of the datapackage zip")

    def handle(self, *args, **options):
        count = services.load_catalogue(tables=tabular.read_zip(options["zip"]))
        self.stdout.write(f"Loaded {count} services.")
