"""Commands that legitimately run long (the national import, backups, restores) take a longer
statement timeout than the web's DATABASE_STATEMENT_TIMEOUT: DATABASE_COMMAND_STATEMENT_TIMEOUT.

    with long_statements():
        ...

Every PostgreSQL connection open or opened inside the block runs under the longer bound (a
restore closes its connection and opens another); afterwards each goes back to the bound it
was opened with. Blocks may nest (load_listings calls import_samhsa).
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

_depth = 0


def _lift(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false)",
                [f"{settings.DATABASE_COMMAND_STATEMENT_TIMEOUT}s"],
            )


def _open_connections():
    return [c for c in connections.all(initialized_only=True) if c.connection is not None]


@contextmanager
def long_statements():
    global _depth
    _depth += 1
    if _depth == 1:
        connection_created.connect(_lift)
        for connection in _open_connections():
            _lift(None, connection)
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            connection_created.disconnect(_lift)
            for connection in _open_connections():
                if connection.vendor == "postgresql" and connection.is_usable():
                    with connection.cursor() as cursor:
                        cursor.execute("RESET statement_timeout")
