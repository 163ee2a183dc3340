"""Back up the database, and callers' keys apart from it (README "Backup and restore").

    python manage.py backup DIR [--keys-dir KEYS_DIR]

The database goes to DIR/iopfinder-<time>.dump (PostgreSQL: pg_dump's custom format) or
DIR/iopfinder-<time>.sqlite3 (SQLite). It holds callers' details sealed only: without their
keys they cannot be read. The key store goes to KEYS_DIR (settings.CALLER_KEY_BACKUP_DIR by
default), which must not be DIR, and key backups older than CALLER_KEY_BACKUP_DAYS are
deleted there: after that many days an erased caller's key is gone from every backup.
"""

import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guides import keystore
from iopfinder import database_files
from iopfinder.long_statements import long_statements


class Command(BaseCommand):
    help = "Back up the database to DIR and callers' keys to their own directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--keys-dir", type=Path, default=None)

    @long_statements()
    def handle(self, *args, directory: Path, keys_dir: Path | None, **options):
        keys_dir = (keys_dir or settings.CALLER_KEY_BACKUP_DIR).resolve()
        directory = directory.resolve()
        if keys_dir == directory:
            raise CommandError(
                "Keep callers' key backups apart from database backups: give --keys-dir "
                "another directory (the key backups are deleted after "
                f"{settings.CALLER_KEY_BACKUP_DAYS} days, the database backups are not)."
            )
        directory.mkdir(parents=True, exist_ok=True)
        keys_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

        database_backup = database_files.back_up(directory, f"iopfinder-{stamp}")
        key_backup = keys_dir / f"caller-keys-{stamp}.sqlite3"
        keystore.copy_to(key_backup)
        expired = _delete_key_backups_older_than(keys_dir, settings.CALLER_KEY_BACKUP_DAYS)

        self.stdout.write(f"Database: {database_backup}")
        self.stdout.write(f"Callers' keys: {key_backup}")
        if expired:
            self.stdout.write(f"Deleted {len(expired)} key backup(s) older than the retention.")


def _delete_key_backups_older_than(keys_dir: Path, days: int) -> list[Path]:
    cutoff = time.time() - days * 24 * 3600
    expired = [
        path for path in keys_dir.glob("caller-keys-*.sqlite3") if path.stat().st_mtime < cutoff
    ]
    for path in expired:
        path.unlink()
    return expired
