"""Backups and erasure: a backup holds callers' details sealed only, and restoring a backup
made before an erasure does not bring the erased caller back (manage.py backup / restore).

On PostgreSQL the test also reads the table files and the WAL written during the test, as an
auditor with the server's disk would (after CHECKPOINT): the caller's details are in none.
"""

import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from guides import keystore, services
from guides.models import AuditEntry, Caller
from guides.roles import GUIDES, sync_staff_groups
from programs import services as catalogue
from tests.guides.conftest import make_caller, make_user, signed_in

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only

DETAILS = {"alias": "Zanzibar Quill", "phone": "707-555-0142", "notes": "Hepatitis C, zq-7"}
SECRETS = [value.encode() for value in DETAILS.values()]


@pytest.fixture(autouse=True)
def migration_rows():
    """Django empties every table after a transactional test, the data migrations' too."""
    catalogue.sync_vocabulary()
    sync_staff_groups()


def _holding(paths: list[Path]) -> list[str]:
    """The files among `paths` that hold any of the caller's details in plain."""
    found = []
    for path in paths:
        data = path.read_bytes()
        found += [f"{path}: {secret!r}" for secret in SECRETS if secret in data]
    return found


def _postgres_files_written_since(started: float) -> list[Path]:
    """Every file of the database's tables, and the WAL segments written during the test."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        cursor.execute("SHOW data_directory")
        data_directory = Path(cursor.fetchone()[0])
        cursor.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 't', 'i', 'm') "
            "AND pg_relation_filepath(c.oid) IS NOT NULL"
        )
        tables = [data_directory / row[0] for row in cursor.fetchall()]
    files = [path for path in tables if path.exists()]
    wal = [
        path for path in (data_directory / "pg_wal").glob("0*") if path.stat().st_mtime >= started
    ]
    assert wal, "the test must read the WAL it wrote"
    return files + wal


def test_a_backup_made_before_an_erasure_does_not_bring_the_caller_back(tmp_path):
    started = tmp_path.stat().st_mtime - 1
    guide = make_user("gina", GUIDES)
    erased = make_caller(guide=guide, **DETAILS)
    kept = make_caller(guide=guide, alias="Keeper", phone="415-555-0100")
    backups, key_backups = tmp_path / "backups", tmp_path / "keys"

    call_command("backup", backups, keys_dir=key_backups)

    (backup,) = backups.iterdir()
    assert backup.stat().st_size > 0
    assert _holding([backup]) == [], "a backup holds callers' details sealed only"
    assert len(list(key_backups.iterdir())) == 1, "the keys are backed up apart"

    services.erase_caller(guide=guide, caller=erased)
    if connection.vendor == "postgresql":
        assert _holding(_postgres_files_written_since(started)) == []

    call_command("restore", backup)

    assert not Caller.objects.filter(pk=erased.pk).exists(), "erased since: stays erased"
    assert Caller.objects.get(pk=kept.pk).alias == "Keeper"
    assert keystore.find(DETAILS["phone"]) == []
    # The audit log came back with the backup, as it was then, and still refuses changes.
    assert AuditEntry.objects.filter(caller_id=erased.pk, action="create").exists()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE guides_auditentry SET action = 'view'")
        assert _holding(_postgres_files_written_since(started)) == []
    # The site serves from the restored database.
    assert signed_in(None).get("/healthz").status_code == 200
    assert signed_in(None).get(reverse("programs:list")).status_code == 200
    call_page = signed_in(guide).get(reverse("guides:call", kwargs={"pk": kept.pk}))
    assert "Keeper" in call_page.content.decode()


def test_a_lost_key_store_restored_from_its_backup_forgets_callers_erased_since(tmp_path):
    guide = make_user("gina", GUIDES)
    erased = make_caller(guide=guide, **DETAILS)
    kept = make_caller(guide=guide, alias="Keeper", phone="415-555-0100")
    call_command("backup", tmp_path / "backups", keys_dir=tmp_path / "keys")
    (key_backup,) = (tmp_path / "keys").iterdir()
    services.erase_caller(guide=guide, caller=erased)
    keystore.path().unlink()  # the key store is lost; the database is not

    call_command("restore", keys=key_backup)

    assert keystore.keys_of([erased.key_id]) == {}
    assert Caller.objects.get(pk=kept.pk).alias == "Keeper"
    assert not Caller.objects.filter(pk=erased.pk).exists()


def test_key_backups_are_kept_apart_and_only_for_the_retention(tmp_path, settings):
    settings.CALLER_KEY_BACKUP_DAYS = 7
    keys = tmp_path / "keys"
    keys.mkdir()
    old = keys / "caller-keys-20200101T000000Z.sqlite3"
    old.write_bytes(b"an old key backup")
    eight_days_ago = old.stat().st_mtime - 8 * 24 * 3600
    os.utime(old, (eight_days_ago, eight_days_ago))

    with pytest.raises(CommandError, match="apart"):
        call_command("backup", tmp_path / "same", keys_dir=tmp_path / "same")
    call_command("backup", tmp_path / "backups", keys_dir=keys)

    assert not old.exists()
    assert len(list(keys.glob("caller-keys-*.sqlite3"))) == 1


def test_restore_says_what_is_wrong_with_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", tmp_path / "nothing.dump")
    with pytest.raises(CommandError, match="Give a database backup"):
        call_command("restore")
