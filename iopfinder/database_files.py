"""The database as one file: a backup made, or restored (manage.py backup / restore).

PostgreSQL through its own tools (pg_dump's custom format, pg_restore in one transaction);
SQLite through its online backup API. Both replace nothing by hand: a failed restore leaves
the database as it was.
"""

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection


def _postgres_environment() -> dict[str, str]:
    settings = connection.settings_dict
    environment = {**os.environ}
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment


def _run(command: list[str]) -> None:
    try:
        finished = subprocess.run(
            command, env=_postgres_environment(), capture_output=True, text=True
        )
    except FileNotFoundError as missing:
        raise CommandError(
            f"{command[0]} is not installed: it comes with PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        ) from missing
    if finished.returncode:
        raise CommandError(f"{command[0]} failed: {finished.stderr.strip()}")


def back_up(directory: Path, name: str) -> Path:
    if connection.vendor == "postgresql":
        path = directory / f"{name}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"])
        return path
    path = directory / f"{name}.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    return path


def restore(path: Path) -> None:
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore drops and makes every table again
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]
        )
        return
    with closing(sqlite3.connect(path)) as backup:
        connection.ensure_connection()
        backup.backup(connection.connection)
