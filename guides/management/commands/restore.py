"""Restore a database backup made by `manage.py backup`, then finish erasures.

    python manage.py restore FILE            the database, from its backup
    python manage.py restore --keys KEYFILE  the key store, from its backup (when it was lost)

Stop the site first. The database is replaced by the backup (PostgreSQL: pg_restore --clean,
in one transaction; SQLite: the file's contents). Callers' keys are not in the backup: the
live key store stays as it is, so a caller erased since the backup has no key, and their
record, restored with the backup, is deleted here. With --keys, the key store is replaced by
a key backup; the keys of callers the database no longer holds (erased since that backup)
are then destroyed. Restoring both from backups brings back callers erased after the key
backup was made: key backups are kept CALLER_KEY_BACKUP_DAYS (README).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guides import keystore, services
from iopfinder import database_files
from iopfinder.long_statements import long_statements


class Command(BaseCommand):
    help = "Restore a database backup (and, with --keys, a key store backup); finish erasures."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, nargs="?")
        parser.add_argument("--keys", type=Path, default=None)

    @long_statements()
    def handle(self, *args, backup: Path, keys: Path | None, **options):
        if backup is None and keys is None:
            raise CommandError("Give a database backup, or --keys and a key store backup.")
        for path in (backup, keys):
            if path is not None and not path.is_file():
                raise CommandError(f"No backup file at {path}.")
        if backup is not None:
            database_files.restore(backup)
            self.stdout.write(f"Restored {backup}.")
        if keys is not None:
            keystore.replace_with(keys)
            self.stdout.write(f"Restored the key store from {keys}.")
        finished = services.finish_erasures(unused_key_grace_seconds=0 if keys else None)
        self.stdout.write(
            f"Caller records erased since the backup, deleted again: {finished['records_deleted']}."
        )
        if keys is not None:
            self.stdout.write(f"Keys of erased callers destroyed: {finished['keys_destroyed']}.")
