"""Each caller's own key, kept apart from the database: erasing a caller destroys it.

A caller's personal details (their alias, phone, notes, screening answers and the notes of
their referrals) reach the database only encrypted with a key of their own
(guides/sealing.py). The keys live here, in one SQLite file (settings.CALLER_KEYS_PATH) that
is never part of the database, its WAL or its backups. Destroying a caller's key makes every
copy of their details unreadable at once: the live table files, dead rows not yet vacuumed,
WAL segments and database backups made before the erasure all hold ciphertext only.

The file is opened with `secure_delete` (SQLite overwrites a deleted key with zeros in the
file) and a rollback journal that is truncated when each write ends, so a destroyed key does
not linger in the store either. Its own backups (backup_keys) are the one place a destroyed
key survives, which is why they are kept for CALLER_KEY_BACKUP_DAYS only (README "Callers'
data and erasure").

Finding a returning caller by phone or alias: the store keeps keyed hashes (HMAC-SHA256, with
a secret the store makes for itself) of each caller's phone digits and alias beside their
key, and they are destroyed with it. The database holds no searchable copy of either.
"""

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterable
from contextlib import closing, contextmanager
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

# How a phone number is written does not matter: "+1 (323) 555-0199 ext. 12" is 3235550199.
from programs.phones import digits as phone_digits

_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_secret (secret BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS caller_key (
    key_id TEXT PRIMARY KEY,
    key BLOB NOT NULL,
    made_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS caller_lookup (
    digest BLOB NOT NULL,
    key_id TEXT NOT NULL REFERENCES caller_key (key_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS caller_lookup_digest ON caller_lookup (digest);
CREATE INDEX IF NOT EXISTS caller_lookup_key ON caller_lookup (key_id);
"""


def _alias_words(alias: str) -> str:
    return " ".join((alias or "").casefold().split())


def path() -> Path:
    return Path(settings.CALLER_KEYS_PATH)


@contextmanager
def _store():
    """A connection to the key store, made on first use; writes are one transaction."""
    store_path = path()
    if not store_path.exists():  # readable by the application's user only
        store_path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(store_path, os.O_CREAT | os.O_WRONLY, 0o600))
    with closing(sqlite3.connect(store_path, timeout=30, isolation_level=None)) as connection:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("PRAGMA journal_mode = TRUNCATE")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(_SCHEMA)
        yield connection


@contextmanager
def _writing():
    with _store() as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _secret(connection) -> bytes:
    row = connection.execute("SELECT secret FROM store_secret").fetchone()
    if row:
        return row[0]
    secret = secrets.token_bytes(32)
    connection.execute("INSERT INTO store_secret (secret) VALUES (?)", (secret,))
    return secret


def _digests(secret: bytes, *, phone: str = "", alias: str = "") -> list[bytes]:
    """The keyed hashes a caller is found by: their phone's digits and their alias."""
    terms = []
    if len(phone_digits(phone)) >= 7:
        terms.append("phone:" + phone_digits(phone))
    if _alias_words(alias):
        terms.append("alias:" + _alias_words(alias))
    return [hmac.new(secret, term.encode(), hashlib.sha256).digest() for term in terms]


def make_key(*, phone: str = "", alias: str = "") -> str:
    """A new caller's key and look-ups; returns the key's id (the caller record keeps it)."""
    key_id = secrets.token_hex(16)
    with _writing() as connection:
        connection.execute(
            "INSERT INTO caller_key (key_id, key, made_at) VALUES (?, ?, ?)",
            (key_id, Fernet.generate_key(), time.time()),
        )
        _write_lookups(connection, key_id, phone=phone, alias=alias)
    return key_id


def _write_lookups(connection, key_id: str, *, phone: str, alias: str) -> None:
    connection.execute("DELETE FROM caller_lookup WHERE key_id = ?", (key_id,))
    connection.executemany(
        "INSERT INTO caller_lookup (digest, key_id) VALUES (?, ?)",
        [(digest, key_id) for digest in _digests(_secret(connection), phone=phone, alias=alias)],
    )


def set_lookups(key_id: str, *, phone: str, alias: str) -> None:
    """After a caller's phone or alias changed: find them by the new ones only."""
    with _writing() as connection:
        _write_lookups(connection, key_id, phone=phone, alias=alias)


def keys_of(key_ids: Iterable[str]) -> dict[str, bytes]:
    """The keys that still exist among `key_ids` (one query, whatever the number)."""
    wanted = sorted(set(key_ids))
    if not wanted:
        return {}
    with _store() as connection:
        rows = connection.execute(
            "SELECT key_id, key FROM caller_key WHERE key_id IN (SELECT value FROM json_each(?))",
            (_json_list(wanted),),
        ).fetchall()
    return dict(rows)


def _json_list(values: list[str]) -> str:
    return json.dumps(values)


def find(text: str) -> list[str]:
    """The ids of the keys whose caller has this phone number (written any way) or alias."""
    with _store() as connection:
        secret = _secret(connection)
        digests = _digests(secret, phone=text) + _digests(secret, alias=text)
        if not digests:
            return []
        marks = ",".join("?" * len(digests))
        rows = connection.execute(
            f"SELECT DISTINCT key_id FROM caller_lookup WHERE digest IN ({marks})", digests
        ).fetchall()
    return [key_id for (key_id,) in rows]


def destroy(key_ids: Iterable[str]) -> int:
    """Destroy these callers' keys and look-ups (overwritten in the file); how many there
    were."""
    doomed = sorted(set(key_ids))
    if not doomed:
        return 0
    with _writing() as connection:
        gone = connection.execute(
            "DELETE FROM caller_key WHERE key_id IN (SELECT value FROM json_each(?))",
            (_json_list(doomed),),
        ).rowcount
    return gone


def key_ids(*, made_before: float | None = None) -> set[str]:
    """Every key's id (made before a time, when given)."""
    with _store() as connection:
        rows = connection.execute(
            "SELECT key_id FROM caller_key WHERE made_at < ?",
            (time.time() + 1 if made_before is None else made_before,),
        ).fetchall()
    return {key_id for (key_id,) in rows}


def copy_to(destination: Path) -> None:
    """A consistent copy of the whole store (SQLite's online backup), for backup_keys."""
    with _store() as connection, closing(sqlite3.connect(destination)) as copy:
        connection.backup(copy)


def replace_with(source: Path) -> None:
    """Put a key store backup in place of the live store (restore --keys)."""
    with closing(sqlite3.connect(source)) as backup, _store() as connection:
        backup.backup(connection)
