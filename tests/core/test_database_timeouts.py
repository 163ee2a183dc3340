"""Bounded waits on the database: a connect timeout and a statement timeout for the site,
a longer statement timeout for the commands that legitimately run long."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from iopfinder.long_statements import long_statements
from tests.core.production_server import ROOT

POSTGRES = "postgres://app@db.internal:5432/iopfinder"


def database_settings(**environment) -> dict:
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings;"
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']))",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "iopfinder.settings"}
        | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_postgresql_connects_within_3_seconds_and_runs_a_statement_within_5():
    assert database_settings(DATABASE_URL=POSTGRES) == {
        "connect_timeout": 3,
        "options": "-c max_parallel_workers_per_gather=0 -c statement_timeout=5s",
    }


def test_the_bounds_come_from_the_environment():
    assert database_settings(
        DATABASE_URL=POSTGRES, DATABASE_CONNECT_TIMEOUT="2", DATABASE_STATEMENT_TIMEOUT="0"
    ) == {"connect_timeout": 2, "options": "-c max_parallel_workers_per_gather=0"}


def test_behind_a_pooler_that_refuses_startup_options_none_are_sent():
    assert database_settings(DATABASE_URL=POSTGRES, DATABASE_OPTIONS="") == {"connect_timeout": 3}


def test_sqlite_waits_at_most_the_statement_timeout_for_a_lock():
    assert database_settings() == {"timeout": 5}


def statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statement timeout: run with DATABASE_URL=postgres://...")


@pytest.mark.django_db
def test_long_commands_take_the_longer_bound_then_give_it_back(postgresql):
    assert statement_timeout() == "5s"
    with long_statements():
        assert statement_timeout() == "1h"
        with long_statements():  # load_listings calls import_samhsa
            pass
        assert statement_timeout() == "1h"
    assert statement_timeout() == "5s"


@pytest.mark.django_db(transaction=True)
def test_a_connection_opened_inside_the_block_takes_the_longer_bound(postgresql):
    with long_statements():
        connection.close()  # as a restore does before pg_restore
        assert statement_timeout() == "1h"


@pytest.mark.django_db
def test_the_import_runs_under_the_longer_bound(postgresql, monkeypatch, samhsa_sample):
    from programs import imports

    seen = []
    import_samhsa = imports.import_samhsa

    def watched(*args, **kwargs):
        seen.append(statement_timeout())
        return import_samhsa(*args, **kwargs)

    monkeypatch.setattr(imports, "import_samhsa", watched)
    call_command("import_samhsa", str(samhsa_sample), verbosity=0)
    assert seen == ["1h"]
    assert statement_timeout() == "5s"
